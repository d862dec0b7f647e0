import { describe, expect, it } from 'vitest';
import { lazy, loadProblem } from './lazy-dialogs.ts';

describe('lazy', () => {
  it('fetches once, however often it is asked', async () => {
    let fetches = 0;
    const load = lazy(async () => ({ default: `module ${++fetches}` }));
    expect(await Promise.all([load(), load()])).toEqual(['module 1', 'module 1']);
    expect(await load()).toBe('module 1');
    expect(fetches).toBe(1);
  });

  it('forgets a failed fetch, so opening the dialog again tries again', async () => {
    let fetches = 0;
    const load = lazy(async () => {
      fetches += 1;
      if (fetches === 1) throw new Error('Failed to fetch dynamically imported module');
      return { default: 'module' };
    });
    await expect(load()).rejects.toThrow('Failed to fetch');
    expect(await load()).toBe('module');
    expect(fetches).toBe(2);
  });

  it('says what failed and what to do', () => {
    expect(loadProblem(new Error('Failed to fetch'))).toMatch(/could not be loaded \(Failed to fetch\).*reload/);
  });
});
