// `npm run bench`: every benchmark in turn, each starting its own server; `npm run bench -- history`
// runs only the named ones. Results: the tables printed, and bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../scripts/backend-build.ts';

const all = ['sending', 'history', 'renderer', 'fanout'];
const chosen = process.argv.slice(2).filter((name) => all.includes(name));
const failed: string[] = [];
for (const name of chosen.length ? chosen : all) {
  console.log(`\n=== bench/${name}.ts`);
  const run = spawnSync('npx', ['tsx', join('bench', `${name}.ts`)], { cwd: repoRoot, stdio: 'inherit' });
  if (run.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nThese benchmarks failed: ${failed.join(', ')} (see their output above).`);
  process.exit(1);
}
