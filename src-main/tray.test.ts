// tray.ts against a stand-in for Electron's Tray and Menu (no Electron binary here): what it asks the
// desktop to redraw as counts come in.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const calls = { menus: [] as unknown[][], tooltips: [] as string[], badges: [] as number[] };
  class Tray {
    setContextMenu(menu: { template: unknown[] }) {
      calls.menus.push(menu.template);
    }
    setToolTip(text: string) {
      calls.tooltips.push(text);
    }
    on() {}
    isDestroyed() {
      return false;
    }
    destroy() {}
  }
  return {
    calls,
    module: {
      Tray,
      Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
      nativeImage: { createEmpty: () => ({}), createFromPath: () => ({ setTemplateImage() {} }) },
      app: {
        getAppPath: () => '/nonexistent',
        setBadgeCount: (count: number) => {
          calls.badges.push(count);
          return true;
        },
      },
    },
  };
});
vi.mock('electron', () => electron.module);

const { createTray } = await import('./tray.ts');

function tray() {
  return createTray({
    initial: { unread: 0, doNotDisturb: false, signedIn: true, updateReady: false },
    onOpen() {},
    onToggleDoNotDisturb() {},
    onSignOut() {},
    onInstallUpdate() {},
    onQuit() {},
  });
}

describe('createTray', () => {
  beforeEach(() => {
    electron.calls.menus.length = 0;
    electron.calls.tooltips.length = 0;
    electron.calls.badges.length = 0;
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });

  it('does not rebuild the menu when a message leaves the count as it was', () => {
    const controller = tray();
    expect(electron.calls.menus).toHaveLength(1);
    controller.update({ unread: 0 });
    controller.update({ unread: 0 });
    expect(electron.calls.menus).toHaveLength(1);
    expect(electron.calls.tooltips).toEqual(['Palaver']);
  });

  it('rebuilds it when the count it shows changes, and only redraws the tooltip past 99', () => {
    const controller = tray();
    controller.update({ unread: 2 });
    controller.update({ unread: 2 });
    expect(electron.calls.menus).toHaveLength(2);
    expect(electron.calls.menus.at(-1)).toContainEqual(
      expect.objectContaining({ id: 'open', label: 'Open Palaver (2 unread)' }),
    );
    controller.update({ unread: 150 });
    controller.update({ unread: 151 });
    expect(electron.calls.menus).toHaveLength(3);
    expect(electron.calls.tooltips.at(-1)).toBe('Palaver — 151 unread messages');
    if (process.platform === 'linux' || process.platform === 'darwin')
      expect(electron.calls.badges).toEqual([0, 2, 150, 151]);
  });

  it('rebuilds it for do-not-disturb and signing out', () => {
    const controller = tray();
    controller.update({ doNotDisturb: true });
    controller.update({ signedIn: false });
    expect(electron.calls.menus).toHaveLength(3);
    expect(electron.calls.menus.at(-1)).toContainEqual(expect.objectContaining({ id: 'sign-out', enabled: false }));
    expect(electron.calls.menus.at(-1)).toContainEqual(expect.objectContaining({ id: 'dnd', checked: true }));
  });
});
