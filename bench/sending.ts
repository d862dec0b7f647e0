// Sending: sustained creates per second through the API rules, by many clients at once, and the same
// messages through the client's outbox path (ordered, one in flight per client, idempotent ids).
// The rate limiter is switched off for this run: it measures the server, not the limiter.
import PocketBase from 'pocketbase';
import type { OutboxEntry } from '../src-shared/ipc.ts';
import type { RoomsRecord } from '../src-shared/pocketbase-types.ts';
import { signUp, type TestUser } from '../backend/testing/clients.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { ensureBackendBuilt } from '../scripts/backend-build.ts';
import { Outbox } from '../src-renderer/src/lib/outbox.ts';
import { newRecordId } from '../src-shared/record-id.ts';
import { deadlines } from './lib/deadline.ts';
import { ratio, report, round, summarize, type Row } from './lib/report.ts';

const CLIENTS = Number(process.env.PALAVER_SEND_CLIENTS ?? 8);
const SECONDS = Number(process.env.PALAVER_SEND_SECONDS ?? 10);
const OUTBOX_MESSAGES = Number(process.env.PALAVER_SEND_OUTBOX_MESSAGES ?? 200);
const deadline = deadlines('sending');
// Deadlines, generous for a busy machine: the direct phase stops sending after SECONDS and only waits
// for requests in flight; the outbox phase must drain every client's outbox.
const DIRECT_MS = SECONDS * 1000 + 60_000;
const OUTBOX_MS = Math.max(60_000, CLIENTS * OUTBOX_MESSAGES * 50);

async function directCreates(users: TestUser[], room: RoomsRecord): Promise<Row & { perSecond: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    users.map(async (user, i) => {
      let n = 0;
      while (Date.now() < deadline) {
        const t = performance.now();
        try {
          await user.pb
            .collection('messages')
            .create({ text: `direct ${i}/${n++}`, user: user.id, room: room.id }, { requestKey: null });
          latencies.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  const perSecond = round(s.n / elapsed, 1);
  return {
    path: 'API, rules checked (parallel, no ordering)',
    clients: users.length,
    messages: s.n,
    failed,
    seconds: round(elapsed, 1),
    perSecond,
    p50_ms: round(s.p50),
    p99_ms: round(s.p99),
  };
}

async function throughOutbox(users: TestUser[], room: RoomsRecord): Promise<Row & { perSecond: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    users.map(async (user, i) => {
      const written = new Map<string, number>();
      let done!: () => void;
      const drained = new Promise<void>((resolve) => (done = resolve));
      const outbox = new Outbox([], {
        send: async (entry: OutboxEntry) => {
          try {
            await user.pb
              .collection('messages')
              .create({ id: entry.id, text: entry.text, user: user.id, room: entry.room }, { requestKey: null });
            return { kind: 'sent' };
          } catch {
            failed++;
            return { kind: 'refused', reason: 'refused' };
          }
        },
        persist: async () => undefined,
        changed: (entries) => {
          if (entries.length === 0) done();
        },
        sent: (entry) => latencies.push(performance.now() - written.get(entry.id)!),
      });
      for (let n = 0; n < OUTBOX_MESSAGES; n++) {
        const id = newRecordId();
        written.set(id, performance.now());
        void outbox.add({
          id,
          room: room.id,
          text: `outbox ${i}/${n}`,
          created: new Date().toISOString().replace('T', ' '),
          state: 'pending',
        });
      }
      await deadline.within(
        `client ${i}'s outbox of ${OUTBOX_MESSAGES} messages to drain`,
        OUTBOX_MS,
        drained,
        () => `${latencies.length} of ${users.length * OUTBOX_MESSAGES} sent by all clients, ${failed} refused`,
      );
      outbox.dispose();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  const perSecond = round(s.n / elapsed, 1);
  // Latency here is from writing to stored, including waiting behind earlier messages of the same client.
  return {
    path: 'outbox (ordered, 1 in flight per client)',
    clients: users.length,
    messages: s.n,
    failed,
    seconds: round(elapsed, 1),
    perSecond,
    p50_ms: round(s.p50),
    p99_ms: round(s.p99),
  };
}

ensureBackendBuilt();
const server = await startTestServer();
try {
  const admin = await server.admin();
  await admin.settings.update({ rateLimits: { enabled: false } });
  const users: TestUser[] = [];
  for (let i = 0; i < CLIENTS; i++) users.push(await signUp(server, `sender${i}`));
  const general = await users[0]!.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
  const direct = await deadline.within(
    `${CLIENTS} clients' ${SECONDS} s of direct creates to end`,
    DIRECT_MS,
    directCreates(users, general),
  );
  const outbox = await throughOutbox(users, general);
  const check = new PocketBase(server.url);
  await check.collection('_superusers').authWithPassword(server.superuser.email, server.superuser.password);
  const stored = (await check.collection('messages').getList(1, 1)).totalItems;
  report(
    'sending',
    `Sending: ${CLIENTS} clients on ${process.env.PALAVER_SEND_SECONDS ?? 10} s of direct creates, then ${OUTBOX_MESSAGES} messages each through the outbox`,
    [direct, outbox],
    {
      stored,
      outboxVsDirectThroughput: ratio(outbox.perSecond, direct.perSecond),
    },
  );
  console.log(
    `stored ${stored} = ${Number(direct.messages) + Number(outbox.messages)} sent; outbox/direct throughput ${ratio(outbox.perSecond, direct.perSecond)}`,
  );
} finally {
  await server.stop();
}
