import { afterEach, describe, expect, it } from 'vitest';
import { E2E_PROBE_KEY, e2eProbe } from './e2e-probe.ts';

const global = globalThis as Record<string, unknown>;

describe('e2eProbe', () => {
  afterEach(() => {
    delete global[E2E_PROBE_KEY];
  });

  it('does not exist unless a debugger can attach, as in every shipped build', () => {
    expect(e2eProbe(() => false)).toBeNull();
    expect(global[E2E_PROBE_KEY]).toBeUndefined();
    // Vitest itself runs without --inspect: the default check finds no inspector either.
    expect(e2eProbe()).toBeNull();
    expect(global[E2E_PROBE_KEY]).toBeUndefined();
  });

  it('is one object on the main process global while inspecting, where electronApp.evaluate finds it', () => {
    const probe = e2eProbe(() => true);
    expect(probe).toEqual({ tray: null, notifications: [], notificationsUnsupported: false });
    expect(e2eProbe(() => true)).toBe(probe);
    expect(global[E2E_PROBE_KEY]).toBe(probe);
  });
});
