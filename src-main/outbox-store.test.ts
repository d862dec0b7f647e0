import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { OutboxEntry } from '../src-shared/ipc.ts';
import { OutboxStore } from './outbox-store.ts';

const dirs: string[] = [];
function conf() {
  const cwd = mkdtempSync(join(tmpdir(), 'palaver-outbox-'));
  dirs.push(cwd);
  return { cwd, store: new Conf<Record<string, unknown>>({ cwd, projectName: 'palaver-test', configName: 'outbox' }) };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string, text = 'hello'): OutboxEntry => ({
  id,
  room: 'roomroomroom001',
  text,
  created: '2026-11-26 10:00:00.000Z',
  state: 'pending',
});

it('keeps each account-and-server scope apart, across a new store on the same file', async () => {
  const { cwd, store } = conf();
  const outbox = new OutboxStore(store);
  await outbox.save('alice@http://127.0.0.1:8090', [entry('aaaaaaaaaaaaaaa'), entry('bbbbbbbbbbbbbbb')]);
  await outbox.save('bob@https://chat.example.com', [entry('ccccccccccccccc')]);
  const reopened = new OutboxStore(
    new Conf<Record<string, unknown>>({ cwd, projectName: 'palaver-test', configName: 'outbox' }),
  );
  expect(reopened.load('alice@http://127.0.0.1:8090').map((e) => e.id)).toEqual(['aaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbb']);
  expect(reopened.load('bob@https://chat.example.com')).toHaveLength(1);
  expect(reopened.load('carol@http://127.0.0.1:8090')).toEqual([]);
  // Scopes contain dots; they must not turn into nested paths.
  expect(Object.keys(JSON.parse(readFileSync(join(cwd, 'outbox.json'), 'utf8')).outboxes)).toContain(
    'alice@http://127.0.0.1:8090',
  );
});

it('forgets a scope when its outbox empties', async () => {
  const { store } = conf();
  const outbox = new OutboxStore(store);
  await outbox.save('a@x', [entry('aaaaaaaaaaaaaaa')]);
  await outbox.save('a@x', []);
  expect(store.get('outboxes')).toEqual({});
});

it('drops malformed entries found on disk instead of trusting them', () => {
  const { store } = conf();
  store.set('outboxes', { 'a@x': [entry('aaaaaaaaaaaaaaa'), { id: 'bad id!', text: 1 }, null, 'junk'] });
  expect(new OutboxStore(store).load('a@x').map((e) => e.id)).toEqual(['aaaaaaaaaaaaaaa']);
  store.set('outboxes', 'not an object');
  expect(new OutboxStore(store).load('a@x')).toEqual([]);
});
