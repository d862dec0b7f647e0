// Builds backend/bin/pocketbase from backend/ with Go, once per change of its inputs: the build is
// skipped when the Go sources, go.mod, go.sum and the Go version are the same as for the binary there.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const backendDir = join(repoRoot, 'backend');
export const serverBinary = join(backendDir, 'bin', process.platform === 'win32' ? 'pocketbase.exe' : 'pocketbase');
const stampFile = join(backendDir, 'bin', '.build-inputs');

/** The PocketBase version pinned in backend/go.mod, e.g. "v0.39.11". */
export function pinnedPocketBaseVersion(): string {
  const goMod = readFileSync(join(backendDir, 'go.mod'), 'utf8');
  const match = /github\.com\/pocketbase\/pocketbase (v[0-9.]+)/.exec(goMod);
  if (!match)
    throw new Error('backend/go.mod does not require github.com/pocketbase/pocketbase: add it with `go get`.');
  return match[1]!;
}

function goVersion(): string {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      'Cannot build the PocketBase server: the `go` command was not found. Install Go 1.25 or newer ' +
        '(backend/go.mod says which), then run `npm run backend:build` again.',
    );
  }
  return result.stdout.trim();
}

function goSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // A folder with its own go.mod is another module (test tools under deploy/testing): not part of the server.
      if (['bin', 'pb_data', 'node_modules'].includes(entry.name) || existsSync(join(path, 'go.mod'))) return [];
      return goSources(path);
    }
    return entry.name.endsWith('.go') || entry.name === 'go.mod' || entry.name === 'go.sum' ? [path] : [];
  });
}

function inputsHash(): string {
  const hash = createHash('sha256').update(goVersion());
  for (const file of goSources(backendDir).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

function versionStamp(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // not a git checkout (e.g. a source archive): the version says so by having no commit
  }
  return `${pinnedPocketBaseVersion().slice(1)} (palaver ${pkg.version}${commit ? `+${commit}` : ''})`;
}

/** Builds the server if its inputs changed since the last build; returns the binary's path. */
export function ensureBackendBuilt(log: (line: string) => void = console.log): string {
  const wanted = inputsHash();
  if (existsSync(serverBinary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
    return serverBinary;
  }
  mkdirSync(dirname(serverBinary), { recursive: true });
  log(`Building the PocketBase server ${pinnedPocketBaseVersion()} into ${serverBinary} ...`);
  const result = spawnSync(
    'go',
    [
      'build',
      '-trimpath',
      '-ldflags',
      `-s -w -X 'github.com/pocketbase/pocketbase.Version=${versionStamp()}'`,
      '-o',
      serverBinary,
      '.',
    ],
    { cwd: backendDir, stdio: 'inherit', env: { ...process.env, CGO_ENABLED: '0' } },
  );
  if (result.status !== 0) {
    throw new Error(
      '`go build` of backend/ failed (see its output above); fix the Go error and run `npm run backend:build` again.',
    );
  }
  writeFileSync(stampFile, wanted);
  return serverBinary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureBackendBuilt());
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
