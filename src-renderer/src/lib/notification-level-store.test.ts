import { ClientResponseError } from 'pocketbase';
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

/** A notification_levels collection kept in memory, with the server's one-level-per-room rule. */
function fakeServer(initial: NotificationLevelsRecord[] = []) {
  const stored = new Map(initial.map((record) => [record.id, record]));
  let next = 1;
  const collection = {
    getFullList: async () => [...stored.values()],
    subscribe: async () => async () => undefined,
    create: async (body: { user: string; room: string; level: NotificationLevelsRecord['level'] }) => {
      if ([...stored.values()].some((record) => record.room === body.room)) {
        throw new ClientResponseError({ status: 400, response: { message: 'Value must be unique.' } });
      }
      const record = level(`new${next++}`, body.room, body.level);
      stored.set(record.id, record);
      return record;
    },
    update: async (id: string, body: { level: NotificationLevelsRecord['level'] }) => {
      const record = { ...stored.get(id)!, level: body.level };
      stored.set(id, record);
      return record;
    },
    delete: async (id: string) => {
      if (!stored.delete(id)) throw new ClientResponseError({ status: 404 });
      return true;
    },
    getFirstListItem: async (filter: string) => {
      const found = [...stored.values()].find((record) => filter.includes(record.room));
      if (!found) throw new ClientResponseError({ status: 404 });
      return found;
    },
  };
  const pb = {
    realtime: { subscribe: async () => async () => undefined },
    collection: () => collection,
    filter: (raw: string, params: Record<string, string>) => raw.replace('{:room}', `"${params.room}"`),
  } as never;
  return { pb, stored };
}

const privateRoom = { id: 'r1', kind: 'private' as const };

it('saves a chosen level, changes it, and removes it when the default is chosen again', async () => {
  const { pb, stored } = fakeServer();
  const store = new NotificationLevelStore(pb);
  let changes = 0;
  store.start(() => changes++);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await store.choose(privateRoom, 'nothing', 'me');
  // Obeyed here at once, not only when the server's event comes back.
  expect(store.current.get('r1')).toBe('nothing');
  expect([...stored.values()].map((record) => record.level)).toEqual(['nothing']);
  await store.choose(privateRoom, 'all', 'me');
  expect([store.current.get('r1'), stored.size]).toEqual(['all', 1]);
  await store.choose(privateRoom, 'mentions', 'me');
  expect([store.current.has('r1'), stored.size]).toEqual([false, 0]);
  expect(changes).toBeGreaterThanOrEqual(4);
});

it('quick choices in a row store one level, the last', async () => {
  const { pb, stored } = fakeServer();
  const store = new NotificationLevelStore(pb);
  await Promise.all([
    store.choose(privateRoom, 'all', 'me'),
    store.choose(privateRoom, 'nothing', 'me'),
    store.choose({ id: 'd1', kind: 'direct' }, 'nothing', 'me'),
  ]);
  expect([...stored.values()].map((record) => [record.room, record.level])).toEqual([
    ['r1', 'nothing'],
    ['d1', 'nothing'],
  ]);
});

it('changes the level stored on another device meanwhile instead of failing', async () => {
  const { pb, stored } = fakeServer([level('other', 'r1', 'all')]);
  const store = new NotificationLevelStore(pb);
  await store.choose(privateRoom, 'nothing', 'me');
  expect([...stored.values()].map((record) => [record.id, record.level])).toEqual([['other', 'nothing']]);
  expect(store.current.get('r1')).toBe('nothing');
});

it('keeps the level it had when the server refuses, and says why', async () => {
  const { pb } = fakeServer();
  const refusing = {
    ...(pb as object),
    collection: () => ({ create: async () => Promise.reject(new ClientResponseError({ status: 403 })) }),
  } as never;
  const store = new NotificationLevelStore(refusing);
  await expect(store.choose(privateRoom, 'all', 'me')).rejects.toBeInstanceOf(ClientResponseError);
  expect(store.current.has('r1')).toBe(false);
});
