// The load generator for search's "creates with the index vs without": the same as bench/sending.ts's
// direct creates (N clients, each posting as fast as its last create is answered, through the API and
// its rules), with chat-like text (the seed's words) so that the index has real words to store.
// The index's work is no longer all inside a create's transaction (migration 1795700140: the triggers
// queue, the server's merger indexes the queue every half second): `settle` waits until the queue is
// empty after the round, and the server's CPU is counted until then, so the merging is in the CPU per
// create (not in creates/s, which counts the round's seconds only).
import type { TestUser } from '../backend/testing/clients.ts';
import { prng, WORDS } from './history-seed.ts';
import { cpuSeconds } from './lib/proc.ts';
import { round, summarize } from './lib/report.ts';

export interface CreatesRound {
  messages: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50_ms: number;
  p99_ms: number;
  /** The server process's CPU (utime+stime) over the round and its settling, per create stored. */
  server_cpu_ms: number;
  firstError: string;
  /** How long the server took after the round to index what it queued (0 without the triggers). */
  settle_ms: number;
}

/** Posts from every client into `room` for `seconds`; returns creates per second, their latencies and server CPU. */
export async function createsRound(
  users: TestUser[],
  room: string,
  seconds: number,
  seed: number,
  serverPid: number,
  settle: () => Promise<void> = async () => {},
): Promise<CreatesRound> {
  const random = prng(seed);
  const text = () => {
    const words = 3 + Math.floor(random() * 12);
    let out = '';
    for (let i = 0; i < words; i++) out += (i ? ' ' : '') + WORDS[Math.floor(random() * WORDS.length)];
    return out;
  };
  const latencies: number[] = [];
  let failed = 0;
  let firstError = '';
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = cpuSeconds(serverPid);
  await Promise.all(
    users.map(async (user) => {
      while (Date.now() < until) {
        const t = performance.now();
        try {
          await user.pb.collection('messages').create({ text: text(), user: user.id, room }, { requestKey: null });
          latencies.push(performance.now() - t);
        } catch (error) {
          failed++;
          firstError ||= (error as Error).message;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const settleStarted = performance.now();
  await settle();
  const settleMs = performance.now() - settleStarted;
  const cpuMs = (cpuSeconds(serverPid) - cpuBefore) * 1000;
  const s = summarize(latencies);
  return {
    messages: s.n,
    failed,
    seconds: round(elapsed, 1),
    perSecond: round(s.n / elapsed, 1),
    p50_ms: round(s.p50),
    p99_ms: round(s.p99),
    server_cpu_ms: round(cpuMs / Math.max(1, s.n), 2),
    firstError,
    settle_ms: round(settleMs),
  };
}
