// Measuring the images of a room in Chromium: file bytes over the wire (CDP's encodedDataLength, what
// crossed the network for each file response, headers included), the time from clicking a room to its
// images on screen being painted, and scrolling past every image of a room so that each is loaded.
// A room's images are <img> elements in the message list ([role="log"]) whose URL is a PocketBase file.
import type { Page } from '@playwright/test';
import type { Deadlines } from './deadline.ts';

/** A file download: /api/files/<collection>/<record>/<name>, not the token route. */
const FILE_URL = /\/api\/files\/[^/?]+\/[^/?]+\/[^/?]+/;

export interface FileTotals {
  requests: number;
  bytes: number;
  failed: number;
  inFlight: number;
  /** Date.now() of the last file request starting or ending. */
  lastActivity: number;
}

export interface FileTraffic {
  totals(): FileTotals;
}

/** Counts every file download of the page from now on, and turns the HTTP cache off. */
export async function watchFileTraffic(page: Page): Promise<FileTraffic> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const inFlight = new Set<string>();
  const totals = { requests: 0, bytes: 0, failed: 0, lastActivity: Date.now() };
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.request.method !== 'GET' || !FILE_URL.test(event.request.url)) return;
    inFlight.add(event.requestId);
    totals.lastActivity = Date.now();
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (!inFlight.delete(event.requestId)) return;
    totals.requests++;
    totals.bytes += event.encodedDataLength;
    totals.lastActivity = Date.now();
  });
  cdp.on('Network.loadingFailed', (event) => {
    if (!inFlight.delete(event.requestId)) return;
    totals.failed++;
    totals.lastActivity = Date.now();
  });
  return { totals: () => ({ ...totals, inFlight: inFlight.size }) };
}

/** Waits until no file download is in flight and none started or ended for `quietMs`. */
export function settleFiles(
  traffic: FileTraffic,
  deadline: Deadlines,
  what: string,
  ms: number,
  quietMs = 1_500,
): Promise<FileTotals> {
  return deadline.poll(
    `the file downloads of ${what} to end`,
    ms,
    () => traffic.totals(),
    (t) => t.inFlight === 0 && Date.now() - t.lastActivity >= quietMs,
    { intervalMs: 200, show: (t) => `${t.requests} done, ${t.inFlight} in flight, ${t.failed} failed` },
  );
}

/**
 * Defines window.__screenImages in the page: the room's file images on screen, how many are loaded and
 * how many broken. Given as source and evaluated through the debugging protocol, which the app's
 * Content-Security-Policy (no eval) does not govern.
 */
const SCREEN_IMAGES = `window.__screenImages = () => {
  const log = document.querySelector('[role="log"]');
  if (!log) return { images: [], visible: 0, loaded: 0, broken: 0, inList: 0 };
  const view = log.getBoundingClientRect();
  const top = Math.max(0, view.top);
  const bottom = Math.min(window.innerHeight, view.bottom);
  const images = [...log.querySelectorAll('img')].filter((img) => img.src.includes('/api/files/'));
  const visible = images.filter((img) => {
    const r = img.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > top && r.top < bottom;
  });
  return {
    images: visible,
    visible: visible.length,
    loaded: visible.filter((img) => img.complete && img.naturalWidth > 0).length,
    broken: visible.filter((img) => img.complete && img.naturalWidth === 0).length,
    inList: images.length,
  };
}`;

interface ScreenImages {
  images: HTMLImageElement[];
  visible: number;
  loaded: number;
  broken: number;
  inList: number;
}

/**
 * Clicks the room's button and measures, in the page's clock, from the click to the frame after every
 * image on screen has loaded and been decoded: the frame that paints them.
 */
export async function openRoomMeasured(
  page: Page,
  roomName: string,
  giveUpMs: number,
): Promise<{ ms: number; visible: number }> {
  await page.evaluate(SCREEN_IMAGES);
  const measuring = page.evaluate(
    ([giveUpMs]) =>
      new Promise<{ ms: number; visible: number }>((resolve, reject) => {
        let clickedAt = 0;
        document.addEventListener('click', () => (clickedAt ||= performance.now()), { capture: true });
        const giveUpAt = performance.now() + giveUpMs;
        const frame = () => {
          const s = (window as unknown as { __screenImages: () => ScreenImages }).__screenImages();
          if (clickedAt > 0 && s.visible > 0 && s.loaded === s.visible) {
            // Loaded is not yet painted: a large image is decoded after its bytes arrive.
            void Promise.all(s.images.map((img) => img.decode().catch(() => undefined))).then(() =>
              requestAnimationFrame(() => resolve({ ms: performance.now() - clickedAt, visible: s.visible })),
            );
            return;
          }
          if (performance.now() > giveUpAt) {
            reject(
              new Error(
                `${clickedAt ? 'clicked' : 'not clicked'}; ${s.visible} images on screen, ${s.loaded} loaded, ${s.broken} broken, ${s.inList} in the message list`,
              ),
            );
            return;
          }
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    [giveUpMs] as const,
  );
  await page.getByRole('button', { name: new RegExp(roomName) }).click();
  return measuring;
}

const screenImages = (page: Page) =>
  page.evaluate('(({ images, ...counts }) => counts)(window.__screenImages())') as Promise<
    Omit<ScreenImages, 'images'>
  >;

/**
 * Scrolls back to the room's beginning (older pages load as it goes), then down to the newest a screen
 * at a time, waiting at each screen for its images to load: every image of the room is shown once.
 * Returns how many file images the message list held.
 */
export async function scrollThroughRoom(
  page: Page,
  deadline: Deadlines,
  beginningText: string,
  ms: number,
): Promise<{ images: number }> {
  await page.evaluate(SCREEN_IMAGES);
  const log = page.locator('[role="log"]');
  const beginning = page.getByText(beginningText);
  const until = Date.now() + ms;
  await deadline.poll(
    'the beginning of the photo room, scrolling back',
    ms,
    async () => {
      if ((await beginning.count()) > 0) return true;
      await log.evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(150);
      return false;
    },
    (done) => done,
    { intervalMs: 0 },
  );
  await log.evaluate((el) => (el.scrollTop = 0));
  for (let screen = 1; ; screen++) {
    await deadline.poll(
      `the images of screen ${screen} of the photo room to load, scrolling down`,
      Math.max(1_000, until - Date.now()),
      () => screenImages(page),
      (s) => s.loaded + s.broken === s.visible,
      { intervalMs: 50, show: (s) => `${s.loaded} of ${s.visible} loaded, ${s.broken} broken` },
    );
    const atEnd = await log.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      if (!end) el.scrollTop += Math.round(el.clientHeight * 0.8);
      return end;
    });
    if (atEnd) break;
    // Lazy images start loading once near the screen: give layout and the observer a frame.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  return { images: (await screenImages(page)).inList };
}
