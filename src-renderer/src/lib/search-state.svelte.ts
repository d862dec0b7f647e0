// The search the person is running: what is typed, the results panel open or not, the results so far
// and what went wrong. Typing searches after a pause (one request per pause, not per key); Enter searches
// at once. A newer search cancels the one under way, and an answer that arrives late for an older query
// is dropped, so what is shown is always for what is in the field. Offline, nothing is sent: the search
// waits for the connection instead of failing once per key.
import { ClientResponseError } from 'pocketbase';
import type { SearchApi, SearchFilters, SearchItem } from './search-api.ts';

/** How long typing must pause before a search is sent. */
export const SEARCH_DELAY_MS = 250;

export interface SearchStateDeps {
  api: SearchApi;
  online(): boolean;
  /** Words for what went wrong: for a query the server refused (400), its sentence about the query. */
  problem(error: unknown): string;
  delayMs?: number;
}

const NO_FILTERS: SearchFilters = { room: null, from: null, before: '', after: '' };

export class SearchState {
  /** What is in the field. */
  query = $state('');
  /** The results panel is shown (it opens with the first search and stays until closed). */
  open = $state(false);
  /** The query the results are for ('' before any). */
  searched = $state('');
  items = $state.raw<SearchItem[]>([]);
  totalItems = $state(0);
  more = $state(false);
  filters = $state.raw<SearchFilters>(NO_FILTERS);
  /** A further page can be asked for. */
  hasNextPage = $state(false);
  /** A search (first page) is under way. */
  loading = $state(false);
  loadingMore = $state(false);
  /** Why the search could not run: shown next to the field. */
  error = $state('');
  /** Offline when the search was asked for: it runs when the connection is back. */
  waiting = $state(false);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | null = null;
  /** Bumped by every new search: answers carrying an older number are for a query no longer asked. */
  private generation = 0;
  private page = 1;

  constructor(private readonly deps: SearchStateDeps) {}

  /** The field changed: search after a pause, or clear the results when it is emptied. */
  typed(value: string): void {
    this.query = value;
    this.cancelTimer();
    if (value.trim() === '') {
      this.reset();
      return;
    }
    this.timer = setTimeout(() => void this.run(), this.deps.delayMs ?? SEARCH_DELAY_MS);
  }

  /** Enter: search now, even for the query already shown (a second look after messages arrived). */
  submit(): Promise<void> {
    this.cancelTimer();
    if (this.query.trim() === '') {
      this.reset();
      return Promise.resolve();
    }
    return this.run();
  }

  /** Replaces the whole query (a filter chip removed) and searches it now. */
  replace(query: string): Promise<void> {
    this.query = query;
    return this.submit();
  }

  /** Shows the panel as it was (the field focused again with results kept). */
  show(): void {
    if (this.searched !== '' || this.error !== '') this.open = true;
  }

  /** Hides the panel; the query stays in the field, anything under way is cancelled. */
  close(): void {
    this.cancelTimer();
    this.cancelRequest();
    this.generation += 1;
    this.loading = this.loadingMore = this.waiting = false;
    this.open = false;
  }

  /** The connection came back: a search waiting for it runs now. */
  networkChanged(online: boolean): void {
    if (online && this.waiting) void this.run();
  }

  /** The next page of the same search, added under the results shown. */
  async loadMore(): Promise<void> {
    if (!this.hasNextPage || this.loadingMore || this.loading) return;
    const generation = this.generation;
    const controller = new AbortController();
    this.loadingMore = true;
    try {
      const page = await this.deps.api.search({ q: this.searched, page: this.page + 1 }, controller.signal);
      if (generation !== this.generation) return;
      this.page = page.page;
      const known = new Set(this.items.map((item) => item.id));
      this.items = [...this.items, ...page.items.filter((item) => !known.has(item.id))];
      this.hasNextPage = page.items.length > 0 && page.page * page.perPage < Math.min(page.totalItems, 1000);
    } catch (error) {
      if (generation === this.generation && !aborted(error)) this.error = this.deps.problem(error);
    } finally {
      if (generation === this.generation) this.loadingMore = false;
    }
  }

  private async run(): Promise<void> {
    const q = this.query.trim();
    this.cancelRequest();
    const generation = ++this.generation;
    this.open = true;
    this.loadingMore = false;
    if (!this.deps.online()) {
      this.waiting = true;
      this.loading = false;
      return;
    }
    this.waiting = false;
    this.loading = true;
    const controller = (this.controller = new AbortController());
    try {
      const page = await this.deps.api.search({ q, page: 1 }, controller.signal);
      if (generation !== this.generation) return;
      this.searched = q;
      this.page = page.page;
      this.items = page.items;
      this.totalItems = page.totalItems;
      this.more = page.more;
      this.filters = page.filters;
      this.hasNextPage = page.items.length > 0 && page.page * page.perPage < Math.min(page.totalItems, 1000);
      this.error = '';
    } catch (error) {
      if (generation !== this.generation || aborted(error)) return;
      this.error = this.deps.problem(error);
      this.searched = '';
      this.items = [];
      this.hasNextPage = false;
      this.filters = NO_FILTERS;
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.controller = null;
      }
    }
  }

  private reset(): void {
    this.cancelRequest();
    this.generation += 1;
    this.loading = this.loadingMore = this.waiting = false;
    this.searched = '';
    this.items = [];
    this.totalItems = 0;
    this.more = false;
    this.hasNextPage = false;
    this.filters = NO_FILTERS;
    this.error = '';
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private cancelRequest(): void {
    this.controller?.abort();
    this.controller = null;
  }
}

function aborted(error: unknown): boolean {
  return (
    (error instanceof ClientResponseError && error.isAbort) || (error instanceof Error && error.name === 'AbortError')
  );
}
