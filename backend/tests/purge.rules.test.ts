// The purge route (backend/purge.go) from the attacker's and the operator's side: superusers only; it
// deletes what an account wrote and nobody else's (replies by others that went with the account's thread
// roots each leave their own entry); and its audit entries always agree with what it deleted, even when
// the server dies half-way: each batch's deletions and its entry are one transaction.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { anonymous, createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
});

afterAll(async () => {
  await server?.stop();
});

interface PurgeDetail {
  purge: string;
  messages: number;
  reactions: number;
  complete?: boolean;
  stopped?: string;
}

/** The account's audit entries of `action`, oldest first. */
async function auditOf(target: string, action: string): Promise<Array<{ actorKind: string; detail: PurgeDetail }>> {
  return admin.collection('audit_log').getFullList({
    filter: admin.filter('target = {:target} && action = {:action}', { target, action }),
    sort: 'created,id',
  });
}

/** Posts `count` messages as `author`, ten at a time. */
async function postMany(author: TestUser, roomId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) => post(author, roomId, `spam ${i + j}`)));
  }
}

async function countBy(user: TestUser): Promise<number> {
  const page = await admin
    .collection('messages')
    .getList(1, 1, { filter: admin.filter('user = {:user}', { user: user.id }) });
  return page.totalItems;
}

