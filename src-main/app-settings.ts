// Non-secret settings in userData/settings.json. The token is not here: see vault.ts.
import Store from 'electron-store';
import { normalizeServerUrl } from '../src-shared/server-address.ts';
import { chooseServerUrl, FALLBACK_SERVER_URL } from './security.ts';
import type { ServerList } from '../src-shared/server-list.ts';
import type { Rect } from './window-state.ts';

export interface AppSettings {
  /** The one server of the app before several (stored-state-migration.ts reads it once); kept for a downgrade. */
  serverUrl?: string;
  /** The servers added and the one open (src-shared/server-list.ts), checked whenever read. */
  servers?: ServerList;
  doNotDisturb: boolean;
  windowBounds?: Rect;
  /** "Check for updates automatically" in the account menu (update-policy.ts, updater.ts). */
  autoUpdate: boolean;
  /** When the last update check began (ms since the epoch): checks stay six hours apart across restarts. */
  updateCheckedAt?: number;
}

export type SettingsStore = Store<AppSettings>;

export function createAppSettings(): SettingsStore {
  return new Store<AppSettings>({
    name: 'settings',
    // No serverUrl default: a default written to the file would outlive a later build's default.
    defaults: { doNotDisturb: false, autoUpdate: true },
    schema: {
      serverUrl: { type: 'string', maxLength: 2048 },
      servers: { type: 'object' },
      doNotDisturb: { type: 'boolean' },
      autoUpdate: { type: 'boolean' },
      updateCheckedAt: { type: 'number', minimum: 0 },
      windowBounds: {
        type: 'object',
        properties: {
          x: { type: 'number' },
          y: { type: 'number' },
          width: { type: 'number' },
          height: { type: 'number' },
        },
        required: ['x', 'y', 'width', 'height'],
      },
    },
    // A hand-edited or half-written file must not stop the app from starting: start from defaults.
    clearInvalidConfig: true,
  });
}

export interface ServerSetting {
  /** The server this run talks to. */
  get(): string;
  /** Remembers the user's choice (already validated by the caller). */
  set(url: string): void;
}

/**
 * The server, by precedence: a run-time override (PALAVER_SERVER, honoured only for unpackaged runs
 * such as `npm start` and the end-to-end tests), then the user's choice, then the build's
 * MAIN_VITE_PALAVER_SERVER, then the local development server.
 */
export function serverSetting(settings: SettingsStore, runtimeOverride: string | undefined): ServerSetting {
  const buildDefault = import.meta.env.MAIN_VITE_PALAVER_SERVER;
  if (buildDefault && normalizeServerUrl(buildDefault) === null) {
    console.error(
      `Palaver: MAIN_VITE_PALAVER_SERVER=${JSON.stringify(buildDefault)} is not an http(s) server address without credentials; ` +
        `the default is ${FALLBACK_SERVER_URL}. Fix the variable and rebuild.`,
    );
  }
  let override = runtimeOverride ? normalizeServerUrl(runtimeOverride) : null;
  if (runtimeOverride && override === null) {
    console.error(
      `Palaver: ignoring PALAVER_SERVER=${JSON.stringify(runtimeOverride)}, which is not an http(s) server address without credentials.`,
    );
  }
  return {
    get: () => chooseServerUrl(override, settings.get('serverUrl'), buildDefault),
    set: (url) => {
      settings.set('serverUrl', url);
      // The user's choice wins for the rest of this run too.
      if (override !== null) override = url;
    },
  };
}
