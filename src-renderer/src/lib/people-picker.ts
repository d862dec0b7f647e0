// The rules of picking people from a search (PeoplePicker.svelte draws them): who may still be offered,
// how the highlighted result moves under the arrow keys, what is done with text typed but never picked,
// and whom to offer before anything is typed (the people one last wrote to).
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { directPartner, lastActivity, type ChatRoom } from './rooms.ts';
import { withEveryone } from './room-standing.ts';

/** Results without the people already picked or not to be offered (oneself, a room's members). */
export function offerable(results: readonly UsersRecord[], excluded: Iterable<string>): UsersRecord[] {
  const out = new Set(excluded);
  return results.filter((person) => !out.has(person.id));
}

/** Whether a person's username or name contains the text, as the server's search reads it. */
export function matchesQuery(person: UsersRecord, query: string): boolean {
  const q = query.trim().toLowerCase();
  return person.username.toLowerCase().includes(q) || (person.name ?? '').toLowerCase().includes(q);
}

/**
 * Where the highlight goes for a key, or undefined when the key does not move it. Up and down wrap
 * around, as in the quick switchers people know; Home and End are left to the text box's caret.
 */
export function moveHighlight(current: number, key: string, count: number): number | undefined {
  if (count === 0) return undefined;
  if (key === 'ArrowDown') return current < 0 ? 0 : (current + 1) % count;
  if (key === 'ArrowUp') return current < 0 ? count - 1 : (current - 1 + count) % count;
  return undefined;
}

/** The person whose username is exactly what was typed (any letter case, an "@" in front allowed). */
export function exactMatch(typed: string, results: readonly UsersRecord[]): UsersRecord | undefined {
  const wanted = typed.trim().replace(/^@/, '').toLowerCase();
  return wanted ? results.find((person) => person.username.toLowerCase() === wanted) : undefined;
}

/** What the field says about text that names nobody: what happened and what to do. */
export function unmatchedProblem(typed: string): string {
  return `There is no user named "${typed.trim().replace(/^@/, '')}". Pick people from the list as you type, or clear the text.`;
}

/**
 * The people of the user's direct conversations, the one written to most recently first: whom the
 * "New direct message" dialog offers before anything is typed, in the order of the room list's direct
 * messages (rooms.ts `lastActivity`); nobody appears twice.
 */
export function recentPeople(rooms: readonly ChatRoom[], selfId: string, limit = 8): UsersRecord[] {
  const direct = rooms
    .filter((room) => room.kind === 'direct')
    .sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)));
  const people = new Map<string, UsersRecord>();
  for (const room of direct) {
    const partner = directPartner(withEveryone(room), selfId);
    if (partner && !people.has(partner.id)) people.set(partner.id, partner);
  }
  return [...people.values()].slice(0, limit);
}
