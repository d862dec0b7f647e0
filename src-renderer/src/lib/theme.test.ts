import { describe, expect, it } from 'vitest';
import { readThemeChoice, resolveTheme, THEME_KEY, ThemeController, type ThemeHost } from './theme.ts';

class MemoryStorage {
  values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
  removeItem(key: string) {
    this.values.delete(key);
  }
}

/** A page whose system scheme the test flips, as the operating system would at dusk. */
function fakeHost(systemDark = false) {
  const storage = new MemoryStorage();
  const root = { dataset: {} as Record<string, string>, style: { colorScheme: '' } };
  const changes: Array<() => void> = [];
  const storageListeners: Array<(event: { key: string | null }) => void> = [];
  const query = {
    matches: systemDark,
    addEventListener: (_type: string, listener: () => void) => changes.push(listener),
  };
  const host = {
    root,
    storage,
    systemDark: query,
    events: {
      addEventListener: (_type: string, listener: (event: { key: string | null }) => void) =>
        storageListeners.push(listener),
    },
  } as unknown as ThemeHost;
  return {
    host,
    storage,
    root,
    setSystemDark(dark: boolean) {
      query.matches = dark;
      for (const listener of changes) listener();
    },
    otherWindowStored(key: string | null) {
      for (const listener of storageListeners) listener({ key });
    },
  };
}

describe('the theme choice', () => {
  it('follows the system unless light or dark was chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads an unknown or unreadable stored value as following the system', () => {
    const storage = new MemoryStorage();
    expect(readThemeChoice(storage)).toBe('system');
    storage.setItem(THEME_KEY, 'purple');
    expect(readThemeChoice(storage)).toBe('system');
    storage.setItem(THEME_KEY, 'dark');
    expect(readThemeChoice(storage)).toBe('dark');
    expect(
      readThemeChoice({
        getItem: () => {
          throw new Error('storage is off');
        },
      }),
    ).toBe('system');
  });
});

describe('ThemeController', () => {
  it('applies the stored choice at start, as the data-theme and colour scheme of the page', () => {
    const page = fakeHost(false);
    page.storage.setItem(THEME_KEY, 'dark');
    const controller = new ThemeController();
    controller.start(page.host);
    expect(controller.choice).toBe('dark');
    expect(page.root.dataset.theme).toBe('dark');
    expect(page.root.style.colorScheme).toBe('dark');
  });

  it('follows the system while the choice is "system", and ignores it once one is chosen', () => {
    const page = fakeHost(false);
    const controller = new ThemeController();
    controller.start(page.host);
    expect(page.root.dataset.theme).toBe('light');
    page.setSystemDark(true);
    expect(page.root.dataset.theme).toBe('dark');
    controller.choose('light');
    expect(page.root.dataset.theme).toBe('light');
    page.setSystemDark(true);
    expect(page.root.dataset.theme).toBe('light');
  });

  it('remembers a choice, and forgets it when the system is chosen again', () => {
    const page = fakeHost(true);
    const controller = new ThemeController();
    controller.start(page.host);
    controller.choose('light');
    expect(page.storage.getItem(THEME_KEY)).toBe('light');
    const nextStart = new ThemeController();
    nextStart.start(fakeHostWith(page.storage));
    expect(nextStart.choice).toBe('light');
    controller.choose('system');
    expect(page.storage.getItem(THEME_KEY)).toBeNull();
    expect(page.root.dataset.theme).toBe('dark');
  });

  it("takes up a choice made in the app's other window", () => {
    const page = fakeHost(false);
    const controller = new ThemeController();
    controller.start(page.host);
    page.storage.setItem(THEME_KEY, 'dark');
    page.otherWindowStored('palaver:something-else');
    expect(page.root.dataset.theme).toBe('light');
    page.otherWindowStored(THEME_KEY);
    expect(controller.choice).toBe('dark');
    expect(page.root.dataset.theme).toBe('dark');
  });

  it('still applies a choice when storage refuses to keep it', () => {
    const page = fakeHost(false);
    page.storage.setItem = () => {
      throw new Error('quota');
    };
    const controller = new ThemeController();
    controller.start(page.host);
    controller.choose('dark');
    expect(page.root.dataset.theme).toBe('dark');
  });
});

function fakeHostWith(storage: MemoryStorage): ThemeHost {
  const host = fakeHost(false);
  return { ...host.host, storage: storage as unknown as Storage };
}
