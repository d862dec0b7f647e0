// Reports from the attacker's side (backend/reports.go, migrations 1795700171-172): anyone who can read a
// message reports it, and nobody but a superuser ever reads a report back (not the reported person, not the
// reporter); one open report per person per message; a budget per account; settling one is audited.
import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let admin: PocketBase;
let author: TestUser;
let reporter: TestUser;
let outsider: TestUser;
let room: RoomsRecord;
let message: MessagesRecord;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  author = await signUp(server, 'author');
  reporter = await signUp(server, 'reporter');
  outsider = await signUp(server, 'outsider');
  room = await createRoom(author, 'private', [reporter]);
  message = await post(author, room, 'something rude');
});

afterAll(async () => {
  await server?.stop();
});

const report = (who: TestUser | PocketBase, body: Record<string, unknown>) =>
  ('pb' in who ? who.pb : who).collection('reports').create(body);

describe('reports', () => {
  let reportId: string;

  it('are made by a reader of the message, in their own name, open, with what was reported', async () => {
    // Whatever is sent for the fields the server owns is replaced.
    await report(reporter, {
      message: message.id,
      reason: '  insulting  ',
      reporter: outsider.id,
      status: 'resolved',
      author: outsider.id,
      excerpt: 'made up',
    });
    const stored = await admin.collection('reports').getFirstListItem(`message = "${message.id}"`);
    reportId = stored.id;
    expect(stored).toMatchObject({
      message: message.id,
      reporter: reporter.id,
      author: author.id,
      room: room.id,
      reason: 'insulting',
      status: 'open',
      excerpt: 'something rude',
    });
  });

  const byReport = 'reports_via_message.reason ?~ "insult"';

  it('are read by superusers only: not the reporter, not the reported person, not anyone else', async () => {
    for (const pb of [reporter.pb, author.pb, outsider.pb, anonymous(server)]) {
      for (const collection of ['reports', 'open_reports']) {
        expect((await refused(pb.collection(collection).getList(1, 50))).status).toBe(403);
        expect((await refused(pb.collection(collection).getOne(reportId))).status).toBe(403);
      }
      // Nor changed or withdrawn.
      expect([403, 404]).toContain(
        (await refused(pb.collection('reports').update(reportId, { status: 'dismissed' }))).status,
      );
      expect([403, 404]).toContain((await refused(pb.collection('reports').delete(reportId))).status);
      // Nor learnt through a relation of a record they can read (a superuser finds it so).
      const seen = await pb
        .collection('messages')
        .getList(1, 1, { filter: byReport })
        .catch((error: { status: number }) => (error.status === 400 ? { items: [] } : Promise.reject(error)));
      expect(seen.items).toEqual([]);
    }
    expect((await admin.collection('messages').getList(1, 1, { filter: byReport })).items).toHaveLength(1);
    const queue = await admin.collection('open_reports').getFullList();
    expect(queue).toEqual([expect.objectContaining({ id: reportId, message: message.id, reportsOfMessage: 1 })]);
  });

  it('are one open report per person per message', async () => {
    const again = await refused(report(reporter, { message: message.id, reason: 'again' }));
    expect(again.status).toBe(400);
    expect(await admin.collection('reports').getFullList({ filter: `message = "${message.id}"` })).toHaveLength(1);
  });

  it('cannot be made about a message the reporter cannot read, nor by the signed out', async () => {
    const outside = await refused(report(outsider, { message: message.id, reason: 'I saw it somehow' }));
    expect(outside.status).toBe(404);
    // The same answer as for a message that does not exist.
    expect((await refused(report(outsider, { message: 'nosuchmessage00', reason: 'x' }))).status).toBe(404);
    expect([400, 403]).toContain(
      (await refused(report(anonymous(server), { message: message.id, reason: 'x' }))).status,
    );
    // Someone who left the room can no longer report its messages.
    const leaver = await signUp(server, 'leaver');
    const other = await createRoom(author, 'private', [leaver]);
    const said = await post(author, other, 'said before you left');
    await leaver.pb.send(`/api/palaver/rooms/${other.id}/leave`, { method: 'POST' });
    expect((await refused(report(leaver, { message: said.id, reason: 'x' }))).status).toBe(404);
    // A reason is required.
    const blank = await refused(report(reporter, { message: message.id, reason: '   ' }));
    expect(blank.status).toBe(400);
    expect(await admin.collection('reports').getFullList()).toHaveLength(1);
  });

  it('of a public room are open to anyone signed in, as its messages are', async () => {
    const lobby = await author.pb
      .collection('rooms')
      .create<RoomsRecord>({ name: `lobby ${process.pid}`, kind: 'public', owner: author.id, members: [author.id] });
    const shout = await post(author, lobby, 'in public');
    await report(outsider, { message: shout.id, reason: 'spam' });
    expect(await admin.collection('reports').getFullList({ filter: `message = "${shout.id}"` })).toHaveLength(1);
  });

  it('are settled by a superuser, each with an audit entry; then the same person may report again', async () => {
    await admin.collection('reports').update(reportId, { status: 'resolved' });
    await report(reporter, { message: message.id, reason: 'still rude' });
    const second = await admin.collection('reports').getFirstListItem(`status = "open" && message = "${message.id}"`);
    await admin.collection('reports').update(second.id, { status: 'dismissed' });
    // A change of the reason alone is no settlement.
    await admin.collection('reports').update(second.id, { reason: 'edited' });

    const entries = await admin
      .collection('audit_log')
      .getFullList({ filter: 'action = "report_resolved"', sort: 'created' });
    expect(entries.map((e) => [e.target, e.actorKind, e.room, (e.detail as { status: string }).status])).toEqual([
      [reportId, 'superuser', room.id, 'resolved'],
      [second.id, 'superuser', room.id, 'dismissed'],
    ]);
    expect(entries[0]?.detail).toMatchObject({ message: message.id, author: author.id, reporter: reporter.id });
    expect((await admin.collection('open_reports').getFullList()).map((r) => r.message)).not.toContain(message.id);
    // Settled, never deleted: not even a superuser deletes one through the API (it would leave no trace).
    expect((await refused(admin.collection('reports').delete(second.id))).status).toBe(403);
    expect((await admin.collection('reports').getOne(second.id)).status).toBe('dismissed');
  });

  it('outlive the message they report', async () => {
    const doomed = await post(author, room, 'to be deleted');
    await report(reporter, { message: doomed.id, reason: 'first' });
    await author.pb.collection('messages').delete(doomed.id);
    const kept = await admin.collection('reports').getFirstListItem(`excerpt = "to be deleted"`);
    expect(kept).toMatchObject({ message: '', status: 'open', reporter: reporter.id, author: author.id });
  });

  it('are limited per account (palaverReports), without limiting anyone else', async () => {
    const settings = await admin.settings.getAll();
    const rules = settings.rateLimits.rules.map((rule: { label: string }) =>
      rule.label === 'palaverReports' ? { ...rule, maxRequests: 2 } : rule,
    );
    await admin.settings.update({ rateLimits: { ...settings.rateLimits, enabled: true, rules } });
    const eager = await signUp(server, 'eager');
    const lobby = await author.pb
      .collection('rooms')
      .create<RoomsRecord>({ name: `busy ${process.pid}`, kind: 'public', owner: author.id, members: [author.id] });
    const [one, two, three] = await Promise.all(
      [1, 2, 3].map((i) => post(author, lobby, `message ${i}`)).map((p) => p.then((m) => m.id)),
    );
    await report(eager, { message: one, reason: 'one' });
    await report(eager, { message: two, reason: 'two' });
    const third = await refused(report(eager, { message: three, reason: 'three' }));
    expect(third.status).toBe(429);
    await report(outsider, { message: three, reason: 'mine' });
  });
});
