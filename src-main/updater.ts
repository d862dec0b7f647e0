// Automatic updates through electron-updater. What to do and what to say is decided in update-policy.ts;
// this file applies it. A failed check or download is logged and shown as a status line in the account
// menu, never as a dialog: the next check comes by itself.
import { app } from 'electron';
// electron-updater is CommonJS and defines `autoUpdater` with a getter that Node's named-export
// detection does not see, so the ESM main bundle (which leaves dependencies as imports) takes the
// module object as the default import.
import electronUpdater, { type CancellationToken, type Logger } from 'electron-updater';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateState } from '../src-shared/ipc.ts';
import {
  CHECK_INTERVAL_MS,
  checkDue,
  IDLE,
  nextCheckAt,
  nextPhase,
  statusText,
  updateSupport,
  type CheckSchedule,
  type UpdatePhase,
  type UpdaterEvent,
} from './update-policy.ts';

export interface UpdaterOptions {
  /** The user's setting at start. */
  enabled: boolean;
  /** When the last check began, as remembered from an earlier run. */
  lastCheckAt: number | undefined;
  saveEnabled(on: boolean): void;
  saveLastCheck(at: number): void;
  /** An update was downloaded: the tray offers "Restart to update". */
  onUpdateReady(): void;
}

export interface Updater {
  state(): UpdateState;
  setEnabled(on: boolean): void;
  /** Quits and installs the downloaded update, then starts Palaver again. */
  installNow(): void;
  dispose(): void;
}

const logger: Logger = {
  info: (message?: unknown) => console.info(`Palaver updater: ${String(message)}`),
  warn: (message?: unknown) => console.warn(`Palaver updater: ${String(message)}`),
  error: (message?: unknown) => console.error(`Palaver updater: ${String(message)}`),
};

/** What electron-builder wrote into resources/package-type for deb, rpm and pacman builds. */
function linuxPackageType(): string | undefined {
  if (process.platform !== 'linux' || !app.isPackaged) return undefined;
  try {
    return readFileSync(join(process.resourcesPath, 'package-type'), 'utf8');
  } catch {
    return undefined;
  }
}

export function createUpdater(options: UpdaterOptions): Updater {
  let enabled = options.enabled;
  const support = updateSupport({
    packaged: app.isPackaged,
    platform: process.platform,
    appImage: process.env['APPIMAGE'],
    snap: process.env['SNAP'],
    linuxPackageType: linuxPackageType(),
    hasFeedConfig: app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml')),
  });
  if (!support.supported) {
    console.info(`Palaver: no automatic updates: ${support.reason}.`);
    // The setting is still remembered, for the copy that can update (the account menu does not show it).
    return {
      state: () => ({ enabled, status: null, supported: false }),
      setEnabled: (on) => {
        enabled = on;
        options.saveEnabled(on);
      },
      installNow: () => undefined,
      dispose: () => undefined,
    };
  }

  // Only touched where updates are supported: the getter picks and builds the platform's updater.
  const updater = electronUpdater.autoUpdater;
  updater.logger = logger;
  updater.autoDownload = true;
  // Off means off: a downloaded update is then installed only when the user picks "Restart to update".
  updater.autoInstallOnAppQuit = enabled;

  const startedAt = Date.now();
  let lastCheckAt = options.lastCheckAt;
  let phase: UpdatePhase = IDLE;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  /** Cancels the download under way, when the user turns updates off. */
  let download: CancellationToken | undefined;

  const schedule = (): CheckSchedule => ({
    supported: true,
    enabled,
    startedAt,
    lastCheckAt,
    updateReady: phase.phase === 'ready',
  });

  const apply = (event: UpdaterEvent) => {
    const wasReady = phase.phase === 'ready';
    phase = nextPhase(phase, event);
    if (!wasReady && phase.phase === 'ready') {
      download = undefined;
      options.onUpdateReady();
      plan();
    }
  };
  updater.on('checking-for-update', () => apply({ type: 'checking' }));
  updater.on('update-available', (info) => apply({ type: 'available', version: info.version }));
  updater.on('update-not-available', () => apply({ type: 'not-available' }));
  updater.on('download-progress', (progress) => apply({ type: 'progress', percent: progress.percent }));
  updater.on('update-downloaded', (info) => apply({ type: 'downloaded', version: info.version }));
  updater.on('update-cancelled', () => apply({ type: 'cancelled' }));
  // electron-updater logs the error itself (with its stack, through `logger`); this only keeps the
  // status line. Having a listener also means an 'error' event can never throw.
  updater.on('error', (error) => apply({ type: 'error', error }));

  const check = () => {
    timer = undefined;
    const now = Date.now();
    if (!checkDue(schedule(), now)) {
      plan();
      return;
    }
    lastCheckAt = now;
    options.saveLastCheck(now);
    updater
      .checkForUpdates()
      .then((result) => {
        download = result?.cancellationToken;
        // Turned off while the check was under way: its download (autoDownload) must not go on.
        if (!enabled && download !== undefined) {
          download.cancel();
          download = undefined;
        }
        // Reported through 'error' like the check's own failure; caught so it is not an unhandled rejection.
        result?.downloadPromise?.catch(() => undefined);
      })
      .catch(() => undefined)
      .finally(plan);
  };

  /** Sets the timer for the next check, if there is one to make. */
  function plan(): void {
    clearTimeout(timer);
    timer = undefined;
    if (disposed) return;
    const now = Date.now();
    const at = nextCheckAt(schedule(), now);
    if (at === null) return;
    // Never longer than the interval: after a clock change the due time is simply looked at again.
    timer = setTimeout(check, Math.min(Math.max(0, at - now), CHECK_INTERVAL_MS));
  }

  plan();

  return {
    state: () => ({ enabled, status: statusText(phase, enabled), supported: true }),
    setEnabled(on) {
      enabled = on;
      options.saveEnabled(on);
      updater.autoInstallOnAppQuit = on;
      if (!on && download !== undefined) {
        // Emits 'update-cancelled', which clears the status line.
        download.cancel();
        download = undefined;
      }
      plan();
    },
    installNow() {
      if (phase.phase !== 'ready') return;
      // Silent on Windows (no installer window), and Palaver starts again afterwards.
      updater.quitAndInstall(true, true);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
