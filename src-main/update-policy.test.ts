import { describe, expect, it } from 'vitest';
import {
  CHECK_INTERVAL_MS,
  checkDue,
  failureReason,
  FIRST_CHECK_DELAY_MS,
  IDLE,
  nextCheckAt,
  nextPhase,
  statusText,
  updateSupport,
  type CheckSchedule,
  type UpdateEnvironment,
  type UpdatePhase,
  type UpdaterEvent,
} from './update-policy.ts';

const HOUR = 60 * 60_000;

describe('updateSupport', () => {
  const packaged: UpdateEnvironment = {
    packaged: true,
    platform: 'win32',
    appImage: undefined,
    snap: undefined,
    linuxPackageType: undefined,
    hasFeedConfig: true,
  };

  it('updates packaged Windows and macOS builds that have a feed', () => {
    expect(updateSupport(packaged)).toEqual({ supported: true });
    expect(updateSupport({ ...packaged, platform: 'darwin' })).toEqual({ supported: true });
  });

  it('never updates a development run', () => {
    expect(updateSupport({ ...packaged, packaged: false })).toMatchObject({
      supported: false,
      reason: expect.stringContaining('development'),
    });
  });

  it('updates on Linux only as an AppImage or a deb, rpm or pacman package, never as a snap', () => {
    const linux = { ...packaged, platform: 'linux' as const };
    expect(updateSupport({ ...linux, appImage: '/home/me/Palaver.AppImage' })).toEqual({ supported: true });
    expect(updateSupport({ ...linux, linuxPackageType: 'deb\n' })).toEqual({ supported: true });
    expect(updateSupport({ ...linux, linuxPackageType: 'rpm' })).toEqual({ supported: true });
    expect(updateSupport({ ...linux, linuxPackageType: 'pacman' })).toEqual({ supported: true });
    expect(updateSupport(linux)).toMatchObject({ supported: false });
    expect(updateSupport({ ...linux, linuxPackageType: 'tar.gz' })).toMatchObject({ supported: false });
    expect(updateSupport({ ...linux, snap: '/snap/palaver/1', appImage: '/x.AppImage' })).toMatchObject({
      supported: false,
      reason: expect.stringContaining('snap'),
    });
  });

  it('does not update where electron-updater has nothing to offer, or without a feed', () => {
    expect(updateSupport({ ...packaged, platform: 'freebsd' })).toMatchObject({ supported: false });
    expect(updateSupport({ ...packaged, hasFeedConfig: false })).toMatchObject({
      supported: false,
      reason: expect.stringContaining('app-update.yml'),
    });
  });
});

describe('nextCheckAt', () => {
  const start = Date.UTC(2025, 0, 1, 9, 0, 0);
  const base: CheckSchedule = {
    supported: true,
    enabled: true,
    startedAt: start,
    lastCheckAt: null,
    updateReady: false,
  };

  it('checks first about a minute after start', () => {
    expect(nextCheckAt(base, start)).toBe(start + FIRST_CHECK_DELAY_MS);
    expect(checkDue(base, start + FIRST_CHECK_DELAY_MS - 1)).toBe(false);
    expect(checkDue(base, start + FIRST_CHECK_DELAY_MS)).toBe(true);
  });

  it('then every six hours, and not sooner after a restart', () => {
    const checked = start + FIRST_CHECK_DELAY_MS;
    expect(CHECK_INTERVAL_MS).toBe(6 * HOUR);
    expect(nextCheckAt({ ...base, lastCheckAt: checked }, checked)).toBe(checked + 6 * HOUR);
    expect(checkDue({ ...base, lastCheckAt: checked }, checked + 6 * HOUR - 1)).toBe(false);
    expect(checkDue({ ...base, lastCheckAt: checked }, checked + 6 * HOUR)).toBe(true);
    // Restarted an hour after a check made by the previous run: five more hours to wait.
    const restart = { ...base, startedAt: checked + HOUR, lastCheckAt: checked };
    expect(nextCheckAt(restart, checked + HOUR)).toBe(checked + 6 * HOUR);
    // Restarted long after: the usual minute.
    const later = { ...base, startedAt: checked + 2 * 24 * HOUR, lastCheckAt: checked };
    expect(nextCheckAt(later, later.startedAt)).toBe(later.startedAt + FIRST_CHECK_DELAY_MS);
  });

  it('never checks when unsupported, turned off, or with an update waiting for a restart', () => {
    expect(nextCheckAt({ ...base, supported: false }, start)).toBeNull();
    expect(nextCheckAt({ ...base, enabled: false }, start)).toBeNull();
    expect(nextCheckAt({ ...base, updateReady: true }, start)).toBeNull();
    expect(checkDue({ ...base, enabled: false }, start + 24 * HOUR)).toBe(false);
  });

  it('turned back on, checks when the six hours since the last check are over', () => {
    const last = start + FIRST_CHECK_DELAY_MS;
    expect(nextCheckAt({ ...base, lastCheckAt: last }, start + 10 * HOUR)).toBe(last + 6 * HOUR);
    expect(checkDue({ ...base, lastCheckAt: last }, start + 10 * HOUR)).toBe(true);
  });

  it('does not trust a last check in the future or a nonsense value', () => {
    const now = start + HOUR;
    for (const lastCheckAt of [
      now + 1,
      start + 365 * 24 * HOUR,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      undefined,
      null,
      '1' as never,
    ]) {
      expect(nextCheckAt({ ...base, lastCheckAt }, now), String(lastCheckAt)).toBe(start + FIRST_CHECK_DELAY_MS);
    }
  });
});

