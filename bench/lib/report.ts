// Shared by every benchmark: print a table, write JSON to bench/results/<name>.json with the machine
// it ran on, and compute percentiles and ratios the same way everywhere.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../scripts/backend-build.ts';

export type Row = Record<string, string | number | null>;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: readonly number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    mean,
  };
}

export const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** "naive / ours" as a readable ratio, e.g. 12.5 means ours is 12.5 times better. */
export function ratio(naive: number, ours: number): number {
  return ours === 0 ? Infinity : round(naive / ours, 2);
}

export function machine(): Record<string, string | number> {
  let go = '';
  try {
    go = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    // not needed for the report
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    go,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * Where results go: bench/results, or PALAVER_BENCH_RESULTS (the smoke run writes its tiny numbers
 * elsewhere so they never overwrite the real ones).
 */
export const resultsDir = process.env.PALAVER_BENCH_RESULTS
  ? resolve(repoRoot, process.env.PALAVER_BENCH_RESULTS)
  : join(repoRoot, 'bench', 'results');

/** Prints the rows as a table and writes <resultsDir>/<name>.json; returns the JSON path. */
export function report(name: string, title: string, rows: Row[], extra: Record<string, unknown> = {}): string {
  console.log(`\n${title}`);
  console.table(rows);
  const dir = resultsDir;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    `${JSON.stringify({ name, title, ranAt: new Date().toISOString(), machine: machine(), rows, ...extra }, null, 2)}\n`,
  );
  console.log(`wrote ${path}`);
  return path;
}
