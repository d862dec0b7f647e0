// What bench/fanout.ts (the coordinator and sender) and bench/fanout-worker.ts (processes holding many
// realtime subscribers each) say to each other over the fork IPC channel, and the message text format
// that carries the send time, so a receiver in another process can compute the delivery latency.

/** How a subscriber learns the author of a new message. */
export type ClientMode =
  /**
   * Ours: the server's own `palaver/messages` topic (backend/room_broadcast.go): room access checked
   * and the event (author expanded) encoded once per message. Signed-in subscribers only.
   */
  | 'topic'
  /** PocketBase's path: `messages` '*' with `expand: 'user'`: the rule checked and the author expanded per subscriber. */
  | 'expand'
  /** The seed tutorial's: subscribe without expand, then one `users.getOne(record.user)` per event. */
  | 'naive'
  /** Diagnostic baseline: subscribe without expand and never learn the author (what fan-out costs without expand). */
  | 'plain'
  /**
   * Reactions without the server's summary: PocketBase's own `reactions` '*' (the rule checked per
   * subscriber, each client adding up the reactions itself). Receives no message events.
   */
  | 'reactions';

/**
 * The emoji the sender reacts with, in order: reaction k goes to message k % M with emoji k / M, so a
 * message never has more than 20 different emoji (the server's limit) and, as every reaction is the
 * sender's own, a message with n reactions got them from reactions n - 1 rounds apart. A receiver tells
 * which reaction an event is from the message and its total count (or, on `reactions`, the emoji).
 */
export const REACTION_EMOJI = [
  '👍',
  '❤️',
  '😂',
  '🎉',
  '😮',
  '😢',
  '🙏',
  '🔥',
  '👀',
  '✅',
  '🚀',
  '💯',
  '👏',
  '🤔',
  '😍',
  '🙌',
  '✨',
  '😅',
  '👌',
  '🤝',
] as const;

/** Starts the reaction phase: reactions to the messages of the message phase, in the order above. */
export interface ReactionsCommand {
  type: 'reactions';
  /** The message phase's messages by seq: reaction k goes to messageIds[k % messageIds.length]. */
  messageIds: string[];
  reactions: number;
}

export interface ConnectCommand {
  type: 'connect';
  url: string;
  /** How many subscribers this worker holds. */
  count: number;
  /** Auth tokens, one per subscriber, for signed-in subscribers; empty for anonymous ones. */
  tokens: string[];
  mode: ClientMode;
  /** Messages of other runs (or other rooms) are counted as "other" and otherwise ignored. */
  runId: string;
  messages: number;
  /** Subscribers connecting at the same time in this worker. */
  concurrency: number;
  /** Stop starting new subscribers after this long; the ones connected by then are "held". */
  connectTimeoutMs: number;
  /** One subscriber that is not connected and subscribed after this long counts as failed. */
  subscribeTimeoutMs: number;
  /** Further topics every subscriber listens on, whose events are only counted (bench/typing.ts: palaver/typing). */
  alsoTopics?: string[];
}

export type ToWorker =
  | ConnectCommand
  | ReactionsCommand
  /** Start counting event-loop delay and reporting progress: the sender is about to post. */
  | { type: 'measure' }
  /**
   * Send the results back. In the reaction phase the worker has kept receive times; sentAt (by reaction
   * index) turns them into latencies.
   */
  | { type: 'collect'; sentAt?: number[] }
  /** Another message phase with the same subscribers and run: counts cleared, the messages' seq from 0 again. */
  | { type: 'reset' }
  | { type: 'stop' };

export interface WorkerResult {
  type: 'result';
  /** Receive time minus send time in ms, one per delivery received (first delivery of each message). */
  latencies: Float64Array;
  received: number;
  duplicates: number;
  /** Events of other runs or unparseable texts. */
  other: number;
  /** Deliveries where the author was not known (no expand in the event, or getOne returned nothing). */
  missingAuthor: number;
  /** Requests this worker made while measuring (naive mode: one users.getOne per event). */
  requestsDuringRun: number;
  requestErrors: number;
  /** Why those requests failed (message → count). */
  requestErrorKinds: Record<string, number>;
  /** SDK onDisconnect calls with active subscriptions (the connection dropped) during the run. */
  disconnects: number;
  /** Subscribers still connected when results were collected. */
  stillConnected: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Events received on the `alsoTopics` in this phase. */
  alsoReceived: number;
}

export type FromWorker =
  | { type: 'connecting'; held: number; failed: number }
  | {
      type: 'ready';
      held: number;
      failed: number;
      /** Subscribers never started because the connect phase ran out of time. */
      notAttempted: number;
      /** Requests made to connect (SSE GET + subscription POST per subscriber, counted client-side). */
      connectRequests: number;
      errors: Record<string, number>;
      connectMs: number;
    }
  | { type: 'progress'; received: number }
  | WorkerResult
  | { type: 'fatal'; error: string };

const PREFIX = 'fanout';

/** The text of message `seq` of a run, carrying the sender's Date.now() at the moment of sending. */
export function messageText(runId: string, seq: number, sentAt: number): string {
  return `${PREFIX} ${runId} ${seq} ${sentAt}`;
}

export function parseMessageText(text: unknown): { runId: string; seq: number; sentAt: number } | null {
  if (typeof text !== 'string') return null;
  const parts = text.split(' ');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const seq = Number(parts[2]);
  const sentAt = Number(parts[3]);
  if (!Number.isInteger(seq) || !Number.isFinite(sentAt)) return null;
  return { runId: parts[1]!, seq, sentAt };
}
