import { expect, it } from 'vitest';
import { Drafts, type DraftStorage } from './drafts.ts';

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

it('keeps a draft per room and per user', () => {
  const storage = memoryStorage();
  const alice = new Drafts(storage, 'alice');
  alice.set('r1', 'hello');
  alice.set('r2', 'other room');
  expect(alice.get('r1')).toBe('hello');
  expect(new Drafts(storage, 'bob').get('r1')).toBe('');
  alice.clear('r1');
  expect(alice.get('r1')).toBe('');
  alice.set('r2', '   ');
  expect(storage.data.size).toBe(0);
});

it('survives a storage that throws', () => {
  const broken: DraftStorage = {
    getItem: () => {
      throw new Error('x');
    },
    setItem: () => {
      throw new Error('full');
    },
    removeItem: () => undefined,
  };
  const drafts = new Drafts(broken, 'u');
  expect(() => drafts.set('r', 'text')).not.toThrow();
  expect(drafts.get('r')).toBe('');
});
