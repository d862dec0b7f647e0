// Automatic updates, the decisions: whether this copy of Palaver can update itself, when it next asks
// the update server, and what the user is told. updater.ts applies them to electron-updater.

/** The first check waits a minute, so that starting Palaver is not slowed down by it. */
export const FIRST_CHECK_DELAY_MS = 60_000;
/** Never more often than this, across restarts too (the time of the last check is kept in settings). */
export const CHECK_INTERVAL_MS = 6 * 60 * 60_000;

export type UpdateSupport = { supported: true } | { supported: false; reason: string };

export interface UpdateEnvironment {
  packaged: boolean;
  platform: NodeJS.Platform;
  /** Set by the AppImage runtime to the AppImage's path. */
  appImage: string | undefined;
  /** Set inside a snap, which the snap store updates. */
  snap: string | undefined;
  /** What electron-builder wrote to resources/package-type (deb, rpm, pacman), if the file exists. */
  linuxPackageType: string | undefined;
  /** resources/app-update.yml exists: electron-builder writes it when the build has a publish target. */
  hasFeedConfig: boolean;
}

/**
 * Whether electron-updater can update this copy. Where it cannot, it is never asked: it would only fail
 * every six hours with a message the user can do nothing about.
 */
export function updateSupport(env: UpdateEnvironment): UpdateSupport {
  if (!env.packaged) return { supported: false, reason: 'a development run (not packaged) does not update itself' };
  if (env.platform === 'linux') {
    if (env.snap) return { supported: false, reason: 'the snap store updates snaps' };
    const packaged =
      env.linuxPackageType !== undefined && ['deb', 'rpm', 'pacman'].includes(env.linuxPackageType.trim());
    if (!env.appImage && !packaged) {
      return { supported: false, reason: 'on Linux only the AppImage, deb, rpm and pacman packages update themselves' };
    }
  } else if (env.platform !== 'win32' && env.platform !== 'darwin') {
    return { supported: false, reason: `there are no updates for ${env.platform}` };
  }
  if (!env.hasFeedConfig)
    return { supported: false, reason: 'this build has no update feed (resources/app-update.yml is missing)' };
  return { supported: true };
}

export interface CheckSchedule {
  supported: boolean;
  /** The user's setting. */
  enabled: boolean;
  /** When this run started (ms since the epoch). */
  startedAt: number;
  /** When the last check began, in this run or an earlier one; anything but a past time counts as never. */
  lastCheckAt: number | null | undefined;
  /** An update is downloaded and waits for a restart: there is nothing more to look for. */
  updateReady: boolean;
}

/**
 * When the next check is due (ms since the epoch; it may be in the past, meaning now), or null when
 * there is none to make. A minute after start, and never within CHECK_INTERVAL_MS of the last one.
 */
export function nextCheckAt(schedule: CheckSchedule, now: number): number | null {
  if (!schedule.supported || !schedule.enabled || schedule.updateReady) return null;
  const first = schedule.startedAt + FIRST_CHECK_DELAY_MS;
  const last = schedule.lastCheckAt;
  // A last check "in the future" means the clock was wrong then or is wrong now; trusting it could
  // put the next check off for as long as the clock was off.
  if (typeof last !== 'number' || !Number.isFinite(last) || last > now) return first;
  return Math.max(first, last + CHECK_INTERVAL_MS);
}

export function checkDue(schedule: CheckSchedule, now: number): boolean {
  const at = nextCheckAt(schedule, now);
  return at !== null && at <= now;
}

// ---------------------------------------------------------------------------------------------------
// What electron-updater reports, and what the user is told about it.

export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'cancelled' }
  | { type: 'error'; error: unknown };

export type UpdatePhase =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'up-to-date' }
  | { phase: 'downloading'; version: string; percent: number | null }
  | { phase: 'ready'; version: string }
  | { phase: 'failed'; during: 'check' | 'download'; version?: string; reason: string };

export const IDLE: UpdatePhase = { phase: 'idle' };

export function nextPhase(current: UpdatePhase, event: UpdaterEvent): UpdatePhase {
  // A downloaded update stays ready whatever comes later: installed on quit while updates are on, else
  // when the user picks "Restart to update".
  if (current.phase === 'ready') return current;
  switch (event.type) {
    case 'checking':
      return { phase: 'checking' };
    case 'available':
      return { phase: 'downloading', version: shownVersion(event.version), percent: null };
    case 'not-available':
      return { phase: 'up-to-date' };
    case 'progress':
      if (current.phase !== 'downloading' || !Number.isFinite(event.percent)) return current;
      return { ...current, percent: Math.min(100, Math.max(0, event.percent)) };
    case 'downloaded':
      return { phase: 'ready', version: shownVersion(event.version) };
    case 'cancelled':
      return IDLE;
    case 'error':
      return current.phase === 'downloading'
        ? { phase: 'failed', during: 'download', version: current.version, reason: failureReason(event.error) }
        : { phase: 'failed', during: 'check', reason: failureReason(event.error) };
  }
}

