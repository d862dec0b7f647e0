import { expect, it } from 'vitest';
import type { NotificationLevelsRecord } from '../../../src-shared/pocketbase-types.ts';
import { NotificationLevelStore } from './notification-level-store.ts';

const level = (id: string, room: string, value: NotificationLevelsRecord['level']) =>
  ({ id, room, user: 'me', level: value }) as NotificationLevelsRecord;

it('loads the stored levels, follows changes from other devices, and forgets a removed one', async () => {
  let listener: ((event: { action: string; record: NotificationLevelsRecord }) => void) | undefined;
  let connected: (() => void) | undefined;
  let stored = [level('l1', 'r1', 'nothing')];
  let changes = 0;
  const pb = {
    realtime: {
      subscribe: async (_topic: string, callback: () => void) => {
        connected = callback;
        return async () => undefined;
      },
    },
    collection: () => ({
      getFullList: async () => stored,
      subscribe: async (_topic: string, callback: typeof listener) => {
        listener = callback;
        return async () => undefined;
      },
    }),
  } as never;
  const store = new NotificationLevelStore(pb);
  const stop = store.start(() => changes++);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect([...store.current]).toEqual([['r1', 'nothing']]);
  listener!({ action: 'create', record: level('l2', 'r2', 'all') });
  listener!({ action: 'update', record: level('l1', 'r1', 'mentions') });
  expect(Object.fromEntries(store.current)).toEqual({ r1: 'mentions', r2: 'all' });
  listener!({ action: 'delete', record: level('l1', 'r1', 'mentions') });
  expect(Object.fromEntries(store.current)).toEqual({ r2: 'all' });
  expect(changes).toBe(4);
  // Changed on another device while this one was offline: read again on reconnecting.
  stored = [level('l3', 'r3', 'all')];
  connected!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(Object.fromEntries(store.current)).toEqual({ r3: 'all' });
  stop();
});

it('keeps every room at its default when the levels cannot be read', async () => {
  const pb = {
    realtime: { subscribe: async () => Promise.reject(new Error('offline')) },
    collection: () => ({
      getFullList: async () => Promise.reject(new Error('offline')),
      subscribe: async () => Promise.reject(new Error('offline')),
    }),
  } as never;
  const store = new NotificationLevelStore(pb);
  store.start()();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(store.current.size).toBe(0);
});
