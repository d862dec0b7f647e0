// A load-generator process for bench/fanout.ts: holds many realtime subscribers (one PocketBase SDK
// client and one `eventsource` SSE connection each) subscribed to `palaver/messages`, `messages` '*' or
// `reactions` '*', and records, for every delivery, receive time minus send time. Message phase: the
// sender wrote its send time into the message text. Reaction phase (after it, same subscribers): a
// reaction changes no text, so the worker keeps each delivery's receive time and the coordinator sends
// the send times with `collect`. Started by fanout.ts with child_process.fork and driven over IPC (see
// fanout-shared.ts); not meant to be run alone.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventSource } from 'eventsource';
import PocketBase, { BaseAuthStore } from 'pocketbase';
import { MESSAGES_TOPIC } from '../src-shared/realtime-topics.ts';
import {
  parseMessageText,
  REACTION_EMOJI,
  type ConnectCommand,
  type FromWorker,
  type ReactionsCommand,
  type ToWorker,
} from './fanout-shared.ts';

// The SDK's realtime service needs a global EventSource; Node has none.
(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

if (!process.send) {
  console.error('bench/fanout-worker.ts is started by bench/fanout.ts (child_process.fork), not on its own.');
  process.exit(2);
}

const tell = (message: FromWorker): void => {
  process.send?.(message);
};

// The coordinator going away (crash, Ctrl-C, watchdog) must not leave thousands of connections open.
process.on('disconnect', () => process.exit(0));

interface MessageRecord {
  id?: unknown;
  text?: unknown;
  user?: unknown;
  expand?: { user?: { id?: unknown } };
  /** On a message: the server's reaction summary. */
  reactionInfo?: unknown;
  /** On a reaction (`reactions` '*'). */
  message?: unknown;
  emoji?: unknown;
}

interface RealtimeEvent {
  action?: string;
  record?: MessageRecord;
}

let config: ConnectCommand | undefined;
/** Set for the reaction phase; until then every event is measured as a message. */
let reactionPhase: { seqOf: Map<string, number>; messages: number; reactions: number } | undefined;
/** Events per subscriber in the current phase: messages, then reactions. */
let perSubscriber = 0;
const clients: PocketBase[] = [];
let latencies = new Float64Array(0);
let seen = new Uint8Array(0);
let received = 0;
let duplicates = 0;
let other = 0;
let missingAuthor = 0;
let requestsDuringRun = 0;
let requestErrors = 0;
const requestErrorKinds: Record<string, number> = {};
let disconnects = 0;
let alsoReceived = 0;
let measuring = false;
let progressTimer: NodeJS.Timeout | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

function deliver(index: number, seq: number, sentAt: number, at: number): void {
  if (!Number.isInteger(seq) || seq < 0 || seq >= perSubscriber) {
    other += 1;
    return;
  }
  const slot = index * perSubscriber + seq;
  if (seen[slot]) {
    duplicates += 1;
    return;
  }
  seen[slot] = 1;
  latencies[slot] = at - sentAt;
  received += 1;
}

/** Which reaction (k) an event is from, or -1: see REACTION_EMOJI for how k maps to message and emoji. */
function reactionIndex(data: RealtimeEvent): number {
  const phase = reactionPhase!;
  const record = data?.record;
  if (config!.mode === 'reactions') {
    const seq = phase.seqOf.get(String(record?.message));
    const round = REACTION_EMOJI.indexOf(record?.emoji as (typeof REACTION_EMOJI)[number]);
    return data?.action === 'create' && seq !== undefined && round >= 0 ? round * phase.messages + seq : -1;
  }
  const seq = phase.seqOf.get(String(record?.id));
  if (data?.action !== 'update' || seq === undefined || !Array.isArray(record?.reactionInfo)) return -1;
  let total = 0;
  for (const chip of record.reactionInfo as Array<{ count?: unknown }>) total += Number(chip?.count) || 0;
  return total >= 1 ? (total - 1) * phase.messages + seq : -1;
}

function onEvent(index: number, pb: PocketBase, data: RealtimeEvent): void {
  const at = Date.now();
  const cfg = config!;
  const record = data?.record;
  if (reactionPhase) {
    // Receive time only: the coordinator knows when each reaction was sent.
    const k = reactionIndex(data);
    if (k < 0) other += 1;
    else {
      if (cfg.mode !== 'reactions' && typeof record?.expand?.user?.id !== 'string') missingAuthor += 1;
      deliver(index, k, 0, at);
    }
    return;
  }
  const parsed = parseMessageText(record?.text);
  // Only creates: a message's later updates (its reactions, in the next phase) are not new messages.
  if (!record || !parsed || parsed.runId !== cfg.runId || (data.action && data.action !== 'create')) {
    other += 1;
    return;
  }
  if (cfg.mode === 'expand' || cfg.mode === 'topic') {
    if (typeof record.expand?.user?.id !== 'string') missingAuthor += 1;
    deliver(index, parsed.seq, parsed.sentAt, at);
    return;
  }
  if (cfg.mode === 'plain') {
    deliver(index, parsed.seq, parsed.sentAt, at);
    return;
  }
  // The seed tutorial's client: the event has only the author's id, so ask for the author; the message
  // can be shown (with its author) only when that answer is back.
  requestsDuringRun += 1;
  pb.collection('users')
    .getOne(String(record.user))
    .then((user) => {
      if (!user?.id) missingAuthor += 1;
      deliver(index, parsed.seq, parsed.sentAt, Date.now());
    })
    .catch((error: unknown) => {
      requestErrors += 1;
      const key = errorKey(error);
      requestErrorKinds[key] = (requestErrorKinds[key] ?? 0) + 1;
    });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function errorKey(error: unknown): string {
  const e = error as { status?: number; message?: string };
  const causes: string[] = [];
  let cause = (error as { cause?: unknown })?.cause;
  for (let depth = 0; cause && depth < 4; depth += 1) {
    const c = cause as { code?: string; message?: string; cause?: unknown };
    const text = c.code ?? c.message;
    if (text && !causes.includes(text) && text !== e?.message) causes.push(text);
    cause = c.cause;
  }
  const status = e?.status !== undefined ? `status ${e.status}: ` : '';
  return `${status}${e?.message ?? String(error)}${causes.length ? ` (${causes.join(' / ')})` : ''}`.slice(0, 200);
}

/** Clears the counts for a new phase of `events` per subscriber. */
function resetCounts(count: number, events: number): void {
  perSubscriber = events;
  latencies = new Float64Array(count * events);
  seen = new Uint8Array(count * events);
  received = 0;
  duplicates = 0;
  other = 0;
  missingAuthor = 0;
  requestsDuringRun = 0;
  requestErrors = 0;
  for (const key of Object.keys(requestErrorKinds)) delete requestErrorKinds[key];
  disconnects = 0;
  alsoReceived = 0;
}

function startReactions(command: ReactionsCommand): void {
  const seqOf = new Map<string, number>();
  command.messageIds.forEach((id, seq) => seqOf.set(id, seq));
  reactionPhase = { seqOf, messages: command.messageIds.length, reactions: command.reactions };
  resetCounts(config!.count, command.reactions);
}

async function connectAll(cfg: ConnectCommand): Promise<void> {
  config = cfg;
  resetCounts(cfg.count, cfg.messages);
  const started = Date.now();
  const deadline = started + cfg.connectTimeoutMs;
  const errors: Record<string, number> = {};
  let next = 0;
  let held = 0;
  let failed = 0;
  let connectRequests = 0;

  const report = setInterval(() => tell({ type: 'connecting', held, failed }), 1000);

  const connectOne = async (index: number): Promise<void> => {
    const pb = new PocketBase(cfg.url, new BaseAuthStore());
    pb.autoCancellation(false);
    const token = cfg.tokens[index];
    if (token) pb.authStore.save(token, null);
    pb.realtime.onDisconnect = (active) => {
      if (active.length > 0) disconnects += 1;
    };
    connectRequests += 2; // the SSE GET /api/realtime and the subscription POST /api/realtime
    const onData = (data: RealtimeEvent) => onEvent(index, pb, data);
    const subscribingMain =
      cfg.mode === 'topic'
        ? pb.realtime.subscribe(MESSAGES_TOPIC, onData)
        : cfg.mode === 'reactions'
          ? pb.collection('reactions').subscribe('*', onData)
          : pb.collection('messages').subscribe('*', onData, cfg.mode === 'expand' ? { expand: 'user' } : undefined);
    const subscribing = subscribingMain.then(async (unsubscribe) => {
      for (const topic of cfg.alsoTopics ?? []) {
        connectRequests += 1; // one more subscription POST
        await pb.realtime.subscribe(topic, () => void (alsoReceived += 1));
      }
      return unsubscribe;
    });
    try {
      await withTimeout(subscribing, cfg.subscribeTimeoutMs, 'subscribe');
      clients.push(pb);
      held += 1;
    } catch (error) {
      failed += 1;
      const key = errorKey(error);
      errors[key] = (errors[key] ?? 0) + 1;
      // Close whatever was opened (no-op when nothing is connected yet; the SDK's own connect timeout
      // closes a stream still being opened).
      subscribing.then(() => pb.realtime.unsubscribe()).catch(() => undefined);
    }
  };

  const lane = async (): Promise<void> => {
    while (next < cfg.count && Date.now() < deadline) {
      const index = next;
      next += 1;
      await connectOne(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cfg.concurrency, cfg.count)) }, lane));
  clearInterval(report);
  tell({
    type: 'ready',
    held,
    failed,
    notAttempted: cfg.count - next,
    connectRequests,
    errors,
    connectMs: Date.now() - started,
  });
}

