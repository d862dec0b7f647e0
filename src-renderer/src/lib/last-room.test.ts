import { expect, it } from 'vitest';
import { LastRoom } from './last-room.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

it('remembers the last room per account and server', () => {
  const storage = memoryStorage();
  const alice = new LastRoom(storage, 'alice@https://a.example');
  expect(alice.get()).toBeNull();
  alice.remember('r1');
  alice.remember('r2');
  expect(new LastRoom(storage, 'alice@https://a.example').get()).toBe('r2');
  expect(new LastRoom(storage, 'bob@https://a.example').get()).toBeNull();
  expect(new LastRoom(storage, 'alice@https://b.example').get()).toBeNull();
});

it('storage that refuses (full, disabled) means no memory, never an error', () => {
  const broken = {
    getItem: () => {
      throw new Error('disabled');
    },
    setItem: () => {
      throw new Error('full');
    },
    removeItem: () => undefined,
  };
  const last = new LastRoom(broken, 'alice@https://a.example');
  expect(() => last.remember('r1')).not.toThrow();
  expect(last.get()).toBeNull();
});
