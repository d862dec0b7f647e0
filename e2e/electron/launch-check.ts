// The smallest proof that the desktop app runs on a system: build it first (`npm run build`), then
// `npx tsx e2e/electron/launch-check.ts` starts it with a fresh profile, waits for its window to show
// the sign-in screen (so the app:// page, its Content-Security-Policy and the preload bridge all
// worked), and quits it. The CI workflow runs it on macOS and Windows, where the full end-to-end
// suite (which needs Xvfb and Debian's Chromium) does not run.
import { _electron as electron } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/backend-build.ts';
import { electronBinary, electronSkipReason } from '../../scripts/electron-binary.ts';

const LAUNCH_TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const binary = electronBinary();
  if (binary === null) throw new Error(`cannot check the launch: ${electronSkipReason}`);
  const profile = mkdtempSync(join(tmpdir(), 'palaver-launch-'));
  const started = Date.now();
  const app = await electron.launch({
    executablePath: binary,
    args: [repoRoot, `--user-data-dir=${profile}`],
    timeout: LAUNCH_TIMEOUT_MS,
  });
  try {
    const window = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS });
    await window.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'visible', timeout: LAUNCH_TIMEOUT_MS });
    const shown = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), title: w.getTitle() })),
    );
    if (shown.length !== 1 || !shown[0]!.visible)
      throw new Error(`expected one visible window, found ${JSON.stringify(shown)}`);
    console.log(
      `Palaver started on ${process.platform} in ${Date.now() - started} ms and showed "${shown[0]!.title}" with its sign-in screen.`,
    );
  } finally {
    // close() quits the app and resolves once its process has exited.
    await app.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
  console.log('Palaver quit cleanly.');
}

main().catch((error: unknown) => {
  console.error(`Launch check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
