// Reacting to messages: a click on a chip (or a pick in the picker) shows at once, goes to the server,
// and is undone with the reason beside the message if the server refuses. The server's summary
// (messages.reactionInfo, arriving as the message's update event) is the truth: this person's reactions
// in flight are only laid over it until the server's next word on the message. One request at a time
// per message and emoji, so a double click never sends twice.
import type PocketBase from 'pocketbase';
import { createContext } from 'svelte';
import { ClientResponseError } from 'pocketbase';
import { rememberRecent } from './emoji-recent.ts';
import { describeError } from './errors.ts';
import { readReactionInfo, withOwnReaction, type ReactionSummary } from './reaction-info.ts';
import { PocketBaseReactionsApi, type ReactionsApi } from './reactions-api.ts';

/** What the reactions of a message are read from: any message the list holds. */
export interface ReactableMessage {
  id: string;
  updated: string;
  reactionInfo?: unknown;
  /** Set on one's own messages not on the server yet: nobody can react to those. */
  delivery?: string;
}

interface Flight {
  on: boolean;
  /** The message's `updated` when the server answered; null while the request is out. */
  settled: string | null;
}

/** Why a reaction did not go through, in words: the server's own sentence for a refusal (the emoji limit). */
export function reactionProblem(error: unknown, emoji: string, on: boolean): string {
  const action = on ? `react with ${emoji}` : `take back your ${emoji}`;
  if (error instanceof ClientResponseError && error.status === 400) {
    const fields = Object.values((error.response?.data ?? {}) as Record<string, { message?: string } | undefined>);
    const said = fields.find((field) => field?.message)?.message ?? error.response?.message;
    if (said) return `Could not ${action}: ${String(said)}`;
  }
  return describeError(error, { action }).message;
}

export class Reactions {
  /** By message id, then emoji: this person's reactions the server has not confirmed by an update yet. */
  private flights = $state.raw<ReadonlyMap<string, ReadonlyMap<string, Flight>>>(new Map());
  /** By message id: why the last reaction there failed. */
  private problems = $state.raw<ReadonlyMap<string, string>>(new Map());

  constructor(
    private readonly api: ReactionsApi,
    readonly self: string,
    /** Records an emoji as recently used (the picker shows those first). */
    private readonly remember: (emoji: string) => void = () => {},
  ) {}

  /** The message's reactions as this person should see them now. */
  shown(message: ReactableMessage): ReactionSummary[] {
    let summaries = readReactionInfo(message.reactionInfo);
    for (const [emoji, flight] of this.flights.get(message.id) ?? []) {
      // Once answered, the overlay stays only until the server says anything newer about the message.
      if (flight.settled !== null && flight.settled !== message.updated) continue;
      summaries = withOwnReaction(summaries, this.self, emoji, flight.on);
    }
    return summaries;
  }

  mine(summary: ReactionSummary): boolean {
    return summary.users.includes(this.self);
  }

  problem(messageId: string): string {
    return this.problems.get(messageId) ?? '';
  }

  dismiss(messageId: string): void {
    if (!this.problems.has(messageId)) return;
    const next = new Map(this.problems);
    next.delete(messageId);
    this.problems = next;
  }

  /** A click on a chip: adds this person's reaction, or takes it back. `message` reads the current copy. */
  toggle(message: () => ReactableMessage, emoji: string): Promise<void> {
    const summary = this.shown(message()).find((item) => item.emoji === emoji);
    return this.set(message, emoji, !(summary && this.mine(summary)));
  }

  /** A pick in the picker: adds it (nothing to do if it is there already). */
  add(message: () => ReactableMessage, emoji: string): Promise<void> {
    return this.set(message, emoji, true);
  }

  private async set(message: () => ReactableMessage, emoji: string, on: boolean): Promise<void> {
    const start = message();
    if (start.delivery) return;
    if (this.flights.get(start.id)?.get(emoji)?.settled === null) return;
    if (on) this.remember(emoji);
    const summary = this.shown(start).find((item) => item.emoji === emoji);
    if (!!summary && this.mine(summary) === on) return;
    this.dismiss(start.id);
    this.fly(start.id, emoji, { on, settled: null });
    try {
      await (on ? this.api.add(start.id, emoji) : this.api.remove(start.id, emoji));
      this.fly(start.id, emoji, { on, settled: message().updated });
    } catch (error) {
      this.fly(start.id, emoji, null);
      const next = new Map(this.problems);
      next.set(start.id, reactionProblem(error, emoji, on));
      this.problems = next;
    }
  }

  private fly(messageId: string, emoji: string, flight: Flight | null): void {
    const forMessage = new Map(this.flights.get(messageId));
    if (flight) forMessage.set(emoji, flight);
    else forMessage.delete(emoji);
    const next = new Map(this.flights);
    if (forMessage.size > 0) next.set(messageId, forMessage);
    else next.delete(messageId);
    this.flights = next;
  }
}

/** Reacting as the signed-in person through the server; emoji reacted with count as recently used. */
export function serverReactions(pb: PocketBase, self: string): Reactions {
  return new Reactions(new PocketBaseReactionsApi(pb), self, (emoji) => void rememberRecent(emoji));
}

/** The chat screen's Reactions, for the message parts below it (the chips, the Add reaction tool). */
export const [useReactions, provideReactions] = createContext<Reactions>();
