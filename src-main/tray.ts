// The tray icon, its menu and the dock/taskbar badge. What they say comes from unread-badge.ts.
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trayMenuModel, trayTooltip, type TrayAction, type TrayMenuState } from './unread-badge.ts';

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

  const render = () => {
    const template: MenuItemConstructorOptions[] = trayMenuModel(state).map((item) =>
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
    tray.setContextMenu(Menu.buildFromTemplate(template));
    tray.setToolTip(trayTooltip(state.unread));
    // The dock on macOS and LauncherEntry docks on Linux (Unity, KDE, Dash to Dock) show a count.
    // Windows has no such API: it would need BrowserWindow.setOverlayIcon with a rendered badge image.
    if (process.platform === 'darwin' || process.platform === 'linux') app.setBadgeCount(state.unread);
  };

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
