// The search index's queue (migration 1795700140, backend/search_merge.go, search_pending.go): the
// triggers queue every change and the server merges the queue into FTS5 in batches; a search reads both,
// so what it finds never depends on whether a change was merged yet. Checked from the user's and the
// outsider's side with the merger off (every change stays queued) and after `pocketbase search merge`;
// with the merger racing creates and edits; with messages written by the sqlite3 CLI while the server
// was stopped; and with a backlog larger than a search evaluates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { createRoom, post, signUp, type TestUser } from '../testing/clients.ts';
import { runSearchMerge, searchMerged, searchQueue } from '../testing/search-index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { sqliteCli } from '../testing/sqlite-cli.ts';

interface SearchAnswer {
  totalItems: number;
  more: boolean;
  items: Array<{ id: string; text: string; room: string }>;
}

let server: TestServer; // the merger off: changes stay queued until mergeNow()
let alice: TestUser;
let bob: TestUser; // member of secret
let mallory: TestUser; // member of nothing of alice's
let lobby: RoomsRecord; // public
let quiet: RoomsRecord; // public
let secret: RoomsRecord; // private: alice, bob

let words = 0;
/** A word no other test writes. */
function word(): string {
  words += 1;
  return `zm${process.pid.toString(36)}x${words}`;
}

function search(who: TestUser, query: Record<string, string | number>): Promise<SearchAnswer> {
  const params = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return who.pb.send<SearchAnswer>('/api/palaver/search', { query: params, requestKey: null });
}

async function found(who: TestUser, q: string, extra: Record<string, string> = {}): Promise<string[]> {
  return (await search(who, { q, ...extra })).items.map((item) => item.id);
}

/** Stops the server, merges its queue with `pocketbase search merge`, starts it again. */
async function mergeNow(): Promise<void> {
  await server.kill();
  expect(runSearchMerge(server)).toMatch(/^Merged \d+ queued changes into the search index in [\d.]+ s\.$/m);
  expect(searchQueue(server)).toEqual({ pending: 0, gone: 0 });
  await server.restart();
}

beforeAll(async () => {
  server = await startTestServer({ env: { PALAVER_SEARCH_MERGE_MS: '0' } });
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
  lobby = await createRoom(alice, 'public', [], `lobby ${word()}`);
  quiet = await createRoom(alice, 'public', [], `quiet ${word()}`);
  secret = await createRoom(alice, 'private', [bob], `secret ${word()}`);
});

afterAll(async () => {
  await server?.stop();
});

describe('the same answers before and after the merge', () => {
  it('an edit is found by its new text and not its old, a delete is gone, a move leaves its old room', async () => {
    const [old, edited, deleted, moved] = [word(), word(), word(), word()];
    const message = await post(alice, lobby, `first ${old}`);
    const doomed = await post(alice, lobby, `doomed ${deleted}`);
    const mover = await post(alice, lobby, `moving ${moved}`);
    // queued, not merged: found all the same
    expect(searchQueue(server).pending).toBeGreaterThanOrEqual(3);
    expect(await found(bob, old)).toEqual([message.id]);
    expect(await found(mallory, moved, { room: lobby.id })).toEqual([mover.id]);
    await mergeNow();
    expect(await found(bob, old)).toEqual([message.id]);

    // changed after the merge: FTS5 still holds the old values until the next one
    await alice.pb.collection('messages').update(message.id, { text: `second ${edited}` });
    await alice.pb.collection('messages').delete(doomed.id);
    const admin = await server.admin();
    await admin.collection('messages').update(mover.id, { room: secret.id });
    expect(searchQueue(server)).toEqual({ pending: 2, gone: 3 });

    const check = async (when: string) => {
      expect(await found(bob, old), `the old text ${when}`).toEqual([]);
      const [hit] = (await search(bob, { q: edited })).items;
      expect(hit, `the new text ${when}`).toMatchObject({ id: message.id, text: `second ${edited}` });
      expect(await found(bob, deleted), `the deleted message ${when}`).toEqual([]);
      expect(await search(mallory, { q: moved }), `the moved message for an outsider ${when}`).toMatchObject({
        totalItems: 0,
        items: [],
      });
      expect(await found(mallory, moved, { room: lobby.id }), `in its old room ${when}`).toEqual([]);
      expect(await found(bob, moved, { room: secret.id }), `in its new room ${when}`).toEqual([mover.id]);
      expect(await found(bob, `${moved} in:#"${lobby.name}"`), `by a member, in its old room ${when}`).toEqual([]);
    };
    await check('before the merge');
    await mergeNow();
    await check('after the merge');
  });

  it('a message edited and deleted before it was ever merged', async () => {
    const [first, second, gone] = [word(), word(), word()];
    const message = await post(alice, quiet, `draft ${first}`);
    await alice.pb.collection('messages').update(message.id, { text: `final ${second}` });
    const doomed = await post(alice, quiet, `short-lived ${gone}`);
    await alice.pb.collection('messages').delete(doomed.id);
    expect(searchQueue(server).gone).toBe(0); // FTS5 never held them: nothing to forget
    for (const when of ['before', 'after']) {
      expect(await found(bob, first), when).toEqual([]);
      expect(await found(bob, second), when).toEqual([message.id]);
      expect(await found(bob, gone), when).toEqual([]);
      if (when === 'before') await mergeNow();
    }
  });
});