function collect(sentAt: number[] | undefined): void {
  clearInterval(progressTimer);
  loopDelay.disable();
  const cfg = config!;
  const out = new Float64Array(received);
  let k = 0;
  for (let slot = 0; slot < seen.length; slot += 1) {
    if (!seen[slot]) continue;
    // In the reaction phase a slot holds the receive time; the send time is the coordinator's.
    out[k++] = sentAt ? latencies[slot]! - (sentAt[slot % perSubscriber] ?? NaN) : latencies[slot]!;
  }
  let stillConnected = 0;
  for (const pb of clients) if (pb.realtime.isConnected) stillConnected += 1;
  tell({
    type: 'result',
    latencies: out,
    received,
    duplicates,
    other,
    missingAuthor,
    requestsDuringRun: cfg.mode === 'naive' ? requestsDuringRun : 0,
    requestErrors,
    requestErrorKinds,
    disconnects,
    stillConnected,
    loopDelayP99Ms: measuring ? loopDelay.percentile(99) / 1e6 : NaN,
    loopDelayMaxMs: measuring ? loopDelay.max / 1e6 : NaN,
    alsoReceived,
  });
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'connect':
      connectAll(message).catch((error: unknown) => tell({ type: 'fatal', error: errorKey(error) }));
      break;
    case 'reactions':
      startReactions(message);
      break;
    case 'measure':
      clearInterval(progressTimer);
      measuring = true;
      loopDelay.reset();
      loopDelay.enable();
      progressTimer = setInterval(() => tell({ type: 'progress', received }), 250);
      break;
    case 'collect':
      collect(message.sentAt);
      break;
    case 'reset':
      reactionPhase = undefined;
      resetCounts(config!.count, config!.messages);
      break;
    case 'stop':
      // Exiting closes every socket at once; no need to unsubscribe 2,500 clients politely.
      process.exit(0);
  }
});
