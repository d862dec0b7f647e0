// The tray icon, its menu and the dock/taskbar badge. What they say comes from unread-badge.ts.
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { e2eProbe } from './e2e-probe.ts';
import { trayView, trayViewChanges, type TrayAction, type TrayMenuState, type TrayView } from './unread-badge.ts';

export interface TrayOptions {
  initial: TrayMenuState;
  onOpen(): void;
  onToggleDoNotDisturb(on: boolean): void;
  onSignOut(): void;
  /** "Restart to update": shown only while the state says an update is downloaded. */
  onInstallUpdate(): void;
  onQuit(): void;
}

export interface TrayController {
  update(change: Partial<TrayMenuState>): void;
  destroy(): void;
}

function trayIcon(): NativeImage {
  const path = join(app.getAppPath(), 'build', 'tray.png');
  if (!existsSync(path)) {
    console.warn(`Palaver: no tray icon at ${path}; the tray entry will have no picture. Add build/tray.png.`);
    return nativeImage.createEmpty();
  }
  const image = nativeImage.createFromPath(path);
  // A monochrome template adapts to the light and dark menu bar on macOS.
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

export function createTray(options: TrayOptions): TrayController {
  const state: TrayMenuState = { ...options.initial };
  const tray = new Tray(trayIcon());

  const actions: Record<TrayAction, () => void> = {
    open: options.onOpen,
    dnd: () => options.onToggleDoNotDisturb(!state.doNotDisturb),
    'sign-out': options.onSignOut,
    'install-update': options.onInstallUpdate,
    quit: options.onQuit,
  };

  const probe = e2eProbe();
  let shown: TrayView | null = null;

  // Only what changed is redrawn (see trayViewChanges): the count is reported on every message.
  const render = () => {
    const next = trayView(state);
    const changed = trayViewChanges(shown, next);
    if (changed.menu) tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(next)));
    if (changed.tooltip) tray.setToolTip(next.tooltip);
    // The dock on macOS and LauncherEntry docks on Linux (Unity, KDE, Dash to Dock) show a count.
    // Windows has no such API: it would need BrowserWindow.setOverlayIcon with a rendered badge image.
    if (changed.badgeCount && (process.platform === 'darwin' || process.platform === 'linux'))
      app.setBadgeCount(next.badgeCount);
    shown = next;
    if (probe !== null) probe.tray = next;
  };

  const menuTemplate = (view: TrayView): MenuItemConstructorOptions[] =>
    view.menu.map((item) =>
      'id' in item
        ? {
            id: item.id,
            label: item.label,
            type: item.type ?? 'normal',
            ...(item.checked === undefined ? {} : { checked: item.checked }),
            ...(item.enabled === undefined ? {} : { enabled: item.enabled }),
            click: actions[item.id],
          }
        : { type: 'separator' },
    );

  // Windows and macOS report clicks on the icon itself; most Linux trays only open the menu.
  tray.on('click', () => options.onOpen());
  render();

  return {
    update(change) {
      Object.assign(state, change);
      if (!tray.isDestroyed()) render();
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
