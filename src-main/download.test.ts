// download.ts against a stand-in for Electron (no Electron binary here): the save dialog opens on the
// window, the download the app started goes to the chosen path, and every other download is cancelled.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const dialogAnswers: Array<{ canceled: boolean; filePath?: string }> = [];
  const dialogCalls: unknown[][] = [];
  return {
    dialogAnswers,
    dialogCalls,
    module: {
      app: { getPath: (name: string) => (name === 'downloads' ? '/home/alice/Downloads' : '/nowhere') },
      dialog: {
        showSaveDialog: async (...args: unknown[]) => {
          dialogCalls.push(args);
          return dialogAnswers.shift() ?? { canceled: true };
        },
      },
    },
  };
});
vi.mock('electron', () => electron.module);
const { createDownloader } = await import('./download.ts');

const SERVER = 'https://chat.example.com';
const FILE = `${SERVER}/api/files/pbc_messages/messagemessag01/report_abc.pdf?token=t`;

/** A DownloadItem as Chromium hands it over: its URL chain, where it was told to save, how it ends. */
class FakeItem extends EventEmitter {
  savePath: string | null = null;
  constructor(private readonly url: string) {
    super();
  }
  getURL() {
    return this.url;
  }
  getURLChain() {
    return [this.url];
  }
  setSavePath(path: string) {
    this.savePath = path;
  }
  finish(state: 'completed' | 'cancelled' | 'interrupted') {
    this.emit('done', {}, state);
  }
}

function setup(options: { announce?: boolean } = {}) {
  const session = new EventEmitter();
  const items: FakeItem[] = [];
  const prevented: string[] = [];
  /** What Chromium does for a download: announce it to the session, where a handler may cancel it. */
  const startDownload = (url: string) => {
    const item = new FakeItem(url);
    items.push(item);
    session.emit('will-download', { preventDefault: () => prevented.push(url) }, item, {});
    return item;
  };
  const window = {
    isDestroyed: () => false,
    webContents: {
      downloadURL: vi.fn((url: string) => {
        if (options.announce !== false) queueMicrotask(() => startDownload(url));
      }),
    },
  };
  const download = createDownloader({
    session: session as never,
    window: () => window as never,
    serverUrl: () => SERVER,
  });
  return { download, window, items, prevented, startDownload };
}

afterEach(() => {
  electron.dialogAnswers.splice(0);
  electron.dialogCalls.splice(0);
  vi.useRealTimers();
});

describe('createDownloader', () => {
  it('asks on the window with the name in Downloads, saves into the chosen path, resolves true once done', async () => {
    const { download, window, items } = setup();
    electron.dialogAnswers.push({ canceled: false, filePath: '/home/alice/Desktop/mine.pdf' });
    const done = download(FILE, 'report.pdf');
    await vi.waitFor(() => expect(items).toHaveLength(1));
    expect(electron.dialogCalls).toHaveLength(1);
    expect(electron.dialogCalls[0]![0]).toBe(window);
    expect(electron.dialogCalls[0]![1]).toMatchObject({ defaultPath: join('/home/alice/Downloads', 'report.pdf') });
    expect(window.webContents.downloadURL).toHaveBeenCalledExactlyOnceWith(FILE);
    expect(items[0]!.savePath).toBe('/home/alice/Desktop/mine.pdf');
    items[0]!.finish('completed');
    await expect(done).resolves.toBe(true);
  });

  it('resolves false and starts no download when the dialog is cancelled', async () => {
    const { download, window } = setup();
    electron.dialogAnswers.push({ canceled: true });
    await expect(download(FILE, 'report.pdf')).resolves.toBe(false);
    expect(window.webContents.downloadURL).not.toHaveBeenCalled();
  });

  it('says so when the download is interrupted (an expired token, a dropped line)', async () => {
    const { download, items } = setup();
    electron.dialogAnswers.push({ canceled: false, filePath: '/tmp/x.pdf' });
    const done = download(FILE, 'x.pdf');
    await vi.waitFor(() => expect(items).toHaveLength(1));
    items[0]!.finish('interrupted');
    await expect(done).rejects.toThrow(/download:file: the download was interrupted; ask for the file again/);
  });

  it('cancels a download the app did not start (a link with `download`), so nothing is saved without the dialog', () => {
    const { startDownload, prevented } = setup();
    const item = startDownload(`${SERVER}/api/files/c/r/evil.exe?token=t`);
    expect(prevented).toEqual([`${SERVER}/api/files/c/r/evil.exe?token=t`]);
    expect(item.savePath).toBeNull();
  });

  it('fails, naming why, when Chromium never starts the download', async () => {
    vi.useFakeTimers();
    const { download } = setup({ announce: false });
    electron.dialogAnswers.push({ canceled: false, filePath: '/tmp/x.pdf' });
    const done = download(FILE, 'x.pdf');
    const outcome = expect(done).rejects.toThrow(/did not start sending the file; try again/);
    await vi.advanceTimersByTimeAsync(60_000);
    await outcome;
  });

  it('refuses a URL off the server before any dialog', async () => {
    const { download, window } = setup();
    await expect(download('https://evil.example/api/files/c/r/a.pdf', 'a.pdf')).rejects.toThrow(/configured server/);
    expect(electron.dialogCalls).toHaveLength(0);
    expect(window.webContents.downloadURL).not.toHaveBeenCalled();
  });
});