describe('messages written while no server ran', () => {
  it('finds a message the sqlite3 CLI wrote (the triggers queue it) as soon as the server starts', async () => {
    const w = word();
    await server.kill();
    const created = '2026-12-01 10:00:00.000Z';
    sqliteCli(
      server,
      `INSERT INTO messages (id, room, user, text, created, updated)
       VALUES ('climerge0000001', '${lobby.id}', '${alice.id}', 'written by the cli ${w}', '${created}', '${created}');`,
    );
    expect(searchQueue(server).pending).toBe(1);
    await server.restart();
    expect(await found(mallory, w)).toEqual(['climerge0000001']);
    expect(await found(mallory, w, { room: lobby.id })).toEqual(['climerge0000001']);
    await mergeNow();
    expect(await found(mallory, w)).toEqual(['climerge0000001']);
  });

  it('answers from the newest of a backlog larger than a search evaluates, and says there may be more', async () => {
    const w = word();
    const older = await post(alice, quiet, `an older ${w}`);
    await mergeNow();
    await server.kill();
    const created = '2026-12-02 08:00:00.000Z';
    // one message in quiet before the 6,000 in lobby, one after
    const quietMessage = (id: string) =>
      `INSERT INTO messages (id, room, user, text, created, updated)
       VALUES ('${id}', '${quiet.id}', '${alice.id}', 'a quiet queued ${w}', '${created}', '${created}');`;
    sqliteCli(
      server,
      `${quietMessage('backlogquietold')}
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
       INSERT INTO messages (id, room, user, text, created, updated)
       SELECT printf('backlog%08d', i), '${lobby.id}', '${alice.id}', 'a queued ${w}', '${created}', '${created}' FROM n;
       ${quietMessage('backlogquietnew')}`,
    );
    await server.restart();
    // 6,002 queued matches: a search reads the newest 5,000 queued rows (backend/search_pending.go)
    expect(await search(bob, { q: w })).toMatchObject({ totalItems: 1000, more: true });
    // ... whatever its room: quiet's newest queued message and the merged older one are found, its oldest
    // queued one (behind 5,000 of lobby's) not yet, and the answer says there may be more
    const inQuiet = await search(bob, { q: w, room: quiet.id });
    expect(inQuiet).toMatchObject({ totalItems: 2, more: true });
    expect(inQuiet.items.map((i) => i.id).sort()).toEqual(['backlogquietnew', older.id].sort());
    await mergeNow();
    expect(await search(bob, { q: w })).toMatchObject({ totalItems: 1000, more: true });
    const merged = await search(bob, { q: w, room: quiet.id });
    expect(merged).toMatchObject({ totalItems: 3, more: false });
    expect(merged.items.map((i) => i.id).sort()).toEqual(['backlogquietnew', 'backlogquietold', older.id].sort());
  });
});

describe('the merger racing creates and edits', () => {
  let racing: TestServer;
  afterAll(async () => {
    await racing?.stop();
  });

  it('ends with every message found by its text and no other, merged or queued', async () => {
    // merges every 20 ms, so that many batches commit between the creates and edits
    racing = await startTestServer({ env: { PALAVER_SEARCH_MERGE_MS: '20' } });
    const [writer, reader] = await Promise.all([signUp(racing, 'writer'), signUp(racing, 'reader')]);
    const room = await createRoom(writer, 'public', [], `race ${word()}`);
    const before = Array.from({ length: 100 }, () => word());
    const after = before.map(() => word());
    const ids: string[] = [];
    // 100 creates and 100 edits, four at a time: each message is edited as soon as it is created
    for (let start = 0; start < before.length; start += 4) {
      await Promise.all(
        before.slice(start, start + 4).map(async (w, k) => {
          const message = await post(writer, room, `racing ${w}`);
          ids[start + k] = message.id;
          if ((start + k) % 2 === 0)
            await writer.pb.collection('messages').update(message.id, { text: `raced ${after[start + k]}` });
        }),
      );
    }
    const findOne = async (q: string) => (await search(reader, { q, perPage: 5 })).items.map((item) => item.id);
    const check = async (when: string) => {
      for (const [i, id] of ids.entries()) {
        const edited = i % 2 === 0;
        expect(await findOne(before[i]!), `${before[i]} ${when}`).toEqual(edited ? [] : [id]);
        if (edited) expect(await findOne(after[i]!), `${after[i]} ${when}`).toEqual([id]);
      }
    };
    await check('as the writes end');
    await searchMerged(racing);
    await check('once merged');
    expect(sqliteCli(racing, "INSERT INTO message_search (message_search) VALUES ('integrity-check');")).toBe('');
  });
});
