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
