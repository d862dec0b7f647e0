import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestServer } from './server.ts';

/**
 * Runs SQL on a test server's database with the sqlite3 CLI, as another program writing it would (the
 * triggers fire, whether the server runs or not). Answers what the CLI printed, untrimmed.
 */
export function sqliteCli(server: TestServer, statements: string): string {
  const run = spawnSync('sqlite3', [join(server.dataDir, 'data.db')], { input: statements, encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(`sqlite3 failed (is the sqlite3 CLI installed?): ${run.error?.message ?? run.stderr}`);
  }
  return run.stdout;
}
