// Filling the gap after a lost realtime connection: PocketBase does not replay events, so the client
// asks for everything that changed since it last knew it was up to date, and drops what was deleted.
import { fromServerDate, toServerDate } from '../../../src-shared/dates.ts';
import type { ChatMessage } from './history.ts';

/** How far back before the last known good moment to look, for clocks and commits in flight. */
export const RECOVERY_MARGIN_MS = 60_000;

/**
 * The moment from which events may have been missed: the latest of the newest change seen and the
 * server's clock when last heard from while connected, less a margin. Both are server times, so the
 * client's own clock never matters. Null when nothing is known (then the caller reloads instead).
 */
export function recoverySince(
  newestSeen: string | null,
  serverTimeWhileConnected: Date | null,
  marginMs = RECOVERY_MARGIN_MS,
): string | null {
  const candidates = [
    newestSeen ? fromServerDate(newestSeen).getTime() : NaN,
    serverTimeWhileConnected?.getTime() ?? NaN,
  ].filter(Number.isFinite);
  if (candidates.length === 0) return null;
  return toServerDate(new Date(Math.max(...candidates) - marginMs));
}

/**
 * Deletions cannot be asked for after the fact. Given the newest page of a room as the server had it
 * when we asked, drops the sent messages we held when we asked (`heldBefore`) inside that page's time
 * span that the server no longer has (all of them when the page is the whole room). Messages that
 * arrived while the page was on its way are newer than the page and are kept; local, unsent messages
 * are never dropped.
 */
export function dropDeleted(
  messages: readonly ChatMessage[],
  newestPage: readonly ChatMessage[],
  pageIsWholeRoom: boolean,
  heldBefore: ReadonlySet<string>,
): ChatMessage[] {
  const present = new Set(newestPage.map((m) => m.id));
  const oldest = newestPage.reduce<string | null>(
    (min, m) => (min === null || m.created < min ? m.created : min),
    null,
  );
  return messages.filter((m) => {
    if (m.delivery === 'pending' || m.delivery === 'failed') return true;
    if (present.has(m.id) || !heldBefore.has(m.id)) return true;
    if (pageIsWholeRoom) return false;
    return oldest === null || m.created < oldest;
  });
}

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'catching-up' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; nextAttemptAt: number; attempt: number }
  | { kind: 'offline' };

/** The words of the connection indicator. */
export function describeConnection(state: ConnectionState, now: number): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'catching-up':
      return 'Catching up on what you missed…';
    case 'connected':
      return 'Connected';
    case 'offline':
      return 'Offline — you can read and write; messages are sent when you are back';
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((state.nextAttemptAt - now) / 1000));
      return seconds > 0 ? `Reconnecting — next attempt in ${seconds} s` : 'Reconnecting…';
    }
  }
}
