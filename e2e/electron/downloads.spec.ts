// A message's file saved through main (download:file, src-main/download.ts): the save dialog, stubbed in
// the main process, is offered the file's cleaned-up name in Downloads, and the file lands where the
// person chose with the bytes that were sent, never opened. Assumes the room view's download button calls
// window.palaver.downloadFile(url with file token, name), which this test calls the same way from the
// page, so the real preload, IPC guard and main-process download run.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { electronSkipReason } from '../../scripts/electron-binary.ts';
import { startTestServer, type TestServer } from '../../backend/testing/server.ts';
import type { PalaverBridge } from '../../src-shared/ipc.ts';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { binary, launch, makePerson, newProfile, signIn } from './desktop.ts';

test.skip(!binary, electronSkipReason);

let server: TestServer;
test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('a file of a message is saved through the save dialog into the chosen path, with its bytes, and never opened', async () => {
  const alice = await makePerson(server, 'alice');
  const bob = await makePerson(server, 'bob');
  const general = await bob.api.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
  const bytes = randomBytes(300 * 1024);
  const message = await bob.api.collection('messages').create<MessagesRecord>({
    room: general.id,
    user: bob.id,
    text: '',
    attachments: [new File([bytes], 'report v1.pdf', { type: 'application/pdf' })],
  });
  const url = alice.api.files.getURL(message, message.attachments[0]!, { token: await alice.api.files.getToken() });

  const app = await launch(server, newProfile());
  try {
    const window = await app.firstWindow();
    await signIn(window, server, alice);
    const chosen = join(newProfile(), 'saved here.pdf');
    // The dialog answers as a person choosing `chosen` would; what it was offered, and anything opened, is kept.
    await app.evaluate(({ dialog, shell }, path) => {
      const seen: { asked: string[]; opened: string[] } = { asked: [], opened: [] };
      (globalThis as { __downloadTest?: typeof seen }).__downloadTest = seen;
      dialog.showSaveDialog = (async (...args: unknown[]) => {
        const options = args.at(-1) as { defaultPath?: string };
        seen.asked.push(options.defaultPath ?? '');
        return seen.asked.length === 1 ? { canceled: false, filePath: path } : { canceled: true, filePath: '' };
      }) as unknown as typeof dialog.showSaveDialog;
      shell.openPath = async (opened: string) => {
        seen.opened.push(opened);
        return '';
      };
    }, chosen);
    const seen = () =>
      app.evaluate(() => (globalThis as { __downloadTest?: { asked: string[]; opened: string[] } }).__downloadTest!);
    const downloadFile = (fileUrl: string, name: string) =>
      window.evaluate(
        ([u, n]) => (globalThis as unknown as { palaver: PalaverBridge }).palaver.downloadFile(u!, n!),
        [fileUrl, name],
      );

    expect(await downloadFile(url, '../report v1.pdf')).toBe(true);
    expect(readFileSync(chosen).equals(bytes), 'the saved file holds the bytes that were sent').toBe(true);
    const downloads = await app.evaluate(({ app: electronApp }) => electronApp.getPath('downloads'));
    const first = await seen();
    expect(first.asked).toHaveLength(1);
    expect(dirname(first.asked[0]!)).toBe(downloads);
    expect(first.asked[0]).toBe(join(downloads, '_report v1.pdf'));
    expect(first.opened).toEqual([]);

    // Cancelled: false, and nothing is written.
    const suggested = join(downloads, 'report v1.pdf');
    const existedBefore = existsSync(suggested);
    expect(await downloadFile(url, 'report v1.pdf')).toBe(false);
    expect(existsSync(suggested)).toBe(existedBefore);

    // Anything but the server's files is refused before any dialog.
    await expect(downloadFile('https://example.com/api/files/c/r/a.pdf', 'a.pdf')).rejects.toThrow(
      /only files of the configured server/,
    );
    expect((await seen()).asked).toHaveLength(2);
  } finally {
    await app.close();
  }
});
