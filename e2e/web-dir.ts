// Where the end-to-end tests' web build goes and is served from: out/renderer, or PALAVER_E2E_WEB, so
// engineers running specs at the same time on one machine each test their own build, not each other's.
import { join, resolve } from 'node:path';
import { repoRoot } from '../scripts/backend-build.ts';

export const e2eWebDir = process.env.PALAVER_E2E_WEB
  ? resolve(process.env.PALAVER_E2E_WEB)
  : join(repoRoot, 'out', 'renderer');