/** A version as the update server wrote it, fit to show: semver characters only, and not too long. */
function shownVersion(version: unknown): string {
  const clean = typeof version === 'string' ? version.replace(/[^0-9A-Za-z.+-]/g, '').slice(0, 40) : '';
  return clean === '' ? 'update' : clean;
}

/** One line for the account menu, or null when there is nothing to say. */
export function statusText(phase: UpdatePhase, enabled: boolean): string | null {
  // Turned off: only a downloaded update is still worth mentioning (the tray offers to install it).
  if (!enabled && phase.phase !== 'ready') return null;
  switch (phase.phase) {
    case 'idle':
      return null;
    case 'checking':
      return 'Checking for updates…';
    case 'up-to-date':
      return 'Palaver is up to date.';
    case 'downloading':
      return `Palaver ${phase.version} is downloading${phase.percent === null ? '' : ` (${Math.floor(phase.percent)}%)`}`;
    case 'ready':
      return 'Update ready: restart to install';
    case 'failed':
      return phase.during === 'download'
        ? `Could not download Palaver ${phase.version ?? 'update'}: ${phase.reason}. Palaver will try again later.`
        : `Could not check for updates: ${phase.reason}. Palaver will try again later.`;
  }
}

const NET_REASONS: Array<[RegExp, string]> = [
  [
    /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_NETWORK_IO_SUSPENDED|ENETUNREACH|ENETDOWN/,
    'there is no internet connection',
  ],
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|ENOTFOUND|EAI_AGAIN/, 'the update server could not be found'],
  [/ERR_PROXY|ERR_TUNNEL_CONNECTION_FAILED/, 'the proxy did not let the request through'],
  [
    /ERR_CERT_|ERR_SSL_|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT/,
    "the update server's certificate was not accepted",
  ],
  [
    /ERR_CONNECTION_|ERR_TIMED_OUT|ERR_ADDRESS_UNREACHABLE|ERR_EMPTY_RESPONSE|ECONNREFUSED|ECONNRESET|ETIMEDOUT/,
    'the update server did not answer',
  ],
];

const CODE_REASONS: Record<string, string> = {
  ERR_UPDATER_CHANNEL_FILE_NOT_FOUND: 'the update server has no release information',
  ERR_UPDATER_LATEST_VERSION_NOT_FOUND: 'the update server has no release information',
  ERR_UPDATER_NO_PUBLISHED_VERSIONS: 'the update server has no release information',
  ERR_UPDATER_RELEASE_NOT_FOUND: 'the update server has no release information',
  ERR_UPDATER_INVALID_UPDATE_INFO: 'the update server sent release information that could not be read',
  ERR_UPDATER_INVALID_RELEASE_FEED: 'the update server sent release information that could not be read',
  ERR_UPDATER_ASSET_NOT_FOUND: 'the update server does not have the file for this system',
  ERR_UPDATER_INVALID_SIGNATURE: 'the download is not signed by the publisher of Palaver',
  ERR_CHECKSUM_MISMATCH: 'the download was damaged',
  ENOSPC: 'the disk is full',
  EACCES: 'Palaver may not write where it keeps updates',
  EPERM: 'Palaver may not write where it keeps updates',
};

/** Why an update check or download failed, in a few words (no trailing period). */
export function failureReason(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (Object.hasOwn(CODE_REASONS, code)) return CODE_REASONS[code]!;
  const status = /^HTTP_ERROR_(\d{3})$/.exec(code)?.[1];
  if (status !== undefined) {
    const n = Number(status);
    if (n === 404) return 'the update server has no release information';
    if (n === 401 || n === 403) return `the update server refused the request (HTTP ${n})`;
    if (n >= 500) return `the update server had a problem (HTTP ${n})`;
    return `the update server answered HTTP ${n}`;
  }
  for (const [pattern, reason] of NET_REASONS) {
    if (pattern.test(code) || pattern.test(message)) return reason;
  }
  // The first line only: electron-updater's messages go on with headers and stack traces.
  const line = (message.split('\n')[0] ?? '').trim().replace(/[.\s]+$/, '');
  if (line === '') return 'an unknown error';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
