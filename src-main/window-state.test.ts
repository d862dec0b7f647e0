import { describe, expect, it } from 'vitest';
import { parseBounds, restoreBounds } from './window-state.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor = { x: 1440, y: -200, width: 2560, height: 1415 };

describe('restoreBounds', () => {
  it('restores saved bounds that are on a screen', () => {
    const saved = { x: 100, y: 80, width: 1000, height: 700 };
    expect(restoreBounds(saved, [laptop])).toEqual(saved);
    const onSecond = { x: 2000, y: -100, width: 1200, height: 800 };
    expect(restoreBounds(onSecond, [laptop, rightMonitor])).toEqual(onSecond);
  });

  it('falls back to the centred default when nothing is saved', () => {
    expect(restoreBounds(undefined, [laptop])).toEqual({ width: 1100, height: 720 });
    expect(restoreBounds(null, [laptop])).toEqual({ width: 1100, height: 720 });
  });

  it('falls back when the window was on a monitor that is gone', () => {
    expect(restoreBounds({ x: 2000, y: 0, width: 1200, height: 800 }, [laptop])).toEqual({ width: 1100, height: 720 });
    expect(restoreBounds({ x: 0, y: 0, width: 800, height: 600 }, [])).toEqual({ width: 1100, height: 720 });
  });

  it('needs at least 100x100 px on one display', () => {
    // 99 px visible at the right edge.
    expect(restoreBounds({ x: 1341, y: 0, width: 800, height: 600 }, [laptop])).toEqual({ width: 1100, height: 720 });
    // Exactly 100 px visible.
    expect(restoreBounds({ x: 1340, y: 0, width: 800, height: 600 }, [laptop])).toEqual({
      x: 1340,
      y: 0,
      width: 800,
      height: 600,
    });
    // Visible only as a sliver above the top.
    expect(restoreBounds({ x: 0, y: -550, width: 800, height: 600 }, [laptop])).toEqual({ width: 1100, height: 720 });
    // Straddling two displays with under 100 px on each in one direction does not count.
    const left = { x: 0, y: 0, width: 1000, height: 1000 };
    const right = { x: 1000, y: 0, width: 1000, height: 1000 };
    expect(restoreBounds({ x: 950, y: 950, width: 100, height: 100 }, [left, right])).toEqual({
      width: 1100,
      height: 720,
    });
  });

  it('uses given defaults', () => {
    expect(restoreBounds('garbage', [laptop], { width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
  });

  it.each([
    ['a string', 'x=1,y=2'],
    ['a number', 42],
    ['an array', [0, 0, 800, 600]],
    ['strings for numbers', { x: '0', y: '0', width: '800', height: '600' }],
    ['NaN', { x: Number.NaN, y: 0, width: 800, height: 600 }],
    ['Infinity', { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 600 }],
    ['negative size', { x: 0, y: 0, width: -800, height: 600 }],
    ['zero size', { x: 0, y: 0, width: 0, height: 0 }],
    ['tiny size', { x: 0, y: 0, width: 99, height: 600 }],
    ['absurd coordinates', { x: 1e12, y: 0, width: 800, height: 600 }],
    ['missing fields', { width: 800, height: 600 }],
    ['null fields', { x: null, y: null, width: 800, height: 600 }],
  ])('falls back for %s', (_what, saved) => {
    expect(restoreBounds(saved, [laptop])).toEqual({ width: 1100, height: 720 });
  });
});

describe('parseBounds', () => {
  it('rounds to whole pixels, as BrowserWindow wants', () => {
    expect(parseBounds({ x: 10.4, y: 10.6, width: 800.5, height: 600.2 })).toEqual({
      x: 10,
      y: 11,
      width: 801,
      height: 600,
    });
  });
});