describe('POST /api/palaver/users/{id}/purge', () => {
  const purge = (pb: PocketBase, id: string) =>
    pb.send(`/api/palaver/users/${id}/purge`, { method: 'POST', requestKey: null });

  it('is refused to everyone but superusers', async () => {
    const troll = await signUp(server, 'troll');
    const other = await signUp(server, 'other');
    const room = await createRoom(other, 'private', [troll]);
    await post(troll, room, 'kept');
    for (const pb of [troll.pb, other.pb, anonymous(server)]) {
      expect([401, 403]).toContain((await refused(purge(pb, troll.id))).status);
    }
    expect(await other.pb.collection('messages').getFullList({ filter: `room = "${room.id}"` })).toHaveLength(1);
    expect((await refused(purge(admin, 'nosuchaccount00'))).status).toBe(404);
  });

  it('deletes every message and reaction the account wrote, in batches, and nobody else’s but replies to its threads', async () => {
    const troll = await signUp(server, 'troll');
    const other = await signUp(server, 'other');
    const room = await createRoom(other, 'private', [troll]);
    const theirs = await post(other, room, 'a message of someone else');
    await other.pb.collection('reactions').create({ message: theirs.id, user: other.id, emoji: '👍' });
    await troll.pb.collection('reactions').create({ message: theirs.id, user: troll.id, emoji: '👎' });
    // A thread of theirs goes whole: their own reply counts as theirs, another's reply has its own entry.
    const root = await post(troll, room, 'a thread of spam');
    const thread = { room: room.id, thread: root.id };
    await troll.pb.collection('messages').create({ ...thread, user: troll.id, text: 'more spam in it' });
    const answered = await other.pb
      .collection('messages')
      .create<MessagesRecord>({ ...thread, user: other.id, text: 'please stop' });
    // More than one batch (purge.go deletes 100 per transaction).
    await postMany(troll, room.id, 230);
    const count = 232;

    const answer = await purge(admin, troll.id);
    expect(answer).toEqual({ messages: count, reactions: 1 });
    const left = await other.pb.collection('messages').getFullList<MessagesRecord>({ filter: `room = "${room.id}"` });
    expect(left.map((m) => m.text)).toEqual(['a message of someone else']);
    const reactions = await other.pb.collection('reactions').getFullList({ filter: `message = "${theirs.id}"` });
    expect(reactions.map((r) => r.user)).toEqual([other.id]);
    // The account itself stays.
    expect((await admin.collection('users').getOne(troll.id)).id).toBe(troll.id);

    // One entry per batch, one purge, adding up to what was deleted; the last one says it is complete.
    const entries = await auditOf(troll.id, 'messages_purged');
    expect(entries.length).toBeGreaterThan(2);
    expect(new Set(entries.map((e) => e.detail.purge)).size).toBe(1);
    expect(entries.every((e) => e.actorKind === 'superuser')).toBe(true);
    const sum = (key: 'messages' | 'reactions') => entries.reduce((total, e) => total + e.detail[key], 0);
    expect([sum('messages'), sum('reactions')]).toEqual([count, 1]);
    expect(entries.map((e) => e.detail.complete ?? false)).toEqual([...entries.slice(1).map(() => false), true]);
    expect((await auditOf(answered.id, 'message_deleted')).map((e) => [e.actorKind, e.detail])).toEqual([
      ['superuser', { author: other.id, text: 'please stop', thread: root.id }],
    ]);
  });

  // The operator's way to it (backend/deploy/admin.sh purge): the superuser's password reaches the script
  // through its environment, never as an argument, and it says what it deleted.
  const tools = ['curl', 'jq'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  it.skipIf(tools.length > 0)(
    `admin.sh purge deletes what they wrote and says how much${tools.length > 0 ? ` (skipped: ${tools.join(' and ')} not installed)` : ''}`,
    async () => {
      const troll = await signUp(server, 'troll');
      const other = await signUp(server, 'other');
      const room = await createRoom(other, 'private', [troll]);
      await post(troll, room, 'spam 1');
      await post(troll, room, 'spam 2');
      // A reader with the room open sees each go as removed, without its text sent out again.
      const deleted: Array<{ action: string; record: MessagesRecord & { removedBy?: string } }> = [];
      const unsubscribe = await other.pb.realtime.subscribe(MESSAGES_TOPIC, (event: (typeof deleted)[number]) => {
        if (event.action === 'delete') deleted.push(event);
      });
      const script = join(import.meta.dirname, '../deploy/admin.sh');
      // An empty settings file: an operator's backend/deploy/admin.env must not be read by a test.
      const envFile = join(server.dataDir, 'admin.env');
      writeFileSync(envFile, '');
      const env = {
        PATH: process.env.PATH ?? '',
        PALAVER_URL: server.url,
        PB_SUPERUSER_EMAIL: server.superuser.email,
        PB_SUPERUSER_PASSWORD: server.superuser.password,
      };
      const refusedId = spawnSync('bash', [script, '--env', envFile, 'purge', 'not an id'], {
        env,
        encoding: 'utf8',
      });
      expect(refusedId.status).not.toBe(0);
      expect(refusedId.stderr).toContain("purge needs the account's id");
      const run = spawnSync('bash', [script, '--env', envFile, 'purge', troll.id], { env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(`purged account ${troll.id}: 2 messages, 0 reactions deleted`);
      expect(run.stdout + run.stderr).not.toContain(server.superuser.password);
      expect(await other.pb.collection('messages').getFullList({ filter: `room = "${room.id}"` })).toHaveLength(0);
      await expect.poll(() => deleted.length).toBe(2);
      expect(deleted.map((e) => [e.record.text, e.record.removedBy])).toEqual([
        ['', 'moderator'],
        ['', 'moderator'],
      ]);
      await unsubscribe();
    },
  );

  // Last: it kills the server. A purge's deletions are committed batch by batch; the entry that says so
  // must be in each batch's transaction, or a crash leaves deletions nobody logged.
  it('leaves the log agreeing with what was deleted when the server dies half-way', async () => {
    const troll = await signUp(server, 'troll');
    const other = await signUp(server, 'other');
    const room = await createRoom(other, 'private', [troll]);
    const count = 1200;
    await postMany(troll, room.id, count);

    const purging = purge(admin, troll.id).catch(() => 'cut off');
    // Killed as soon as the first batch is committed and before the last: polled without pause.
    let remaining = count;
    while (remaining === count) remaining = await countBy(troll);
    await server.kill();
    expect(await purging).toBe('cut off');
    await server.restart();
    admin = await server.admin();

    remaining = await countBy(troll);
    expect(remaining, 'the purge ended before the kill: the test proved nothing').toBeGreaterThan(0);
    const entries = await auditOf(troll.id, 'messages_purged');
    expect(entries.reduce((total, e) => total + e.detail.messages, 0)).toBe(count - remaining);
    expect(entries.some((e) => e.detail.complete)).toBe(false);
  });
});
