// The colour theme: the system's, or light or dark whatever the system says. The choice is the
// person's for this device (kept in localStorage, not on the server: a phone at night and an office
// screen may want different ones). app.css draws the dark theme for `<html data-theme="dark">`; this
// module keeps that attribute equal to the choice, or to the system's scheme when the choice is
// "system", so one set of CSS rules serves both ways of getting dark.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
export const THEME_KEY = 'palaver:theme';

/** The stored choice; anything unreadable or unknown counts as following the system. */
export function readThemeChoice(storage: Pick<Storage, 'getItem'>): ThemeChoice {
  try {
    const stored = storage.getItem(THEME_KEY);
    return THEME_CHOICES.find((choice) => choice === stored) ?? 'system';
  } catch {
    return 'system';
  }
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** What the page needs to follow a theme: the root element and the system's dark-scheme query. */
export interface ThemeHost {
  root: HTMLElement;
  storage: Storage;
  systemDark: MediaQueryList;
  /** Where another window of the app announces a storage change. */
  events: Pick<Window, 'addEventListener'>;
}

export class ThemeController {
  #choice: ThemeChoice = 'system';
  #host: ThemeHost | null = null;

  get choice(): ThemeChoice {
    return this.#choice;
  }

  /** Applies the stored choice, then follows the system and the app's other windows. */
  start(host: ThemeHost): void {
    this.#host = host;
    this.#choice = readThemeChoice(host.storage);
    this.#apply();
    host.systemDark.addEventListener('change', () => this.#apply());
    host.events.addEventListener('storage', (event) => {
      if ((event as StorageEvent).key !== THEME_KEY) return;
      this.#choice = readThemeChoice(host.storage);
      this.#apply();
    });
  }

  /** Applies a choice at once and remembers it for the next start. */
  choose(choice: ThemeChoice): void {
    this.#choice = choice;
    this.#apply();
    try {
      if (choice === 'system') this.#host?.storage.removeItem(THEME_KEY);
      else this.#host?.storage.setItem(THEME_KEY, choice);
    } catch {
      // Storage full or off: the theme still applies until the window closes.
    }
  }

  #apply(): void {
    if (!this.#host) return;
    const theme = resolveTheme(this.#choice, this.#host.systemDark.matches);
    this.#host.root.dataset.theme = theme;
    // Native parts (scrollbars, form controls, the page behind the app) follow the chosen theme too.
    this.#host.root.style.colorScheme = theme;
  }
}

/** The app's one theme, started in main.ts before the app is drawn. */
export const theme = new ThemeController();

export function startTheme(): void {
  theme.start({
    root: document.documentElement,
    storage: localStorage,
    systemDark: matchMedia('(prefers-color-scheme: dark)'),
    events: window,
  });
}
