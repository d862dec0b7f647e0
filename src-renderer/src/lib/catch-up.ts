// Catching up after the realtime connection was lost, or before it first came up: PocketBase does not
// replay events, so the client asks for everything changed since it last knew it was up to date,
// merges it into the histories it holds, counts what is new as unread, and reloads each held room's
// newest page to drop what was deleted meanwhile (deletions cannot be asked for after the fact).
import type { ChatMessage } from './history.ts';
import type { MessageChanges } from './messages-api.ts';
import { recoverySince } from './recovery.ts';
import type { RoomHistory } from './room-history.svelte.ts';
import { inRoomList } from './thread-info.ts';
import type { Threads } from './threads.svelte.ts';

/** Pages of at most this many messages when filling a gap; at most RECOVERY_PAGES of them. */
export const RECOVERY_PAGE = 200;
export const RECOVERY_PAGES = 25;

/**
 * Where the client stands with the server: the newest change it has seen, the server's clock while
 * the connection was known to be up, and the moment from which events may have been missed. Server
 * times only, so the client's own clock never matters.
 */
export class SyncPoint {
  private newestSeen: string | null = null;
  private serverTime: Date | null = null;
  private gapSince: string | null = null;

  /** Messages the server gave (pages, events, answers): the newest `updated` is where we stand. */
  seen(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      if (!message.delivery && (this.newestSeen === null || message.updated > this.newestSeen))
        this.newestSeen = message.updated;
    }
  }

  /** The Date header of an answer. */
  serverDate(date: Date, realtimeUp: boolean): void {
    if (realtimeUp) this.serverTime = date;
    // Loaded while realtime was not up (before the first connection, or during an outage): this
    // answer is a snapshot, and whatever changes after it must be fetched once realtime is back.
    // The Date header has whole seconds: two seconds back covers it.
    else if (this.gapSince === null) this.gapSince = recoverySince(null, date, 2_000);
  }

  /** The connection was lost: everything before now was delivered, what follows may not be. */
  lost(): void {
    this.gapSince = recoverySince(this.newestSeen, this.serverTime);
  }

  /** Something was loaded before the subscriptions were in place, so a catch-up is due on connect. */
  get behind(): boolean {
    return this.newestSeen !== null || this.gapSince !== null;
  }

  /** The moment to catch up from (null: nothing known, nothing to fetch); cleared until `failed`. */
  take(): string | null {
    const since = this.gapSince ?? recoverySince(this.newestSeen, this.serverTime);
    this.gapSince = null;
    return since;
  }

  /** The catch-up from `since` failed: the next one starts from the same point. */
  failed(since: string | null): void {
    this.gapSince = since;
  }
}

export interface CatchUpDeps {
  changes: MessageChanges;
  /** The room list again: rooms joined, left or deleted while away. */
  reloadRooms(): Promise<void>;
  history(roomId: string): RoomHistory | undefined;
  /** Every history held, threads' included: each is reconciled with the server's newest page. */
  histories(): Iterable<RoomHistory>;
  /** The threads held: a reply goes to its thread (not to the room's list unless also sent there). */
  threads?: Pick<Threads, 'histories' | 'server'>;
  /** A message created while away: it counts as unread. */
  arrived(message: ChatMessage): void;
  seen(messages: readonly ChatMessage[]): void;
}

/** Fills the gap since `since`; throws when the server cannot be asked (the caller keeps the gap). */
export async function catchUp(since: string | null, deps: CatchUpDeps): Promise<void> {
  await deps.reloadRooms();
  if (since) {
    for (let page = 1; page <= RECOVERY_PAGES; page++) {
      const changed = await deps.changes.changedSince(since, page, RECOVERY_PAGE);
      for (const message of changed) {
        const history = inRoomList(message) ? deps.history(message.room) : undefined;
        const thread = message.thread ? deps.threads?.histories.get(message.thread) : undefined;
        // The gap starts a margin before the last moment known to be up to date, so it also brings back
        // messages already on screen (a page loaded before the first connection): those were read.
        const held = [history, thread].some((h) => h?.messages.some((m) => m.id === message.id));
        history?.applyServer([message]);
        deps.threads?.server(message);
        // New while we were away (not merely edited): it counts as unread.
        if (message.created >= since && !held) deps.arrived(message);
      }
      deps.seen(changed);
      if (changed.length < RECOVERY_PAGE) break;
    }
  }
  for (const history of deps.histories()) await history.reconcileNewest();
}
