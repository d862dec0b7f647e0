// presence-hints.ts against a stand-in for Electron's powerMonitor (no Electron binary here).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const state = { idle: 0 as number | (() => number) };
  return {
    state,
    module: {
      powerMonitor: {
        getSystemIdleTime: () => (typeof state.idle === 'function' ? state.idle() : state.idle),
      },
    },
  };
});
vi.mock('electron', () => electron.module);

const { presenceHints } = await import('./presence-hints.ts');

describe('presenceHints', () => {
  beforeEach(() => {
    electron.state.idle = 0;
  });

  it("reports the system's idle time and the do-not-disturb setting as it is now", () => {
    electron.state.idle = 612;
    let dnd = false;
    expect(presenceHints(() => dnd)).toEqual({ idleSeconds: 612, doNotDisturb: false });
    dnd = true;
    electron.state.idle = 3;
    expect(presenceHints(() => dnd)).toEqual({ idleSeconds: 3, doNotDisturb: true });
  });

  it('counts as in use where the desktop cannot say', () => {
    electron.state.idle = () => {
      throw new Error('not supported on this platform');
    };
    expect(presenceHints(() => false)).toEqual({ idleSeconds: 0, doNotDisturb: false });
    for (const odd of [Number.NaN, -5, Number.POSITIVE_INFINITY]) {
      electron.state.idle = odd;
      expect(presenceHints(() => false).idleSeconds).toBe(0);
    }
  });
});
