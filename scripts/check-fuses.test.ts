import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { configuredFuses, fuseDifferences } from './check-fuses.ts';

const dir = mkdtempSync(join(tmpdir(), 'palaver-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for an Electron binary: just the fuse wire, as Electron 45 ships it (all 8 fuses). */
function binary(name: string, wire = '1101100100'.slice(0, 8)): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from('ELF...'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX', 'latin1'),
      Buffer.from([1, wire.length]),
      Buffer.from(wire, 'latin1'),
      Buffer.from('...'),
    ]),
  );
  return path;
}

describe('check-fuses', () => {
  const release = configuredFuses('electron-builder.yml');
  const e2e = configuredFuses('electron-builder.e2e.yml');

  it('reads the release configuration, and the e2e one through extends with only inspect loosened', () => {
    expect(release['runAsNode']).toBe(false);
    expect(release['enableNodeCliInspectArguments']).toBe(false);
    expect(e2e).toEqual({ ...release, enableNodeCliInspectArguments: true });
  });

  it('passes a binary flipped as configured, and names every fuse of an unflipped one', async () => {
    const flipped = binary('flipped');
    await flipFuses(flipped, {
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    expect(await fuseDifferences(flipped, release)).toEqual([]);
    // The release check refuses the e2e build: inspect is on there.
    expect(await fuseDifferences(flipped, e2e)).toEqual([
      'enableNodeCliInspectArguments: expected enabled, the binary has disabled',
    ]);

    const stock = binary('stock', '11110001');
    const problems = await fuseDifferences(stock, release);
    expect(problems).toContain('runAsNode: expected disabled, the binary has enabled');
    expect(problems).toContain('onlyLoadAppFromAsar: expected enabled, the binary has disabled');
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });
});
