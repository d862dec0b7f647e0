// Electron glue of message file downloads (the decisions are in download-policy.ts): the save dialog on
// the window, and Chromium's own download of the URL into the chosen path, which writes to a temporary
// file until the last byte is in and marks the file as downloaded from the internet where the system
// does that (Windows' Mark of the Web). Nothing here opens or runs the file.
import { app, dialog, type BrowserWindow, type DownloadItem, type SaveDialogOptions, type Session } from 'electron';
import { downloadFile, type DownloadDeps } from './download-policy.ts';

/** How long a started download may take to be announced by Chromium (will-download) before it fails. */
const START_TIMEOUT_MS = 60_000;

interface Waiter {
  url: string;
  take(item: DownloadItem): void;
}

/**
 * Takes over the session's downloads: the ones download:file started go to the path the user chose,
 * every other one (a link with `download`, a file the renderer navigated to) is cancelled, so no file
 * reaches the disk without the user's save dialog and the server check.
 */
export function createDownloader(options: {
  session: Session;
  window: () => BrowserWindow | null;
  serverUrl: () => string;
}): (url: string, name: string) => Promise<boolean> {
  const waiting: Waiter[] = [];
  options.session.on('will-download', (event, item) => {
    // The URL asked for, before any redirect.
    const url = comparable(item.getURLChain()[0] ?? item.getURL());
    const index = waiting.findIndex((waiter) => waiter.url === url);
    if (index === -1) {
      event.preventDefault();
      console.warn(`Palaver: cancelled a download the app did not start (${url.replace(/[?#].*$/s, '')}).`);
      return;
    }
    waiting.splice(index, 1)[0]!.take(item);
  });

  const transfer = (url: string, path: string) =>
    new Promise<void>((resolve, reject) => {
      const window = options.window();
      if (window === null || window.isDestroyed()) {
        reject(new Error('download:file: the window closed before the download started'));
        return;
      }
      const waiter: Waiter = {
        url: comparable(url),
        take: (item) => {
          clearTimeout(timer);
          item.setSavePath(path);
          item.once('done', (_event, state) => {
            if (state === 'completed') resolve();
            else
              reject(
                new Error(
                  `download:file: the download ${state === 'cancelled' ? 'was cancelled' : 'was interrupted'}; ask for the file again`,
                ),
              );
          });
        },
      };
      const timer = setTimeout(() => {
        const index = waiting.indexOf(waiter);
        if (index !== -1) waiting.splice(index, 1);
        reject(new Error('download:file: the server did not start sending the file; try again'));
      }, START_TIMEOUT_MS);
      waiting.push(waiter);
      window.webContents.downloadURL(url);
    });

  const deps: DownloadDeps = {
    serverUrl: options.serverUrl,
    downloadsDir: () => app.getPath('downloads'),
    chooseSavePath: async (defaultPath) => {
      const window = options.window();
      const dialogOptions: SaveDialogOptions = {
        defaultPath,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const result =
        window !== null && !window.isDestroyed()
          ? await dialog.showSaveDialog(window, dialogOptions)
          : await dialog.showSaveDialog(dialogOptions);
      return result.canceled || result.filePath === undefined ? null : result.filePath;
    },
    transfer,
  };
  return (url, name) => downloadFile(deps, url, name);
}

/** URLs as Chromium reports them back (host lower-cased, characters escaped), to match a download to its request. */
function comparable(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
