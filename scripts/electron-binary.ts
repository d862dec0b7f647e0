// Where the Electron binary is, if it is installed. Electron 42+ downloads it on first run rather
// than at `npm install`, so on a machine without internet access there is none.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(): string | null {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export const electronSkipReason =
  'the Electron binary is not installed here (Electron downloads it on first run, and this machine cannot reach the download host); ' +
  'they run on any machine with internet access, after `npx electron --version` has fetched it';
