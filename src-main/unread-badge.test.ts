import { describe, expect, it } from 'vitest';
import {
  badgeText,
  trayMenuModel,
  trayTooltip,
  trayView,
  trayViewChanges,
  type TrayMenuItem,
  type TrayMenuState,
} from './unread-badge.ts';

describe('trayTooltip', () => {
  it('counts unread messages in words', () => {
    expect(trayTooltip(0)).toBe('Palaver');
    expect(trayTooltip(1)).toBe('Palaver — 1 unread message');
    expect(trayTooltip(12)).toBe('Palaver — 12 unread messages');
    expect(trayTooltip(1234)).toBe('Palaver — 1234 unread messages');
  });

  it('treats nonsense as none', () => {
    for (const n of [-1, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])
      expect(trayTooltip(n)).toBe('Palaver');
  });
});

describe('badgeText', () => {
  it('is empty for none and caps at 99+', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(1)).toBe('1');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
    expect(badgeText(1_000_000)).toBe('99+');
    expect(badgeText(-3)).toBe('');
    expect(badgeText(Number.NaN)).toBe('');
  });
});

describe('trayMenuModel', () => {
  const byId = (items: TrayMenuItem[], id: string) => items.find((item) => 'id' in item && item.id === id);

  it('has open, do-not-disturb, sign out and quit, in that order', () => {
    const items = trayMenuModel({ unread: 0, doNotDisturb: false, signedIn: true, updateReady: false });
    expect(items).toEqual([
      { id: 'open', label: 'Open Palaver' },
      { type: 'separator' },
      { id: 'dnd', label: 'Do not disturb', type: 'checkbox', checked: false },
      { id: 'sign-out', label: 'Sign out', enabled: true },
      { type: 'separator' },
      { id: 'quit', label: 'Quit Palaver' },
    ]);
  });

  it('checks do-not-disturb and disables sign out when signed out', () => {
    const items = trayMenuModel({ unread: 0, doNotDisturb: true, signedIn: false, updateReady: false });
    expect(byId(items, 'dnd')).toMatchObject({ checked: true });
    expect(byId(items, 'sign-out')).toMatchObject({ enabled: false });
  });

  it('repeats the unread count on the open item for trays that hide tooltips', () => {
    expect(
      byId(trayMenuModel({ unread: 5, doNotDisturb: false, signedIn: true, updateReady: false }), 'open'),
    ).toMatchObject({ label: 'Open Palaver (5 unread)' });
    expect(
      byId(trayMenuModel({ unread: 500, doNotDisturb: false, signedIn: true, updateReady: false }), 'open'),
    ).toMatchObject({ label: 'Open Palaver (99+ unread)' });
  });

  it('offers to restart into a downloaded update, just above quit, only when there is one', () => {
    expect(
      byId(trayMenuModel({ unread: 0, doNotDisturb: false, signedIn: true, updateReady: false }), 'install-update'),
    ).toBeUndefined();
    const items = trayMenuModel({ unread: 0, doNotDisturb: false, signedIn: true, updateReady: true });
    expect(items.slice(-3)).toEqual([
      { type: 'separator' },
      { id: 'install-update', label: 'Restart to update' },
      { id: 'quit', label: 'Quit Palaver' },
    ]);
  });
});

describe('trayViewChanges', () => {
  const state = (change: Partial<TrayMenuState>): TrayMenuState => ({
    unread: 0,
    doNotDisturb: false,
    signedIn: true,
    updateReady: false,
    ...change,
  });
  const changes = (before: Partial<TrayMenuState>, after: Partial<TrayMenuState>) =>
    trayViewChanges(trayView(state(before)), trayView(state(after)));

  it('draws everything the first time', () => {
    expect(trayViewChanges(null, trayView(state({})))).toEqual({ menu: true, tooltip: true, badgeCount: true });
  });

  it('redraws nothing when the same count is reported again', () => {
    expect(changes({ unread: 3 }, { unread: 3 })).toEqual({ menu: false, tooltip: false, badgeCount: false });
  });

  it('rebuilds the menu only when what it shows changed', () => {
    expect(changes({ unread: 3 }, { unread: 4 })).toEqual({ menu: true, tooltip: true, badgeCount: true });
    // Past 99 the menu reads "99+" either way; the tooltip and the badge still count.
    expect(changes({ unread: 150 }, { unread: 151 })).toEqual({ menu: false, tooltip: true, badgeCount: true });
    expect(changes({ doNotDisturb: false }, { doNotDisturb: true })).toEqual({
      menu: true,
      tooltip: false,
      badgeCount: false,
    });
    expect(changes({ signedIn: true }, { signedIn: false })).toEqual({ menu: true, tooltip: false, badgeCount: false });
    expect(changes({ updateReady: false }, { updateReady: true })).toEqual({
      menu: true,
      tooltip: false,
      badgeCount: false,
    });
  });

  it('gives the badge a whole, non-negative count', () => {
    expect(trayView(state({ unread: -2 })).badgeCount).toBe(0);
    expect(trayView(state({ unread: Number.NaN })).badgeCount).toBe(0);
    expect(trayView(state({ unread: 7 })).badgeCount).toBe(7);
  });
});
