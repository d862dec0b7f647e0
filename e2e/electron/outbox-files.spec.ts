// Outbox files kept by main (src-main/outbox-files.ts) across a restart, through the real bridge and IPC:
// a file an entry names survives, one put but never named (a crash before the save) is swept at start,
// and a save that stops naming a file deletes it from the profile. Uses a scope nobody signs in to, so
// the app's own outbox never picks the entry up and sends it.
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { electronSkipReason } from '../../scripts/electron-binary.ts';
import { startTestServer, type TestServer } from '../../backend/testing/server.ts';
import type { OutboxEntry, PalaverBridge } from '../../src-shared/ipc.ts';
import { binary, launch, newProfile } from './desktop.ts';

test.skip(!binary, electronSkipReason);

let server: TestServer;
test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

const SCOPE = 'nobody000000001@http://127.0.0.1:1';
const NAMED = 'namednamednam01';
const ORPHAN = 'orphanorphanor1';

// Functions given to window.evaluate run in the page, where only their own text exists: each names the
// bridge itself.
async function put(window: Page, key: string, bytes: number[]) {
  await window.evaluate(
    ([scope, k, b]) =>
      (globalThis as unknown as { palaver: PalaverBridge }).palaver.outbox.putFile(scope, k, new Uint8Array(b)),
    [SCOPE, key, bytes] as const,
  );
}

async function get(window: Page, key: string): Promise<number[] | null> {
  return window.evaluate(
    async ([scope, k]) => {
      const bytes = await (globalThis as unknown as { palaver: PalaverBridge }).palaver.outbox.getFile(scope, k);
      return bytes === null ? null : Array.from(bytes);
    },
    [SCOPE, key] as const,
  );
}

test('a named outbox file survives a restart, an unnamed one is swept, a save that drops it deletes it', async () => {
  const profile = newProfile();
  const entry: OutboxEntry = {
    id: 'messagemessag01',
    room: 'roomroomroom001',
    text: '',
    created: '2026-12-01 10:00:00.000Z',
    state: 'pending',
    files: [{ key: NAMED, name: 'photo.png', type: 'image/png', size: 3 }],
  };

  let app: ElectronApplication = await launch(server, profile);
  try {
    let window = await app.firstWindow();
    await put(window, NAMED, [1, 2, 3]);
    await window.evaluate(
      ([scope, e]) => (globalThis as unknown as { palaver: PalaverBridge }).palaver.outbox.save(scope, [e]),
      [SCOPE, entry] as const,
    );
    // Put, and the app stops before the save naming it.
    await put(window, ORPHAN, [9]);
    expect(await get(window, ORPHAN)).toEqual([9]);
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    await app.close();

    app = await launch(server, profile);
    window = await app.firstWindow();
    expect(await get(window, NAMED)).toEqual([1, 2, 3]);
    expect(await get(window, ORPHAN), 'the file no entry named is swept at start').toBeNull();

    const root = join(userData, 'outbox-files');
    const [scopeDir] = readdirSync(root);
    if (process.platform !== 'win32') expect(statSync(join(root, scopeDir!)).mode & 0o777).toBe(0o700);
    // The message was sent: its file goes with it.
    await window.evaluate(
      (scope) => (globalThis as unknown as { palaver: PalaverBridge }).palaver.outbox.save(scope, []),
      SCOPE,
    );
    expect(await get(window, NAMED)).toBeNull();
    expect(existsSync(join(root, scopeDir!, NAMED))).toBe(false);
  } finally {
    await app.close();
  }
});
