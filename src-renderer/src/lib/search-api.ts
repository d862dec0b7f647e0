// Searching every message the person can read: `GET /api/palaver/search` (backend/search*.go, README
// "Search"). The server decides what may be found (the messages list rule, blocks) and where the words
// matched; the client only asks and draws. Answers are checked for shape here, once, so the results panel
// never trusts a field it has not seen. Tested against a real PocketBase in search-api.server.test.ts.
import type PocketBase from 'pocketbase';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatMessage } from './history.ts';

/** A matched range of a message's text: UTF-16 offsets (JavaScript string indices), end exclusive. */
export type MatchRange = readonly [start: number, end: number];

export interface SearchRoom {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'direct';
}

export type SearchAuthor = Pick<UsersRecord, 'id' | 'username' | 'name' | 'avatar'> & {
  collectionId?: string;
  collectionName?: string;
};

/** One message found, as the messages API returns it, with where it matched and its author and room. */
export interface SearchItem extends Omit<ChatMessage, 'expand'> {
  matches: MatchRange[];
  expand?: { user?: SearchAuthor; room?: SearchRoom };
}

/** What the server understood from the query's `from:`, `in:`, `before:` and `after:` (and the params). */
export interface SearchFilters {
  room: SearchRoom | null;
  from: { id: string; username: string; name: string } | null;
  /** `YYYY-MM-DD` (or the RFC 3339 time given), '' when none. */
  before: string;
  after: string;
}

export interface SearchPage {
  page: number;
  perPage: number;
  /** Matches counted up to the server's cap; `more` when there are more than that. */
  totalItems: number;
  more: boolean;
  filters: SearchFilters;
  items: SearchItem[];
}

export interface SearchRequest {
  q: string;
  room?: string;
  from?: string;
  before?: string;
  after?: string;
  page?: number;
  perPage?: number;
  /** Minutes east of UTC, so `before:2026-12-01` means the person's own day. */
  utcOffset?: number;
}

export const SEARCH_PATH = '/api/palaver/search';
export const SEARCH_PAGE_SIZE = 20;

/** The person's offset from UTC in minutes east (the server's `utcOffset`): +60 in Paris in winter. */
export function localUtcOffset(now: Date = new Date()): number {
  return -now.getTimezoneOffset();
}

export interface SearchApi {
  /** One page of results; rejects with PocketBase's ClientResponseError (400 for a query it refuses). */
  search(request: SearchRequest, signal?: AbortSignal): Promise<SearchPage>;
}

export class PocketBaseSearchApi implements SearchApi {
  constructor(private readonly pb: PocketBase) {}

  async search(request: SearchRequest, signal?: AbortSignal): Promise<SearchPage> {
    const query: Record<string, string | number> = { q: request.q };
    for (const key of ['room', 'from', 'before', 'after'] as const) {
      const value = request[key];
      if (value) query[key] = value;
    }
    query.page = request.page ?? 1;
    query.perPage = request.perPage ?? SEARCH_PAGE_SIZE;
    query.utcOffset = request.utcOffset ?? localUtcOffset();
    // Never auto-cancelled by the SDK: the caller cancels a stale search itself, with its signal.
    const answer: unknown = await this.pb.send(SEARCH_PATH, { method: 'GET', query, requestKey: null, signal });
    return searchPageOf(answer);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function roomOf(value: unknown): SearchRoom | null {
  if (!isObject(value) || typeof value.id !== 'string') return null;
  const kind = value.kind === 'private' || value.kind === 'direct' ? value.kind : 'public';
  return { id: value.id, name: text(value.name), kind };
}

/** Only well-formed, sorted, non-overlapping ranges inside the text survive. */
export function cleanMatches(value: unknown, length: number): MatchRange[] {
  if (!Array.isArray(value)) return [];
  const ranges: MatchRange[] = [];
  let last = 0;
  for (const range of value) {
    if (!Array.isArray(range) || range.length !== 2) continue;
    const [start, end] = range as unknown[];
    if (!Number.isInteger(start) || !Number.isInteger(end)) continue;
    const [s, e] = [Math.max(start as number, last), Math.min(end as number, length)];
    if (s >= e) continue;
    ranges.push([s, e]);
    last = e;
  }
  return ranges;
}

function itemOf(value: unknown): SearchItem | null {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.room !== 'string') return null;
  const message = value as unknown as SearchItem;
  const body = text(value.text);
  const expand = isObject(value.expand) ? value.expand : {};
  const user = isObject(expand.user) && typeof expand.user.id === 'string' ? (expand.user as SearchAuthor) : undefined;
  const room = roomOf(expand.room) ?? undefined;
  return {
    ...message,
    text: body,
    thread: text(value.thread),
    alsoInRoom: value.alsoInRoom === true,
    matches: cleanMatches(value.matches, body.length),
    expand: { user, room },
  };
}

/** The server's answer, checked: anything missing becomes empty rather than a broken panel. */
export function searchPageOf(answer: unknown): SearchPage {
  const page = isObject(answer) ? answer : {};
  const filters = isObject(page.filters) ? page.filters : {};
  const from = isObject(filters.from) && typeof filters.from.id === 'string' ? filters.from : null;
  const items = Array.isArray(page.items) ? page.items.map(itemOf).filter((item) => item !== null) : [];
  const count = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  return {
    page: count(page.page, 1),
    perPage: count(page.perPage, SEARCH_PAGE_SIZE),
    totalItems: count(page.totalItems, items.length),
    more: page.more === true,
    filters: {
      room: roomOf(filters.room),
      from: from && { id: from.id as string, username: text(from.username), name: text(from.name) },
      before: text(filters.before),
      after: text(filters.after),
    },
    items,
  };
}
