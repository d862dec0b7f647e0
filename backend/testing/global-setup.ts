// Vitest global setup: build the server once per test run (skipped when its Go inputs are unchanged).
import { ensureBackendBuilt } from '../../scripts/backend-build.ts';

export default function setup(): void {
  ensureBackendBuilt((line) => console.log(`[global-setup] ${line}`));
}
