import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../src-shared/ipc.ts';
import { checkFiles, DraftFiles, namePasted } from './draft-files.svelte.ts';

const MB = 1024 * 1024;
const file = (name: string, bytes: number, type = 'application/octet-stream') =>
  new File([new Uint8Array(bytes)], name, { type });
const limits = { maxBytes: 2 * MB, maxFiles: 3 };

describe('checkFiles', () => {
  it('refuses a file over the limit before any upload, naming its size and the limit', () => {
    const { accepted, problems } = checkFiles([], [file('small.txt', 10), file('video.mov', 2 * MB + 1)], limits);
    expect(accepted.map((f) => f.name)).toEqual(['small.txt']);
    expect(problems).toEqual(['video.mov is 2 MB: files can be at most 2 MB.']);
    expect(checkFiles([], [file('exact.bin', 2 * MB)], limits).accepted).toHaveLength(1);
  });

  it('keeps to the count, saying which files were left out', () => {
    const { accepted, problems } = checkFiles([file('a', 1)], [file('b', 1), file('c', 1), file('d', 1)], limits);
    expect(accepted.map((f) => f.name)).toEqual(['b', 'c']);
    expect(problems).toEqual(['A message takes at most 3 files: d not added. Send the rest in another message.']);
  });

  it('refuses an empty file, which is what dropping a folder gives', () => {
    expect(checkFiles([], [file('photos', 0)], limits).problems[0]).toMatch(/photos is empty/);
  });
});

describe('namePasted', () => {
  it('names a pasted screenshot by when it was pasted, and leaves named files alone', () => {
    const pasted = namePasted(file('image.png', 3, 'image/png'), new Date(2026, 11, 1, 9, 5, 7));
    expect(pasted.name).toBe('Pasted image 2026-12-01 09.05.07.png');
    expect(pasted.type).toBe('image/png');
    expect(namePasted(file('report.pdf', 3)).name).toBe('report.pdf');
  });
});

describe('DraftFiles', () => {
  it('keeps each room its own files and problems; take empties the room, restore puts them back first', () => {
    const drafts = new DraftFiles();
    drafts.limits = limits;
    drafts.add('r1', [file('a.txt', 1), file('big.bin', 3 * MB)]);
    drafts.add('r2', [file('b.txt', 1)]);
    expect(drafts.of('r1').map((d) => d.file.name)).toEqual(['a.txt']);
    expect(drafts.problems.r1).toHaveLength(1);
    const taken = drafts.take('r1');
    expect(taken.map((f) => f.name)).toEqual(['a.txt']);
    expect(drafts.of('r1')).toEqual([]);
    drafts.add('r1', [file('c.txt', 1)]);
    drafts.restore('r1', taken);
    expect(drafts.of('r1').map((d) => d.file.name)).toEqual(['a.txt', 'c.txt']);
    drafts.remove('r1', drafts.of('r1')[0]!.id);
    expect(drafts.of('r1').map((d) => d.file.name)).toEqual(['c.txt']);
    expect(drafts.of('r2').map((d) => d.file.name)).toEqual(['b.txt']);
  });

  it("takes the server's limits when it tells them, and keeps the defaults when it cannot", async () => {
    const drafts = new DraftFiles();
    await drafts.loadLimits({ send: async () => ({ attachmentMaxBytes: MB, attachmentMaxFiles: 4 }) } as never);
    expect(drafts.limits).toEqual({ maxBytes: MB, maxFiles: 4 });
    const offline = new DraftFiles();
    await offline.loadLimits({ send: () => Promise.reject(new Error('offline')) } as never);
    expect(offline.limits).toEqual({ maxBytes: 25 * MB, maxFiles: 10 });
  });
});

