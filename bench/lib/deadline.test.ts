import { describe, expect, it } from 'vitest';
import { DeadlineError, deadlines, duration } from './deadline.ts';

const bench = deadlines('renderer');

describe('deadlines', () => {
  it('passes through what finishes in time', async () => {
    await expect(bench.within('a page', 1000, Promise.resolve(7))).resolves.toBe(7);
  });

  it('names the benchmark, what it waited for, how long and what it saw', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(bench.within('1000 messages in the DOM', 50, never, () => '352')).rejects.toThrow(
      new DeadlineError('renderer: waited 50 ms for 1000 messages in the DOM, saw 352'),
    );
  });

  it('polls until the value is enough, and fails with the last value seen', async () => {
    let n = 0;
    await expect(
      bench.poll(
        '3 ticks',
        2000,
        () => ++n,
        (x) => x >= 3,
        { intervalMs: 5 },
      ),
    ).resolves.toBe(3);
    await expect(
      bench.poll(
        '1000 messages in the DOM',
        60,
        () => 352,
        (x) => x >= 1000,
        { intervalMs: 10 },
      ),
    ).rejects.toThrow('renderer: waited 60 ms for 1000 messages in the DOM, saw 352');
  });

  it('holds a probe that never answers to the deadline', async () => {
    await expect(
      bench.poll(
        'an answer',
        50,
        () => new Promise<number>(() => undefined),
        () => true,
      ),
    ).rejects.toThrow(/^renderer: waited .* for an answer, saw nothing yet$/);
  });

  it('says durations the way people read them', () => {
    expect([duration(250), duration(1500), duration(60_000)]).toEqual(['250 ms', '1.5 s', '60 s']);
  });
});
