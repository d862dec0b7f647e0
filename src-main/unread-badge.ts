// What the tray and the dock/taskbar say about unread messages (and a downloaded update), as plain data
// for tray.ts.

function sanitize(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

export function trayTooltip(count: number): string {
  const n = sanitize(count);
  if (n === 0) return 'Palaver';
  return `Palaver — ${n} unread ${n === 1 ? 'message' : 'messages'}`;
}

/** For places that show text rather than a number: '' for none, '99+' above 99. */
export function badgeText(count: number): string {
  const n = sanitize(count);
  if (n === 0) return '';
  return n > 99 ? '99+' : String(n);
}

export type TrayAction = 'open' | 'dnd' | 'sign-out' | 'install-update' | 'quit';

export type TrayMenuItem =
  | { id: TrayAction; label: string; type?: 'normal' | 'checkbox'; checked?: boolean; enabled?: boolean }
  | { type: 'separator' };

export interface TrayMenuState {
  unread: number;
  doNotDisturb: boolean;
  signedIn: boolean;
  /** An update is downloaded (updater.ts): offer to restart into it now rather than on the next quit. */
  updateReady: boolean;
}

export function trayMenuModel(state: TrayMenuState): TrayMenuItem[] {
  const unread = badgeText(state.unread);
  return [
    // Many Linux trays (AppIndicator) never show the tooltip, so the count is repeated here.
    { id: 'open', label: unread === '' ? 'Open Palaver' : `Open Palaver (${unread} unread)` },
    { type: 'separator' },
    { id: 'dnd', label: 'Do not disturb', type: 'checkbox', checked: state.doNotDisturb },
    { id: 'sign-out', label: 'Sign out', enabled: state.signedIn },
    { type: 'separator' },
    ...(state.updateReady ? [{ id: 'install-update', label: 'Restart to update' } as const] : []),
    { id: 'quit', label: 'Quit Palaver' },
  ];
}

/** Everything the tray and the dock/taskbar show, as data. */
export interface TrayView {
  menu: TrayMenuItem[];
  tooltip: string;
  /** The dock/taskbar badge's number (0: no badge). */
  badgeCount: number;
}

export function trayView(state: TrayMenuState): TrayView {
  return { menu: trayMenuModel(state), tooltip: trayTooltip(state.unread), badgeCount: sanitize(state.unread) };
}

/**
 * Which parts of the tray differ from what is shown, so that only those are redrawn: the unread count
 * is reported on every incoming message, and rebuilding the native menu each time costs a round trip
 * to the desktop's tray host (and makes some Linux trays flicker) for a menu that often reads the same
 * (past 99 unread it always does).
 */
export function trayViewChanges(
  shown: TrayView | null,
  next: TrayView,
): { menu: boolean; tooltip: boolean; badgeCount: boolean } {
  if (shown === null) return { menu: true, tooltip: true, badgeCount: true };
  return {
    menu: JSON.stringify(shown.menu) !== JSON.stringify(next.menu),
    tooltip: shown.tooltip !== next.tooltip,
    badgeCount: shown.badgeCount !== next.badgeCount,
  };
}
