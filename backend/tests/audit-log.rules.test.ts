// The audit log from the attacker's side (backend/audit_log.go, migration 1795700155): nobody but a
// superuser reads it, and nobody — a superuser included — creates, changes or deletes an entry through the
// API. Entries the moderation actions append are tested with those actions (moderation, suspension and
// report tests); here an entry is put straight into the database, as the server would have.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let mallory: TestUser;
const entryId = 'auditentry00001';

beforeAll(async () => {
  server = await startTestServer();
  mallory = await signUp(server, 'mallory');
  const sql = `INSERT INTO audit_log (id, actor, actorKind, action, targetCollection, target, room, detail, created)
    VALUES ('${entryId}', '${mallory.id}', 'user', 'message_deleted', 'messages', 'm00000000000001', '', '{}', strftime('%Y-%m-%d %H:%M:%fZ'));`;
  const inserted = spawnSync('sqlite3', [join(server.dataDir, 'data.db')], { input: sql, encoding: 'utf8' });
  if (inserted.status !== 0) throw new Error(`sqlite3 could not insert the audit entry: ${inserted.stderr}`);
});

afterAll(async () => {
  await server?.stop();
});

describe('audit_log', () => {
  it('is read by superusers only', async () => {
    const admin = await server.admin();
    const entries = await admin.collection('audit_log').getFullList();
    expect(entries.map((e) => e.id)).toEqual([entryId]);

    // A signed-in account, even the entry's own actor, and a signed-out caller see nothing of it.
    for (const pb of [mallory.pb, anonymous(server)]) {
      expect((await refused(pb.collection('audit_log').getList(1, 50))).status).toBe(403);
      expect((await refused(pb.collection('audit_log').getOne(entryId))).status).toBe(403);
    }
  });

  it('cannot be written through the API, not even by a superuser', async () => {
    const admin = await server.admin();
    const forged = {
      actor: mallory.id,
      actorKind: 'user',
      action: 'account_restored',
      targetCollection: 'users',
      target: mallory.id,
    };
    for (const pb of [admin, mallory.pb, anonymous(server)]) {
      expect((await refused(pb.collection('audit_log').create(forged))).status).toBe(403);
      expect((await refused(pb.collection('audit_log').update(entryId, { action: 'account_restored' }))).status).toBe(
        403,
      );
      expect((await refused(pb.collection('audit_log').delete(entryId))).status).toBe(403);
    }
    // Nor emptied or rewritten whole: a truncate (entry by entry, at the model level), the collection's
    // deletion or change of rules, an import that would drop it.
    expect((await refused(admin.collections.truncate('audit_log'))).status).toBeGreaterThanOrEqual(400);
    expect((await refused(admin.collections.delete('audit_log'))).status).toBe(403);
    expect((await refused(admin.collections.update('audit_log', { listRule: '' }))).status).toBe(403);
    const others = (await admin.collections.getFullList()).filter((c) => c.name !== 'audit_log' && !c.system);
    expect((await refused(admin.collections.import(others, true))).status).toBe(403);
    expect((await admin.collections.getOne('audit_log')).listRule).toBeNull();
    const [entry] = await admin.collection('audit_log').getFullList();
    expect(entry).toMatchObject({ id: entryId, action: 'message_deleted', actor: mallory.id });
  });
});