describe('nextPhase and statusText', () => {
  const run = (events: UpdaterEvent[], from: UpdatePhase = IDLE) => events.reduce(nextPhase, from);

  it('says nothing before the first check', () => {
    expect(statusText(IDLE, true)).toBeNull();
  });

  it('follows a check that finds and downloads an update', () => {
    let phase = run([{ type: 'checking' }]);
    expect(statusText(phase, true)).toBe('Checking for updates…');
    phase = nextPhase(phase, { type: 'available', version: '1.2.3' });
    expect(statusText(phase, true)).toBe('Palaver 1.2.3 is downloading');
    phase = nextPhase(phase, { type: 'progress', percent: 42.7 });
    expect(statusText(phase, true)).toBe('Palaver 1.2.3 is downloading (42%)');
    phase = nextPhase(phase, { type: 'downloaded', version: '1.2.3' });
    expect(phase).toEqual({ phase: 'ready', version: '1.2.3' });
    expect(statusText(phase, true)).toBe('Update ready: restart to install');
  });

  it('says when there is nothing new', () => {
    expect(statusText(run([{ type: 'checking' }, { type: 'not-available' }]), true)).toBe('Palaver is up to date.');
  });

  it('says why a check failed and that it will be tried again', () => {
    const phase = run([{ type: 'checking' }, { type: 'error', error: new Error('net::ERR_INTERNET_DISCONNECTED') }]);
    expect(statusText(phase, true)).toBe(
      'Could not check for updates: there is no internet connection. Palaver will try again later.',
    );
  });

  it('tells a failed download from a failed check', () => {
    const error = Object.assign(new Error('sha512 checksum mismatch, expected …'), { code: 'ERR_CHECKSUM_MISMATCH' });
    const phase = run([{ type: 'checking' }, { type: 'available', version: '2.0.0' }, { type: 'error', error }]);
    expect(statusText(phase, true)).toBe(
      'Could not download Palaver 2.0.0: the download was damaged. Palaver will try again later.',
    );
  });

  it('keeps a downloaded update ready whatever comes after', () => {
    const ready = run([
      { type: 'available', version: '1.2.3' },
      { type: 'downloaded', version: '1.2.3' },
    ]);
    expect(run([{ type: 'checking' }, { type: 'error', error: new Error('x') }, { type: 'cancelled' }], ready)).toBe(
      ready,
    );
  });

  it('ignores progress outside a download and nonsense percentages', () => {
    expect(run([{ type: 'progress', percent: 50 }])).toEqual(IDLE);
    const downloading = run([{ type: 'available', version: '1.0.1' }]);
    expect(nextPhase(downloading, { type: 'progress', percent: Number.NaN })).toBe(downloading);
    expect(statusText(nextPhase(downloading, { type: 'progress', percent: 250 }), true)).toBe(
      'Palaver 1.0.1 is downloading (100%)',
    );
  });

  it('goes back to saying nothing after a cancelled download', () => {
    expect(run([{ type: 'available', version: '1.0.1' }, { type: 'cancelled' }])).toEqual(IDLE);
  });

  it('shows only a downloaded update when turned off', () => {
    expect(statusText(run([{ type: 'checking' }]), false)).toBeNull();
    expect(statusText(run([{ type: 'error', error: new Error('x') }]), false)).toBeNull();
    expect(
      statusText(
        run([
          { type: 'available', version: '1.0.1' },
          { type: 'downloaded', version: '1.0.1' },
        ]),
        false,
      ),
    ).toBe('Update ready: restart to install');
  });

  it('shows only the characters of a version, not whatever the server sent', () => {
    const phase = run([{ type: 'available', version: '1.2.3<img src=x onerror=alert(1)>\n' + 'x'.repeat(100) }]);
    expect(phase).toMatchObject({ phase: 'downloading' });
    const version = (phase as { version: string }).version;
    expect(version).toMatch(/^[0-9A-Za-z.+-]{1,40}$/);
    expect(statusText(run([{ type: 'available', version: 42 as never }]), true)).toBe('Palaver update is downloading');
  });
});

