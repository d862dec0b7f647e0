import { describe, expect, it } from 'vitest';
import { ProtectedFile } from './protected-file.svelte.ts';

/** Tokens t1, t2, … as the session hands them out; `held` is what it has without asking. */
function fakeTokens(held: string | null = null) {
  let issued = 0;
  const asked: string[] = [];
  return {
    asked,
    current: () => held,
    get: async () => {
      asked.push('get');
      held ??= `t${++issued}`;
      return held;
    },
    renew: async (failed: string) => {
      asked.push(`renew ${failed}`);
      held = `t${++issued}`;
      return held;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ProtectedFile', () => {
  it('makes its URL at once from a token the session holds, without asking the server', () => {
    const tokens = fakeTokens('held');
    const file = new ProtectedFile(tokens, (token) => `/f?token=${token}`);
    expect(file.url).toBe('/f?token=held');
    expect(tokens.asked).toEqual([]);
  });

  it('waits for a token when the session has none, with no URL meanwhile', async () => {
    const tokens = fakeTokens();
    const file = new ProtectedFile(tokens, (token) => `/f?token=${token}`);
    expect(file.url).toBe('');
    await settle();
    expect(file.url).toBe('/f?token=t1');
  });

  it('keeps its URL when the session moves on to a newer token', async () => {
    const tokens = fakeTokens('old');
    const file = new ProtectedFile(tokens, (token) => `/f?token=${token}`);
    await tokens.renew('old');
    expect(file.url).toBe('/f?token=old');
  });

  it('retries once with a newer token after a failed load, then gives up', async () => {
    const tokens = fakeTokens('expired');
    const file = new ProtectedFile(tokens, (token) => `/f?token=${token}`);
    file.loadFailed();
    await settle();
    expect(tokens.asked).toEqual(['renew expired']);
    expect(file.url).toBe('/f?token=t1');
    expect(file.attempt).toBe(1);
    expect(file.failed).toBe(false);
    file.loadFailed();
    await settle();
    expect(file.failed).toBe(true);
    expect(tokens.asked).toEqual(['renew expired']);
  });

  it('is failed when no token can be had', async () => {
    const file = new ProtectedFile(
      {
        current: () => null,
        get: () => Promise.reject(new Error('offline')),
        renew: () => Promise.reject(new Error('x')),
      },
      (token) => token,
    );
    await settle();
    expect(file.failed).toBe(true);
  });

  it('deferred, makes no URL until started, then with the token held at that moment', () => {
    const tokens = fakeTokens('early');
    const file = new ProtectedFile(tokens, (token) => `/f?token=${token}`, { deferred: true });
    expect(file.url).toBe('');
    (tokens as { current: () => string | null }).current = () => 'later';
    file.start();
    expect(file.url).toBe('/f?token=later');
  });

  it('retries again after a good load: a long video outlives more than one token', async () => {
    const tokens = fakeTokens('t0');
    const file = new ProtectedFile(tokens, (token) => `/f?token=${token}`);
    file.loadFailed();
    await settle();
    file.loaded();
    file.loadFailed();
    await settle();
    expect(file.failed).toBe(false);
    expect(file.url).toBe('/f?token=t2');
    file.loadFailed(); // twice in a row, without a load between: final
    expect(file.failed).toBe(true);
  });
});
