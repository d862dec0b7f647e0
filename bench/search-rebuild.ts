// The server program's command that rebuilds the search index from messages (`pocketbase search rebuild`
// or the like, search-server's to name), found in its --help so that the benchmark follows the name,
// and timed on a stopped server's data dir.
import { spawnSync } from 'node:child_process';

function help(serverBinary: string, args: string[]): string {
  const result = spawnSync(serverBinary, [...args, '--help'], { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/** The arguments that run the rebuild (before --dir), or null when this build has no such command. */
export function rebuildCommand(serverBinary: string): string[] | null {
  const commands = (text: string) =>
    [...text.matchAll(/^\s{2}([a-z][\w-]*)\s{2,}/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  const top = commands(help(serverBinary, []).split('Available Commands:')[1]?.split('Flags:')[0] ?? '');
  const search = top.find((c) => /search/.test(c));
  if (!search) return null;
  if (/rebuild/.test(search)) return [search];
  const sub = commands(help(serverBinary, [search]).split('Available Commands:')[1]?.split('Flags:')[0] ?? '');
  const rebuild = sub.find((c) => /rebuild/.test(c));
  return rebuild ? [search, rebuild] : null;
}

/** Runs the rebuild on a stopped server's data dir; returns its seconds and the last line it printed. */
export function runRebuild(
  serverBinary: string,
  command: string[],
  dataDir: string,
): { seconds: number; said: string } {
  const started = performance.now();
  const result = spawnSync(serverBinary, [...command, `--dir=${dataDir}`], { encoding: 'utf8', timeout: 30 * 60_000 });
  const seconds = (performance.now() - started) / 1000;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0) throw new Error(`search: \`pocketbase ${command.join(' ')}\` failed: ${output}`);
  return { seconds, said: output.split('\n').at(-1) ?? '' };
}
