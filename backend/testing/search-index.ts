// The search index's queue (migration 1795700140, backend/search_merge.go), seen from the server tests:
// how much it holds, waiting for the server's merger to empty it, and `pocketbase search merge`.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { serverBinary } from '../../scripts/backend-build.ts';
import type { TestServer } from './server.ts';
import { sqliteCli } from './sqlite-cli.ts';

/** The queued changes: values not in FTS5 yet (pending), values FTS5 holds and must forget (gone). */
export function searchQueue(server: TestServer): { pending: number; gone: number } {
  const [pending, gone] = sqliteCli(
    server,
    'SELECT (SELECT count(*) FROM message_search_pending), (SELECT count(*) FROM message_search_gone);',
  )
    .trim()
    .split('|')
    .map(Number);
  return { pending: pending!, gone: gone! };
}

/**
 * Waits until the running server's merger has moved every queued change into FTS5. A plain loop, not
 * expect.poll, so that a beforeAll can wait too.
 */
export async function searchMerged(server: TestServer, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const { pending, gone } = searchQueue(server);
    if (pending + gone === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the search merger left ${pending} pending and ${gone} gone changes queued for ${timeout / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `pocketbase search merge` on a stopped server's data; answers what it printed. */
export function runSearchMerge(server: TestServer): string {
  const run = spawnSync(serverBinary, ['search', 'merge', '--dir', server.dataDir], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}
