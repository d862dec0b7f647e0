import { expect, it } from 'vitest';
import { Dismissals } from './dismissals.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

it('keeps a notice dismissed across a reload, until it says something else', () => {
  const storage = memoryStorage();
  new Dismissals(storage).dismiss('vault', 'Kept only while this tab is open.');
  const reloaded = new Dismissals(storage);
  expect(reloaded.dismissed('vault', 'Kept only while this tab is open.')).toBe(true);
  expect(reloaded.dismissed('vault', 'No keyring on this system.')).toBe(false);
  expect(reloaded.dismissed('other', 'Kept only while this tab is open.')).toBe(false);
});

it('storage that refuses means the notice shows again, never an error', () => {
  const broken = {
    getItem: () => {
      throw new Error('disabled');
    },
    setItem: () => {
      throw new Error('full');
    },
    removeItem: () => undefined,
  };
  const dismissals = new Dismissals(broken);
  expect(() => dismissals.dismiss('vault', 'x')).not.toThrow();
  expect(dismissals.dismissed('vault', 'x')).toBe(false);
});