describe('failureReason', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('names network problems in words', () => {
    expect(failureReason(new Error('net::ERR_INTERNET_DISCONNECTED'))).toBe('there is no internet connection');
    expect(failureReason(new Error('net::ERR_NAME_NOT_RESOLVED'))).toBe('the update server could not be found');
    expect(failureReason(new Error('net::ERR_CONNECTION_REFUSED'))).toBe('the update server did not answer');
    expect(failureReason(new Error('net::ERR_TIMED_OUT'))).toBe('the update server did not answer');
    expect(failureReason(new Error('net::ERR_CERT_AUTHORITY_INVALID'))).toBe(
      "the update server's certificate was not accepted",
    );
    expect(failureReason(new Error('net::ERR_PROXY_CONNECTION_FAILED'))).toBe(
      'the proxy did not let the request through',
    );
    expect(failureReason(coded('ENOTFOUND', 'getaddrinfo ENOTFOUND updates.example.com'))).toBe(
      'the update server could not be found',
    );
  });

  it('names HTTP answers', () => {
    expect(failureReason(coded('HTTP_ERROR_404', 'HTTP error: Not Found'))).toBe(
      'the update server has no release information',
    );
    expect(failureReason(coded('HTTP_ERROR_403'))).toBe('the update server refused the request (HTTP 403)');
    expect(failureReason(coded('HTTP_ERROR_503'))).toBe('the update server had a problem (HTTP 503)');
    expect(failureReason(coded('HTTP_ERROR_418'))).toBe('the update server answered HTTP 418');
  });

  it("names electron-updater's and the file system's codes", () => {
    expect(failureReason(coded('ERR_UPDATER_LATEST_VERSION_NOT_FOUND'))).toBe(
      'the update server has no release information',
    );
    expect(failureReason(coded('ERR_UPDATER_INVALID_SIGNATURE'))).toBe(
      'the download is not signed by the publisher of Palaver',
    );
    expect(failureReason(coded('ENOSPC', 'ENOSPC: no space left on device, write'))).toBe('the disk is full');
  });

  it('otherwise keeps the first line of the message, short, without its period', () => {
    expect(failureReason(new Error('Something odd happened.\n    at stack (x.js:1:1)'))).toBe('Something odd happened');
    expect(failureReason(new Error('y'.repeat(500)))).toHaveLength(120);
    expect(failureReason('plain string')).toBe('plain string');
  });

  it('copes with anything thrown', () => {
    for (const thrown of [
      undefined,
      null,
      42,
      {},
      new Error(''),
      { code: '__proto__' },
      { code: 'constructor' },
      { code: 'toString' },
    ]) {
      expect(failureReason(thrown), String(thrown)).toBe('an unknown error');
    }
  });
});