describe('DraftFiles kept across restarts', () => {
  /** The outbox store's rules in memory: saving deletes the files of entries that left. */
  function memoryStore() {
    const entries = new Map<string, OutboxEntry[]>();
    const bytes = new Map<string, Uint8Array>();
    const keys = (list: OutboxEntry[] = []) => new Set(list.flatMap((e) => (e.files ?? []).map((f) => f.key)));
    return {
      bytes,
      store: {
        load: async (scope: string) => entries.get(scope) ?? [],
        save: async (scope: string, next: OutboxEntry[]) => {
          // As main's guard does (isOutboxEntry): an entry of more than ten files is refused.
          if (next.some((e) => (e.files?.length ?? 0) > 10)) throw new Error('outbox:save refused');
          const after = keys(next);
          for (const key of keys(entries.get(scope))) if (!after.has(key)) bytes.delete(key);
          entries.set(scope, next);
        },
        putFile: async (_scope: string, key: string, data: Uint8Array) => void bytes.set(key, data),
        getFile: async (_scope: string, key: string) => bytes.get(key) ?? null,
      },
    };
  }

  it('brings back each room its files after a restart, and keeps nothing once they are sent or removed', async () => {
    const { store, bytes } = memoryStore();
    const before = new DraftFiles();
    await before.restoreKept({ store, scope: 'me@server' });
    before.add('r1', [file('plan.txt', 4), file('notes.txt', 5)]);
    before.add('r2', [file('photo.png', 6, 'image/png')]);
    await before.settled();
    expect(bytes.size).toBe(3);

    const after = new DraftFiles();
    await after.restoreKept({ store, scope: 'me@server' });
    expect(after.of('r1').map((d) => [d.file.name, d.file.size])).toEqual([
      ['plan.txt', 4],
      ['notes.txt', 5],
    ]);
    expect(after.of('r2')[0]?.file.type).toBe('image/png');

    after.remove('r1', after.of('r1')[0]!.id);
    after.take('r2');
    await after.settled();
    expect(bytes.size).toBe(1);
    const third = new DraftFiles();
    await third.restoreKept({ store, scope: 'me@server' });
    expect(third.of('r1').map((d) => d.file.name)).toEqual(['notes.txt']);
    expect(third.of('r2')).toEqual([]);
  });

  it('deletes a file removed while its bytes were being kept, without waiting for the next start', async () => {
    const { store, bytes } = memoryStore();
    // The first file's bytes take a while to write (a loaded disk); the person removes it meanwhile.
    let release = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const putFile = store.putFile;
    const drafts = new DraftFiles();
    await drafts.restoreKept({
      store: {
        ...store,
        putFile: async (scope: string, key: string, data: Uint8Array) => {
          if (writes++ === 0) await slow;
          return putFile(scope, key, data);
        },
      },
      scope: 'me@server',
    });
    drafts.add('r1', [file('notes.txt', 5), file('todo.txt', 4)]);
    await Promise.resolve();
    drafts.remove('r1', drafts.of('r1')[0]!.id);
    release();
    await drafts.settled();
    expect([...bytes.values()].map((b) => b.length)).toEqual([4]);
  });

  it('keeps the draft copies of files taken for sending until they are sent, and every file handed back', async () => {
    const { store, bytes } = memoryStore();
    const drafts = new DraftFiles();
    drafts.limits = { maxBytes: 2 * MB, maxFiles: 10 };
    await drafts.restoreKept({ store, scope: 'me@server' });
    drafts.add('r1', [file('a.txt', 1)]);
    await drafts.settled();
    drafts.take('r1');
    await drafts.settled();
    // Quitting now loses nothing: the draft's copy is still kept.
    expect(bytes.size).toBe(1);
    drafts.sent();
    await drafts.settled();
    expect(bytes.size).toBe(0);

    // Twelve handed back (a redraft onto three chips): none dropped, Send waits, and all are kept.
    drafts.add('r1', [file('x', 1), file('y', 1), file('z', 1)]);
    drafts.restore(
      'r1',
      Array.from({ length: 9 }, (_, i) => file(`back${i}`, 1)),
    );
    expect(drafts.of('r1')).toHaveLength(12);
    expect(drafts.fits('r1')).toBe(false);
    expect(drafts.problems.r1).toEqual(['A message takes at most 10 files: remove 2 to send.']);
    await drafts.settled();
    const again = new DraftFiles();
    await again.restoreKept({ store, scope: 'me@server' });
    expect(again.of('r1')).toHaveLength(12);
  });
});
