// What `Jump to` (Ctrl/Cmd+J) offers for what was typed: the rooms and direct conversations of the
// sidebar, then the public rooms the person has not joined (as Slack's switcher finds them), so a room
// one is in never hides behind one one is not. Within each, those whose name starts with the text first,
// then those with a word starting with it, then those that merely contain it; within each of those, in
// the order given (the sidebar's), so the list does not reshuffle as one types.
import { chosenName } from '../../../src-shared/person-name.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatRoom } from './rooms.ts';

export interface JumpCandidate {
  id: string;
  kind: ChatRoom['kind'];
  /** The line shown, as the sidebar names the room. */
  label: string;
  /** What the typed text is matched against: a room's name; a person's chosen name and username. */
  terms: readonly string[];
  /** In the sidebar; false for a public room not joined, which opens as a preview. */
  joined: boolean;
}

export function jumpCandidate(room: ChatRoom, label: string, partner?: UsersRecord, joined = true): JumpCandidate {
  const terms = room.kind === 'direct' ? (partner ? [chosenName(partner), partner.username] : [label]) : [room.name];
  return { id: room.id, kind: room.kind, label, terms: terms.filter((t) => t !== ''), joined };
}

/**
 * The public rooms to offer besides the sidebar's: those not joined, and not already among the sidebar's
 * (the directory's list may be newer than the browse list, after a join from elsewhere).
 */
export function unjoinedCandidates(
  entries: readonly { room: ChatRoom; joined: boolean }[],
  listed: readonly JumpCandidate[],
  label: (room: ChatRoom) => string,
): JumpCandidate[] {
  const inSidebar = new Set(listed.map((candidate) => candidate.id));
  return entries
    .filter((entry) => !entry.joined && !inSidebar.has(entry.room.id))
    .map((entry) => jumpCandidate(entry.room, label(entry.room), undefined, false));
}

/** Letter case and accents do not matter, nor the `#` of a room or the `@` of a username. */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/^[#@]+/, '');
}

const WORD_START = /[\s._-]+/;

/** 0: a term starts with the query; 1: a word in a term does; 2: a term contains it; null: no match. */
function tier(terms: readonly string[], query: string): number | null {
  let best: number | null = null;
  for (const term of terms.map(foldForMatch)) {
    if (term.startsWith(query)) return 0;
    if (term.split(WORD_START).some((word) => word.startsWith(query))) best = 1;
    else if (best === null && term.includes(query)) best = 2;
  }
  return best;
}

/** The candidates that match the typed text, best first; every candidate (joined first) for an empty query. */
export function rankJump(candidates: readonly JumpCandidate[], typed: string): JumpCandidate[] {
  const query = foldForMatch(typed);
  // Joined rooms take the first three places, those not joined the next three.
  const tiers: JumpCandidate[][] = [[], [], [], [], [], []];
  for (const candidate of candidates) {
    const found = query === '' ? 0 : tier(candidate.terms, query);
    if (found !== null) tiers[found + (candidate.joined ? 0 : 3)]!.push(candidate);
  }
  return tiers.flat();
}
