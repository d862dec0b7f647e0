// A message's reactions as the server keeps them (messages.reactionInfo, backend/reactions.go): one entry
// per emoji in the order of its first reaction, with an exact count and the first people who reacted.
// Reaction state comes only from there, never from counting the reactions collection, so realtime
// updates and catch-up after a reconnection show the same thing. Pure helpers: reading the field,
// laying this person's reactions in flight over it, and saying who reacted in words.

export interface ReactionSummary {
  emoji: string;
  count: number;
  /** Who reacted, oldest first: at most USERS_KEPT of them (the count is exact). */
  users: string[];
}

/** The most people the server lists per emoji; past it, only the count grows. */
export const USERS_KEPT = 100;
/** The most different emoji the server lets a message have. */
export const MAX_EMOJI_PER_MESSAGE = 20;
/** How many people a chip's description names before "and N others". */
export const NAMED_IN_DESCRIPTION = 3;

/** The summary of a message, whatever the field holds: missing, null and malformed entries read as none. */
export function readReactionInfo(value: unknown): ReactionSummary[] {
  if (!Array.isArray(value)) return [];
  const summaries: ReactionSummary[] = [];
  for (const entry of value as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const { emoji, count, users } = entry as Record<string, unknown>;
    if (typeof emoji !== 'string' || !emoji || typeof count !== 'number' || !(count > 0)) continue;
    const ids = Array.isArray(users) ? users.filter((id): id is string => typeof id === 'string') : [];
    summaries.push({ emoji, count: Math.floor(count), users: ids });
  }
  return summaries;
}

/**
 * The summary with this person's reaction with `emoji` set to `on`, as it will be once the server has
 * it: nothing changes when it already says so, a new emoji goes last, an emoji nobody is left with goes.
 */
export function withOwnReaction(
  summaries: readonly ReactionSummary[],
  self: string,
  emoji: string,
  on: boolean,
): ReactionSummary[] {
  const at = summaries.findIndex((summary) => summary.emoji === emoji);
  const current = summaries[at];
  if (on) {
    if (!current) return [...summaries, { emoji, count: 1, users: [self] }];
    if (current.users.includes(self)) return [...summaries];
    const next = { emoji, count: current.count + 1, users: [...current.users, self].slice(0, USERS_KEPT) };
    return summaries.map((summary, index) => (index === at ? next : summary));
  }
  if (!current || !current.users.includes(self)) return [...summaries];
  if (current.count <= 1) return summaries.filter((_, index) => index !== at);
  const next = { emoji, count: current.count - 1, users: current.users.filter((id) => id !== self) };
  return summaries.map((summary, index) => (index === at ? next : summary));
}

/** "👍 3, reacted by you": what a screen reader hears for a chip (its visible text, and whether it is yours). */
export function chipName(summary: ReactionSummary, mine: boolean): string {
  return `${summary.emoji} ${summary.count}${mine ? ', reacted by you' : ''}`;
}

/** "Alice, Bob and Carol", "Alice and 3 others", "3 people". */
function list(names: readonly string[], others: number): string {
  if (names.length === 0) return others === 1 ? '1 person' : `${others} people`;
  const parts = others > 0 ? [...names, `${others} ${others === 1 ? 'other' : 'others'}`] : [...names];
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

/**
 * "Reacted with 👍 by you, Alice and 3 others": the chip's tooltip and description. You come first; then
 * the first people who reacted whose names are known (`nameOf` gives undefined for someone not loaded
 * yet), up to NAMED_IN_DESCRIPTION in all; everyone else is counted.
 */
export function reactedBy(
  summary: ReactionSummary,
  self: string,
  nameOf: (id: string) => string | undefined,
  limit = NAMED_IN_DESCRIPTION,
): string {
  const names: string[] = [];
  if (summary.users.includes(self)) names.push('you');
  for (const id of summary.users) {
    if (names.length >= limit) break;
    if (id === self) continue;
    const name = nameOf(id);
    if (name) names.push(name);
  }
  const others = Math.max(0, summary.count - names.length);
  return `Reacted with ${summary.emoji} by ${list(names, others)}`;
}
