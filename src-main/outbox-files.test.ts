import Conf from 'conf';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateArgs, type OutboxEntry } from '../src-shared/ipc.ts';
import { OutboxFiles } from './outbox-files.ts';
import { OutboxStore } from './outbox-store.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-outbox-files-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ALICE = 'alice0000000001@http://127.0.0.1:8090';
const BOB = 'bob000000000001@https://chat.example.com';
const bytes = (...values: number[]) => new Uint8Array(values);

function setup() {
  const root = join(tempDir(), 'outbox-files');
  const files = new OutboxFiles(root);
  const store = new OutboxStore(
    new Conf<Record<string, unknown>>({ cwd: tempDir(), projectName: 'palaver-test', configName: 'outbox' }),
    files,
  );
  return { root, files, store };
}

const entry = (id: string, keys: string[]): OutboxEntry => ({
  id,
  room: 'roomroomroom001',
  text: '',
  created: '2026-12-01 10:00:00.000Z',
  state: 'pending',
  files: keys.map((key) => ({ key, name: `${key}.png`, type: 'image/png', size: 3 })),
});

describe('OutboxFiles', () => {
  it('keeps bytes under a key, overwrites them, and answers null for a key never put', async () => {
    const { files } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1, 2, 3));
    expect(await files.get(ALICE, 'filefilefile001')).toEqual(bytes(1, 2, 3));
    await files.put(ALICE, 'filefilefile001', bytes(9));
    expect(await files.get(ALICE, 'filefilefile001')).toEqual(bytes(9));
    expect(await files.get(ALICE, 'filefilefile002')).toBeNull();
    expect(await files.get(BOB, 'filefilefile001')).toBeNull();
  });

  it('stores at <root>/<sha256(scope)>/<key>, leaving no temporary file behind', async () => {
    const { root, files } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1));
    const [dir, ...others] = readdirSync(root);
    expect(others).toEqual([]);
    // The scope's ':' '/' '@' never reach the file system.
    expect(dir).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(join(root, dir!))).toEqual(['filefilefile001']);
    expect(readFileSync(join(root, dir!, 'filefilefile001'))).toEqual(Buffer.from([1]));
  });

  it.skipIf(process.platform === 'win32')('is private to the user: files 0600, folders 0700', async () => {
    const { root, files } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1));
    const dir = files.scopeDir(ALICE);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'filefilefile001')).mode & 0o777).toBe(0o600);
  });

  it('keeps scopes apart: the same key in two accounts is two files', async () => {
    const { files } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1));
    await files.put(BOB, 'filefilefile001', bytes(2));
    expect(await files.get(ALICE, 'filefilefile001')).toEqual(bytes(1));
    expect(await files.get(BOB, 'filefilefile001')).toEqual(bytes(2));
    await files.remove(ALICE, ['filefilefile001']);
    expect(await files.get(ALICE, 'filefilefile001')).toBeNull();
    expect(await files.get(BOB, 'filefilefile001')).toEqual(bytes(2));
  });

  // From the attacker's side: a compromised renderer names a key that leaves the scope's folder.
  it.each(['../../../.bashrc', '..', '../' + 'a'.repeat(12), 'filefilefile001/../x', '/etc/passwd', 'C:\\x', ''])(
    'refuses the key %j, at the contract and in the module',
    async (key) => {
      const { root, files } = setup();
      expect(() => validateArgs('outbox:put-file', [ALICE, key, bytes(1)])).toThrow(/IPC outbox:put-file: expects/);
      expect(() => validateArgs('outbox:get-file', [ALICE, key])).toThrow(/IPC outbox:get-file: expects/);
      await expect(files.put(ALICE, key, bytes(1))).rejects.toThrow(/is not a record id/);
      await expect(files.get(ALICE, key)).rejects.toThrow(/is not a record id/);
      expect(readdirSync(join(root, '..'))).not.toContain('.bashrc');
    },
  );
});

describe('OutboxStore with files', () => {
  it('drops the files of a sent or discarded message on save, and keeps the ones still named', async () => {
    const { files, store } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1));
    await files.put(ALICE, 'filefilefile002', bytes(2));
    await files.put(ALICE, 'filefilefile003', bytes(3));
    await store.save(ALICE, [
      entry('messagemessag01', ['filefilefile001', 'filefilefile002']),
      entry('messagemessag02', ['filefilefile003']),
    ]);
    // The first message was sent.
    await store.save(ALICE, [entry('messagemessag02', ['filefilefile003'])]);
    expect(await files.get(ALICE, 'filefilefile001')).toBeNull();
    expect(await files.get(ALICE, 'filefilefile002')).toBeNull();
    expect(await files.get(ALICE, 'filefilefile003')).toEqual(bytes(3));
    // The last one was discarded: the scope's folder holds nothing.
    await store.save(ALICE, []);
    expect(readdirSync(files.scopeDir(ALICE))).toEqual([]);
  });

  it('leaves a file put but not yet named alone: the save naming it may still be on its way', async () => {
    const { files, store } = setup();
    await store.save(ALICE, [entry('messagemessag01', ['filefilefile001'])]);
    await files.put(ALICE, 'filefilefile001', bytes(1));
    await files.put(ALICE, 'filefilefile002', bytes(2));
    // A save for another reason (a failure recorded) before the new message's entry is saved.
    await store.save(ALICE, [{ ...entry('messagemessag01', ['filefilefile001']), state: 'failed' }]);
    expect(await files.get(ALICE, 'filefilefile002')).toEqual(bytes(2));
  });

  it("a save in one scope never touches another's files", async () => {
    const { files, store } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1));
    await files.put(BOB, 'filefilefile001', bytes(2));
    await store.save(ALICE, [entry('messagemessag01', ['filefilefile001'])]);
    await store.save(BOB, [entry('messagemessag01', ['filefilefile001'])]);
    await store.save(ALICE, []);
    expect(await files.get(BOB, 'filefilefile001')).toEqual(bytes(2));
  });

  it('the sweep at start deletes what a crash orphaned: unnamed files, temporary files, outboxes gone', async () => {
    const { root, files, store } = setup();
    await files.put(ALICE, 'filefilefile001', bytes(1));
    await store.save(ALICE, [entry('messagemessag01', ['filefilefile001'])]);
    // Put, then the app died before the save naming it.
    await files.put(ALICE, 'filefilefile002', bytes(2));
    // A put interrupted between write and rename.
    writeFileSync(join(files.scopeDir(ALICE), '.filefilefile003.abcdef.tmp'), 'half');
    // An account whose outbox is empty (signed out, messages sent elsewhere) still has a folder.
    await files.put(BOB, 'filefilefile009', bytes(9));
    // Something that is no scope's folder at all.
    mkdirSync(join(root, 'stray'));

    await files.sweep(store.namedFiles());
    expect(await files.get(ALICE, 'filefilefile001')).toEqual(bytes(1));
    expect(readdirSync(files.scopeDir(ALICE))).toEqual(['filefilefile001']);
    expect(readdirSync(root)).toEqual([files.scopeDir(ALICE).slice(root.length + 1)]);
  });

  it('the sweep does nothing when no file was ever kept', async () => {
    const { files, store } = setup();
    await expect(files.sweep(store.namedFiles())).resolves.toBeUndefined();
  });
});
