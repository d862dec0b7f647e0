// The composer's `@` suggestions as plain rules (MentionSuggestions.svelte draws them): which `@name` the
// caret is in, whom to offer for it and in what order, and the text once a person is picked. They read
// `@name` as the server does (backend/mentions.go): at a word's start, outside code, letters, digits and
// `_ . -` only, so whatever is picked here is what the server counts as a mention.
import type PocketBase from 'pocketbase';
import { chosenName } from '../../../src-shared/person-name.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { codeRanges } from './emoji-shortcodes.ts';
import { expandedMembers } from './room-people.ts';
import type { ChatRoom } from './rooms.ts';

/** How many people the list offers at once: enough to choose from without hiding the conversation. */
export const SUGGESTIONS_SHOWN = 6;

/** The `@name` being typed: where its `@` is, and the name so far (possibly empty). */
export interface MentionQuery {
  start: number;
  query: string;
}

const NAME_CHAR = /[A-Za-z0-9_.-]/;
// What may stand just before the `@` of a mention: anything but a letter, digit or name character of a
// word it would be part of ("bob@example.com" mentions nobody), or another `@`.
const JOINS_WORD = /[\p{L}\p{N}_.@-]/u;

/**
 * The `@name` the caret is at the end of, or null: the `@` must start a word and not be in code (an
 * unclosed backtick counts as code still being typed), and only name characters may stand between it
 * and the caret.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  let start = caret;
  while (start > 0 && NAME_CHAR.test(text[start - 1]!)) start--;
  const at = start - 1;
  if (at < 0 || text[at] !== '@') return null;
  const before = text.slice(0, at);
  const previous = [...before].at(-1);
  if (previous !== undefined && JOINS_WORD.test(previous)) return null;
  if (codeRanges(text.slice(0, caret), true).some(([from, to]) => at >= from && at < to)) return null;
  return { start: at, query: text.slice(at + 1, caret) };
}

/** How well a person matches: the lower the better, or -1 when they do not match at all. */
function matchRank(person: UsersRecord, query: string): number {
  const q = query.toLowerCase();
  const username = person.username.toLowerCase();
  const name = chosenName(person).toLowerCase();
  if (username.startsWith(q)) return 0;
  if (name.split(/\s+/).some((word) => word.startsWith(q))) return 1;
  if (username.includes(q) || name.includes(q)) return 2;
  return -1;
}

/**
 * Whom to offer for a query: those whose username or a word of their name starts with it first, then
 * those containing it, each group by username; oneself never (a mention of oneself calls nobody), nor
 * anyone twice.
 */
export function rankPeople(
  people: readonly UsersRecord[],
  query: string,
  selfId: string,
  limit = SUGGESTIONS_SHOWN,
): UsersRecord[] {
  const seen = new Set<string>([selfId]);
  const ranked: Array<{ person: UsersRecord; rank: number }> = [];
  for (const person of people) {
    if (seen.has(person.id)) continue;
    seen.add(person.id);
    const rank = matchRank(person, query);
    if (rank >= 0) ranked.push({ person, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.person.username.localeCompare(b.person.username));
  return ranked.slice(0, limit).map((entry) => entry.person);
}

/**
 * The text with the `@name` at `mention` replaced by the picked username and one space, and where the
 * caret goes (after the space). The rest of a name the caret was inside goes too; a space already after
 * it is used rather than doubled, and punctuation after it gets none.
 */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  username: string,
): { text: string; caret: number } {
  let end = caret;
  while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
  const after = text.slice(end);
  const inserted = `@${username}`;
  // Punctuation after the name ("@bo|, hi") stays against it, where the person had put it.
  const spaced = after === '' ? ' ' : /^\s/.test(after) ? after : '';
  const rest = after === '' ? spaced : after;
  const caretAfter = mention.start + inserted.length + (spaced ? 1 : 0);
  return { text: text.slice(0, mention.start) + inserted + rest, caret: caretAfter };
}

/** Where the people to mention come from: a room's own list, or a search on the server. */
export type MentionPeople = { local: readonly UsersRecord[] } | { search: (query: string) => Promise<UsersRecord[]> };

/** What a composer needs to suggest people (Composer's `mentions`). */
export interface Mentions {
  people: MentionPeople;
  selfId: string;
  /** For the avatars. */
  pb: PocketBase;
}

/**
 * Where a room's people to mention come from. A private room or direct conversation carries its members,
 * so they are filtered here. A public room carries only its size (backend/public_room_members.go), so
 * its members are searched for on the server: only they count as mentioned there (backend/mentions.go).
 */
export function mentionSource(room: ChatRoom, search: (query: string) => Promise<UsersRecord[]>): MentionPeople {
  return room.kind === 'public' ? { search } : { local: expandedMembers(room) };
}
