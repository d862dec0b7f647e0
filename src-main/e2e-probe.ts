// What the Electron end-to-end tests read from the main process through Playwright's
// electronApp.evaluate: the tray as last drawn, and the notifications shown (with a way to click one,
// since no test can click the desktop's own notification bubble).
//
// It exists only while Node's inspector is listening, which is how Playwright drives the app
// (--inspect). The release build's fuses refuse --inspect (electron-builder.yml; only the e2e test
// build, electron-builder.e2e.yml, allows it), so a shipped app never creates it. The renderer cannot
// reach it in any build: it is a global of the main process, and the page is sandboxed and isolated
// with no Node.js. Whoever holds the inspector can already run any code in main, so the probe gives
// them nothing new.
import { url as inspectorUrl } from 'node:inspector';
import type { TrayView } from './unread-badge.ts';

/** The global the tests read: `globalThis[E2E_PROBE_KEY]` in electronApp.evaluate. */
export const E2E_PROBE_KEY = '__palaverE2eProbe';

export interface ProbedNotification {
  title: string;
  body: string;
  roomId?: string;
  /** A single thread reply's notification: the thread a click opens. */
  threadId?: string;
  /** A single message's notification: the message a click opens the room at. */
  messageId?: string;
  /** Emits the notification's 'click' as the desktop does when it is clicked. */
  click(): void;
}

export interface E2eProbe {
  /** The tray and badge as last drawn; null before the tray exists. */
  tray: TrayView | null;
  /** Every notification shown, oldest first. */
  notifications: ProbedNotification[];
  /** Set when the system has no desktop notifications (Linux without libnotify): none are shown. */
  notificationsUnsupported: boolean;
}

/** The probe while a debugger can attach (end-to-end tests), else null. */
export function e2eProbe(inspecting: () => boolean = () => inspectorUrl() !== undefined): E2eProbe | null {
  if (!inspecting()) return null;
  const global = globalThis as { [E2E_PROBE_KEY]?: E2eProbe };
  global[E2E_PROBE_KEY] ??= { tray: null, notifications: [], notificationsUnsupported: false };
  return global[E2E_PROBE_KEY];
}
