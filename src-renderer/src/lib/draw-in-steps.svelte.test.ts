import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from './history.ts';
import { DrawInSteps, filled, firstDrawCount, GUESS_PX, MARGIN, moreToFill } from './draw-in-steps.svelte.ts';

const page = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `m${i}`, text: `message ${i}` }) as ChatMessage);

describe('how much of an opened room is drawn first', () => {
  it('guesses a screenful and its margin, never more than there is nor fewer than one', () => {
    expect(firstDrawCount(600, 50)).toBe(Math.ceil((600 * (1 + MARGIN)) / GUESS_PX));
    expect(firstDrawCount(600, 50)).toBeLessThan(50);
    expect(firstDrawCount(600, 3)).toBe(3);
    expect(firstDrawCount(0, 50)).toBe(1);
  });

  it('counts what is missing from what the first ones measured', () => {
    expect(filled(899, 600)).toBe(false);
    expect(filled(900, 600)).toBe(true);
    // 10 one-line messages of 30 px: 600 px more at 30 each, and two.
    expect(moreToFill(10, 300, 600)).toBe(22);
  });
});

describe('DrawInSteps', () => {
  let frames: Array<() => void>;
  beforeEach(() => {
    frames = [];
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', (run: () => void) => frames.push(run));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** A list whose messages are each `px` high, 600 px tall, and what keepPlace was asked to grow. */
  function drawing(messages: ChatMessage[], px: number) {
    const grown: number[] = [];
    let steps!: DrawInSteps;
    const stop = $effect.root(() => {
      steps = new DrawInSteps(
        () => messages,
        (grow) => {
          grow();
          grown.push(steps.drawn.list.length);
        },
      );
    });
    const scroller = {
      clientHeight: 600,
      get scrollHeight() {
        return steps.drawn.list.length * px;
      },
    } as HTMLElement;
    return { steps, scroller, grown, stop };
  }

  it('draws the newest that fill the list first, and the rest after the frame that shows them', () => {
    const messages = page(50);
    const { steps, scroller, grown, stop } = drawing(messages, 150);
    steps.open(600);
    const first = firstDrawCount(600, 50);
    expect(steps.drawn.list).toEqual(messages.slice(50 - first));
    expect(steps.drawn.offset).toBe(50 - first);
    expect(steps.pending).toBe(true);
    steps.fill(scroller);
    expect(grown).toEqual([]); // tall messages: the guess filled the list
    frames.shift()!();
    expect(steps.pending).toBe(true); // the frame is painted first
    vi.runAllTimers();
    expect(steps.drawn.list).toEqual(messages);
    expect(grown).toEqual([50]);
    stop();
  });

  it('draws more at once when the first guess does not fill the list', () => {
    const { steps, scroller, grown, stop } = drawing(page(50), 30);
    steps.open(600);
    steps.fill(scroller);
    expect(grown.length).toBeGreaterThan(0);
    expect(filled(scroller.scrollHeight, 600)).toBe(true);
    expect(steps.pending).toBe(true);
    stop();
  });

  it('draws everything at once for another change, and a short room whole', () => {
    const { steps, scroller, stop } = drawing(page(50), 150);
    steps.open(600);
    steps.all();
    expect(steps.pending).toBe(false);
    steps.fill(scroller);
    expect(frames).toEqual([]);
    stop();
    const short = drawing(page(3), 150);
    short.steps.open(600);
    expect(short.steps.pending).toBe(false);
    short.stop();
  });
});
