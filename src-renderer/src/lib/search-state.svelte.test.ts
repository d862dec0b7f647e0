import { ClientResponseError } from 'pocketbase';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchApi, SearchItem, SearchPage, SearchRequest } from './search-api.ts';
import { SearchState } from './search-state.svelte.ts';

const item = (id: string) => ({ id, room: 'r', text: id, thread: '', matches: [] }) as unknown as SearchItem;

function page(items: SearchItem[], extra: Partial<SearchPage> = {}): SearchPage {
  return {
    page: 1,
    perPage: 2,
    totalItems: items.length,
    more: false,
    filters: { room: null, from: null, before: '', after: '' },
    items,
    ...extra,
  };
}

/** A server whose answers the test releases one by one, in any order. */
class HeldApi implements SearchApi {
  calls: { request: SearchRequest; signal?: AbortSignal; answer(p: SearchPage): void; fail(e: unknown): void }[] = [];
  search(request: SearchRequest, signal?: AbortSignal): Promise<SearchPage> {
    return new Promise((resolve, reject) => {
      this.calls.push({ request, signal, answer: resolve, fail: reject });
      signal?.addEventListener('abort', () => reject(new ClientResponseError({ isAbort: true })));
    });
  }
}

function setUp(online = true) {
  const api = new HeldApi();
  const network = { online };
  const state = new SearchState({
    api,
    online: () => network.online,
    problem: (error) => (error instanceof ClientResponseError ? error.message : String(error)),
  });
  return { api, state, network };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SearchState', () => {
  it('searches once typing pauses, not on every key, and opens the panel with the results', async () => {
    const { api, state } = setUp();
    for (const value of ['b', 'bl', 'blu', 'blue']) {
      state.typed(value);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(api.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(250);
    expect(api.calls.map((c) => c.request.q)).toEqual(['blue']);
    expect(state.open).toBe(true);
    expect(state.loading).toBe(true);
    api.calls[0]!.answer(page([item('a')], { totalItems: 1 }));
    await settle();
    expect(state.loading).toBe(false);
    expect(state.searched).toBe('blue');
    expect(state.items.map((i) => i.id)).toEqual(['a']);
    expect(state.totalItems).toBe(1);
  });

  it('searches at once on Enter, and never lets an older answer overwrite a newer one', async () => {
    const { api, state } = setUp();
    state.typed('old');
    const older = state.submit();
    state.query = 'new';
    const newer = state.submit();
    expect(api.calls.map((c) => c.request.q)).toEqual(['old', 'new']);
    expect(api.calls[0]!.signal?.aborted).toBe(true);
    api.calls[1]!.answer(page([item('new-1')]));
    await newer;
    api.calls[0]!.answer(page([item('old-1')]));
    await older;
    expect(state.searched).toBe('new');
    expect(state.items.map((i) => i.id)).toEqual(['new-1']);
  });

  it('shows the server’s sentence for a refused query next to the field, and clears it on the next answer', async () => {
    const { api, state } = setUp();
    state.query = '-only';
    const refused = state.submit();
    api.calls[0]!.fail(new ClientResponseError({ status: 400, response: { message: 'Add a word to search for.' } }));
    await refused;
    expect(state.error).toBe('Add a word to search for.');
    expect(state.items).toEqual([]);
    state.query = 'fine';
    const fine = state.submit();
    api.calls[1]!.answer(page([]));
    await fine;
    expect(state.error).toBe('');
    expect(state.searched).toBe('fine');
  });

  it('pages on with More results, adding each result once, until the last page', async () => {
    const { api, state } = setUp();
    state.query = 'word';
    const first = state.submit();
    api.calls[0]!.answer(page([item('1'), item('2')], { totalItems: 3 }));
    await first;
    expect(state.hasNextPage).toBe(true);
    const more = state.loadMore();
    expect(api.calls[1]!.request).toMatchObject({ q: 'word', page: 2 });
    api.calls[1]!.answer(page([item('2'), item('3')], { page: 2, totalItems: 3 }));
    await more;
    expect(state.items.map((i) => i.id)).toEqual(['1', '2', '3']);
    expect(state.hasNextPage).toBe(false);
  });

  it('sends nothing offline and searches when the connection is back', async () => {
    const { api, state, network } = setUp(false);
    state.typed('later');
    await vi.advanceTimersByTimeAsync(300);
    state.typed('later on');
    await vi.advanceTimersByTimeAsync(300);
    expect(api.calls).toHaveLength(0);
    expect(state.waiting).toBe(true);
    expect(state.open).toBe(true);
    network.online = true;
    state.networkChanged(true);
    expect(api.calls.map((c) => c.request.q)).toEqual(['later on']);
    expect(state.waiting).toBe(false);
  });

  it('clears the results when the field is emptied, and closing cancels what is under way', async () => {
    const { api, state } = setUp();
    state.query = 'x';
    const first = state.submit();
    api.calls[0]!.answer(page([item('1')]));
    await first;
    state.typed('');
    expect(state.items).toEqual([]);
    expect(state.searched).toBe('');
    state.typed('y');
    await vi.advanceTimersByTimeAsync(300);
    state.close();
    expect(api.calls[1]!.signal?.aborted).toBe(true);
    expect(state.open).toBe(false);
    expect(state.loading).toBe(false);
    expect(state.query).toBe('y');
    state.typed('yz');
    state.close();
    await vi.advanceTimersByTimeAsync(300);
    expect(api.calls).toHaveLength(2);
  });

  it('replaces the query (a chip removed) and searches it at once', async () => {
    const { api, state } = setUp();
    void state.replace('logo');
    expect(state.query).toBe('logo');
    expect(api.calls.map((c) => c.request.q)).toEqual(['logo']);
  });
});
