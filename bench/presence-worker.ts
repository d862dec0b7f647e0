// A load-generator process for bench/presence.ts: holds thousands of signed-in realtime connections on
// plain `http` sockets (no SDK, no EventSource object per connection: a connection costs a socket and a
// small parser here, so one Node process holds thousands), subscribes them to the topics it is told,
// and records when each connection receives each presence event. Started by bench/presence.ts with
// child_process.fork and driven over IPC; not meant to be run alone.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { eventKeys, openSse, pool, subscribe } from './lib/sse.ts';

if (!process.send) {
  console.error('bench/presence-worker.ts is started by bench/presence.ts (child_process.fork), not on its own.');
  process.exit(2);
}

export type ToPresenceWorker =
  | { type: 'connect'; url: string; tokens: string[]; topics: string[]; concurrency: number }
  | { type: 'resubscribe'; topics: string[]; concurrency: number }
  | { type: 'collect'; key: string }
  /** How many of these keys arrived (not cleared), when the last did, and how many events came in all. */
  | { type: 'tally'; keys: string[] }
  | { type: 'stop' };

export type FromPresenceWorker =
  | { type: 'ready'; held: number; failed: number; errors: Record<string, number>; ms: number }
  | { type: 'resubscribed'; ok: number; failed: number; ms: number }
  | { type: 'arrivals'; key: string; times: number[]; loopDelayP99Ms: number }
  | { type: 'tallied'; received: number; last: number; events: number }
  | { type: 'fatal'; error: string };

const tell = (message: FromPresenceWorker) => process.send?.(message);
process.on('disconnect', () => process.exit(0));

const connections: Array<{ clientId: string; token: string; close(): void }> = [];
const arrivals = new Map<string, number[]>();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let url = '';

let events = 0;
const onEvent = (_name: string, data: string) => {
  const at = Date.now();
  events += 1;
  for (const key of eventKeys(data)) {
    const times = arrivals.get(key);
    if (times) times.push(at);
    else arrivals.set(key, [at]);
  }
};

process.on('message', (message: ToPresenceWorker) => {
  void (async () => {
    if (message.type === 'connect') {
      url = message.url;
      const started = Date.now();
      const errors: Record<string, number> = {};
      let failed = 0;
      await pool(message.tokens.length, message.concurrency, async (i) => {
        const token = message.tokens[i]!;
        try {
          const connection = await openSse(url, onEvent);
          await subscribe(url, connection.clientId, token, message.topics);
          connections.push({ clientId: connection.clientId, token, close: connection.close });
        } catch (error) {
          failed += 1;
          const key = error instanceof Error ? error.message.slice(0, 80) : String(error);
          errors[key] = (errors[key] ?? 0) + 1;
        }
      });
      loopDelay.enable();
      tell({ type: 'ready', held: connections.length, failed, errors, ms: Date.now() - started });
    } else if (message.type === 'resubscribe') {
      const started = Date.now();
      let failed = 0;
      await pool(connections.length, message.concurrency, async (i) => {
        const connection = connections[i]!;
        await subscribe(url, connection.clientId, connection.token, message.topics).catch(() => (failed += 1));
      });
      tell({ type: 'resubscribed', ok: connections.length - failed, failed, ms: Date.now() - started });
    } else if (message.type === 'collect') {
      const times = arrivals.get(message.key) ?? [];
      arrivals.clear();
      tell({ type: 'arrivals', key: message.key, times, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 });
      loopDelay.reset();
    } else if (message.type === 'tally') {
      let received = 0;
      let last = 0;
      for (const key of message.keys) {
        const times = arrivals.get(key) ?? [];
        received += times.length;
        for (const t of times) last = Math.max(last, t);
      }
      tell({ type: 'tallied', received, last, events });
    } else if (message.type === 'stop') {
      for (const connection of connections) connection.close();
      process.exit(0);
    }
  })().catch((error: unknown) => tell({ type: 'fatal', error: String(error) }));
});
