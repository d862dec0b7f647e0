// What the renderer declares its presence from (src-renderer/src/lib/presence.svelte.ts): how long the
// whole computer has gone without input, not just Palaver's window (someone typing in another app is
// not away), and the app's own do-not-disturb setting from the tray menu.
import { powerMonitor } from 'electron';
import type { PresenceHints } from '../src-shared/ipc.ts';

export function presenceHints(doNotDisturb: () => boolean): PresenceHints {
  let idle = 0;
  try {
    idle = powerMonitor.getSystemIdleTime();
  } catch {
    // Where the desktop does not say (some Wayland sessions), nobody is ever taken for away.
  }
  return {
    idleSeconds: Number.isFinite(idle) && idle > 0 ? Math.floor(idle) : 0,
    doNotDisturb: doNotDisturb(),
  };
}
