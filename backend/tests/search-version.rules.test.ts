// The search index's tokenizer version (migration 1795700150, backend/search_version.go): an index made by
// another version of Go's tokens is queued again whole before anything merges, at the server's start and
// by `pocketbase search merge`, so an edited message is never found by its old phrase afterwards.
// The Go tests (search_version_test.go) compare every term FTS5 holds; this checks the wiring.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { serverBinary } from '../../scripts/backend-build.ts';
import { createRoom, post, signUp, type TestUser } from '../testing/clients.ts';
import { runSearchMerge, searchQueue } from '../testing/search-index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { sqliteCli } from '../testing/sqlite-cli.ts';

let server: TestServer; // the merger off: a re-index stays queued until `search merge`
let alice: TestUser;
let lobby: RoomsRecord;

const OLD = 'tokens 0; unicode 1.0.0; norm 1.0.0';
const w = `zv${process.pid.toString(36)}`;

function sql(statements: string): string {
  return sqliteCli(server, statements).trim();
}

const queued = () => searchQueue(server);
const version = () => sql('SELECT version FROM message_search_version;');

async function found(q: string): Promise<string[]> {
  const answer = await alice.pb.send<{ items: Array<{ id: string }> }>('/api/palaver/search', {
    query: { q },
    requestKey: null,
  });
  return answer.items.map((item) => item.id);
}

const merge = () => runSearchMerge(server);

beforeAll(async () => {
  server = await startTestServer({ env: { PALAVER_SEARCH_MERGE_MS: '0' } });
  alice = await signUp(server, 'alice');
  lobby = await createRoom(alice, 'public', [], `lobby ${w}`);
});

afterAll(async () => {
  await server?.stop();
});

it('queues every message again when the stored version is not the build’s, at the start and by search merge', async () => {
  const message = await post(alice, lobby, `rollback prod ${w}`);
  await server.kill();
  expect(merge()).not.toMatch(/tokenizer changed/);
  const current = version();
  expect(current).toMatch(/^tokens \d+; unicode61 table [0-9a-f]{12}$/);
  const messages = Number(sql('SELECT count(*) FROM messages;'));

  // `search merge` under a build of another version: everything re-indexed, then merged
  sql(`UPDATE message_search_version SET version = '${OLD}';`);
  expect(merge()).toContain(`search: the tokenizer changed (${OLD} → ${current}): re-indexing ${messages} messages`);
  expect(queued()).toEqual({ pending: 0, gone: 0 });
  expect(version()).toBe(current);

  // the server's start: queued again before it serves, the stored version its own
  sql(`UPDATE message_search_version SET version = '${OLD}';`);
  await server.restart();
  expect(queued()).toEqual({ pending: messages, gone: 0 });
  expect(version()).toBe(current);
  expect(await found(`"rollback prod" ${w}`)).toEqual([message.id]);
  // the operator is told, in the server's logs (the dashboard's Logs: PocketBase's auxiliary.db)
  const logged = () =>
    spawnSync('sqlite3', [join(server.dataDir, 'auxiliary.db')], {
      input: "SELECT message FROM _logs WHERE message LIKE 'search: the tokenizer changed%';",
      encoding: 'utf8',
    }).stdout;
  await expect.poll(logged, { timeout: 10_000 }).toContain(`(${OLD} → ${current}): re-indexing ${messages} messages`);

  // merged, then edited: the old phrase finds nothing
  await server.kill();
  merge();
  await server.restart();
  await alice.pb.collection('messages').update(message.id, { text: `deploy staging ${w}` });
  await server.kill();
  merge();
  await server.restart();
  expect(await found(`"rollback prod"`)).toEqual([]);
  expect(await found(`"deploy staging" ${w}`)).toEqual([message.id]);

  // `search rebuild` makes the index with this build's tokens: it stores this build's version
  await server.kill();
  sql(`UPDATE message_search_version SET version = '${OLD}';`);
  const rebuild = spawnSync(serverBinary, ['search', 'rebuild', '--dir', server.dataDir], { encoding: 'utf8' });
  expect(rebuild.status, rebuild.stderr).toBe(0);
  expect(version()).toBe(current);
  expect(queued()).toEqual({ pending: 0, gone: 0 });
  await server.restart();
  expect(queued()).toEqual({ pending: 0, gone: 0 }); // nothing queued again at the start
  expect(await found(`"deploy staging" ${w}`)).toEqual([message.id]);
});
