// Attachments, in two parts.
// A. Upload throughput: files of each size uploaded N times as a message attachment by a signed-in
//    member (multipart POST /api/collections/messages/records), against the same bytes POSTed to a plain
//    Node server on loopback that streams them to disk (bench/lib/plain-upload-server.ts, the floor).
//    One upload in flight at a time, the two interleaved so that a busy moment of the machine falls on
//    both; MB/s of each and floor / API.
// B. A room of photo messages opened in Chromium (the web build), as the app does it (thumbnails in the
//    file URLs) and the naive way (the same page with every file request's `thumb` stripped by
//    page.route: full images), in the same run: bytes of images transferred and the time from the click
//    to the images on screen being painted; then every image of the room scrolled past: bytes for all.
//    The first thumbnail run comes right after the 200 photos were sent, while the server is still making
//    their thumbnails in the background (backend/attachment_thumbs.go, newest first); later ones are warm.
// Every wait has a deadline (bench/lib/deadline.ts).
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRoom, signUp, type TestUser } from '../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../backend/testing/server.ts';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { chromiumPath } from '../playwright.config.ts';
import { deadlines, duration } from './lib/deadline.ts';
import { multipartBody, postBody, type MultipartBody } from './lib/multipart.ts';
import { makePhotos, photoSize } from './lib/photos.ts';
import { startPlainUploadServer, type PlainUploadServer } from './lib/plain-upload-server.ts';
import { ratio, report, round, summarize, type Row } from './lib/report.ts';
import { openRoomMeasured, scrollThroughRoom, settleFiles, watchFileTraffic } from './lib/room-images.ts';

/** Megabytes here are 2^20 bytes, as the attachment limit is. */
const MB = 2 ** 20;

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number above 0, not ${JSON.stringify(raw)}`);
  return value;
}

function sizesMB(name: string, fallback: string): number[] {
  const raw = process.env[name] || fallback;
  const sizes = raw.split(',').map(Number);
  if (sizes.some((s) => !(s > 0 && s <= 25)))
    throw new Error(`${name} must be sizes in MB above 0 and at most the 25 MB limit, e.g. 1,10,25, not ${raw}`);
  return sizes;
}

const UPLOAD_SIZES_MB = sizesMB('PALAVER_ATTACH_UPLOAD_MB', '1,10,25');
const UPLOADS = count('PALAVER_ATTACH_UPLOADS', 10);
const IMAGES = count('PALAVER_ATTACH_IMAGES', 200);
const DISTINCT_PHOTOS = Math.min(IMAGES, count('PALAVER_ATTACH_DISTINCT_PHOTOS', 8));
const PHOTO = photoSize('PALAVER_ATTACH_PHOTO_SIZE', process.env.PALAVER_ATTACH_PHOTO_SIZE || '3000x2000');
const RUNS = count('PALAVER_ATTACH_RUNS', 5);
/** Which parts to run: `uploads` (A), `images` (B), or both (the default). */
const PARTS = (process.env.PALAVER_ATTACH_PARTS || 'uploads,images').split(',');
if (PARTS.some((p) => p !== 'uploads' && p !== 'images'))
  throw new Error(`PALAVER_ATTACH_PARTS must name uploads, images or both, not ${process.env.PALAVER_ATTACH_PARTS}`);
const VIEWPORT = { width: 1200, height: 760 };
const deadline = deadlines('attachments');
// Deadlines: generous for a busy 2-core machine (at least 2 MB/s for uploads), so only a wait that will
// never end hits them.
const BUILD_MS = 300_000;
const UPLOADS_MS = 60_000 + UPLOAD_SIZES_MB.reduce((sum, s) => sum + s, 0) * 2 * (UPLOADS + 1) * 500;
const PHOTOS_MS = 60_000 + DISTINCT_PHOTOS * 15_000;
const SEED_MS = Math.max(60_000, IMAGES * 1_000);
const SIGN_IN_MS = 30_000;
const PAINT_MS = 60_000;
const SETTLE_MS = 120_000;
const SCROLL_MS = Math.max(60_000, IMAGES * 1_500);

const mbPerSecond = (bytes: number, ms: number) => round(bytes / MB / (ms / 1000), 1);

/** A message with one file, as the app sends it, in one multipart body. */
function messageBody(author: TestUser, room: string, text: string, name: string, type: string, data: Buffer) {
  return multipartBody({ room, user: author.id, text }, { field: 'attachments', name, type, data });
}

async function uploadMessage(
  server: TestServer,
  author: TestUser,
  body: MultipartBody,
  agent: Agent,
): Promise<{ ms: number; id: string }> {
  const posted = await postBody(`${server.url}/api/collections/messages/records`, body, {
    agent,
    headers: { authorization: author.pb.authStore.token },
  });
  const record = posted.status === 200 ? (JSON.parse(posted.body) as { id: string; attachments: string[] }) : null;
  if (!record || record.attachments.length !== 1)
    throw new Error(`attachments: an upload of ${body.length} bytes was answered ${posted.status}: ${posted.body}`);
  return { ms: posted.ms, id: record.id };
}

async function uploadToFloor(floor: PlainUploadServer, body: MultipartBody, agent: Agent): Promise<number> {
  const posted = await postBody(floor.url, body, { agent });
  const got = posted.status === 200 ? (JSON.parse(posted.body) as { bytes: number }).bytes : -1;
  if (got !== body.length)
    throw new Error(`attachments: the plain server stored ${got} of ${body.length} bytes (${posted.status})`);
  return posted.ms;
}

/** Part A: per size, N uploads through the API and N to the floor, interleaved, one in flight. */
async function uploadThroughput(server: TestServer, author: TestUser, room: string): Promise<Row[]> {
  const floor = await startPlainUploadServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const rows: Row[] = [];
  try {
    for (const sizeMB of UPLOAD_SIZES_MB) {
      const data = randomBytes(Math.round(sizeMB * MB));
      const body = messageBody(author, room, `upload of ${sizeMB} MB`, 'upload.bin', 'application/octet-stream', data);
      const api: number[] = [];
      const plain: number[] = [];
      // One of each first, not counted: connections opened, caches and the server's code paths warm.
      await uploadMessage(server, author, body, agent);
      await uploadToFloor(floor, body, agent);
      for (let i = 0; i < UPLOADS; i++) {
        api.push((await uploadMessage(server, author, body, agent)).ms);
        plain.push(await uploadToFloor(floor, body, agent));
      }
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      const apiMBs = mbPerSecond(body.length * UPLOADS, sum(api));
      const plainMBs = mbPerSecond(body.length * UPLOADS, sum(plain));
      const a = summarize(api);
      const p = summarize(plain);
      rows.push({
        file_MB: sizeMB,
        uploads: UPLOADS,
        api_MB_s: apiMBs,
        plain_MB_s: plainMBs,
        'plain/api': ratio(plainMBs, apiMBs),
        api_p50_ms: round(a.p50, 1),
        api_max_ms: round(a.max, 1),
        plain_p50_ms: round(p.p50, 1),
        plain_max_ms: round(p.max, 1),
      });
      console.log(`uploads of ${sizeMB} MB: API ${apiMBs} MB/s, plain ${plainMBs} MB/s`);
    }
  } finally {
    agent.destroy();
    await floor.stop();
  }
  return rows;
}

/** The web build: built into a directory of this run's own, or PALAVER_RENDER_WEB's. */
function webBuild(): { dir: string; cleanup: () => void } {
  if (process.env.PALAVER_RENDER_WEB) {
    const dir = resolve(process.env.PALAVER_RENDER_WEB);
    if (!existsSync(join(dir, 'index.html')))
      throw new Error(`attachments: PALAVER_RENDER_WEB=${dir} holds no index.html: build one with npm run build:web`);
    return { dir, cleanup: () => undefined };
  }
  // Not out/renderer: end-to-end runs of other people rebuild that while this runs.
  const dir = mkdtempSync(join(tmpdir(), 'palaver-bench-web-'));
  const build = spawnSync(
    'npx',
    ['vite', 'build', '-c', 'vite.renderer.config.ts', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: repoRoot, stdio: 'inherit', timeout: BUILD_MS, killSignal: 'SIGKILL' },
  );
  if (build.error || build.status !== 0)
    throw new Error(
      `attachments: the web build failed${build.error ? ` (${build.error.message}; deadline ${duration(BUILD_MS)})` : ` with exit code ${build.status}`}`,
    );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Seeds IMAGES messages with one photo each (DISTINCT_PHOTOS different ones, each stored as its own file). */
async function seedPhotos(server: TestServer, author: TestUser, room: string, photos: Buffer[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let next = 0;
  let stored = 0;
  try {
    await deadline.within(
      `${IMAGES} photo messages to be seeded`,
      SEED_MS,
      Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < IMAGES) {
            const i = next++;
            const photo = photos[i % photos.length]!;
            await uploadMessage(
              server,
              author,
              messageBody(author, room, `photo ${i}`, `photo-${i}.jpg`, 'image/jpeg', photo),
              agent,
            );
            stored++;
          }
        }),
      ),
      () => `${stored} stored`,
    );
  } finally {
    agent.destroy();
  }
}

type Mode = 'thumbnails' | 'full images';

interface Visit {
  mode: Mode;
  run: number;
  paintMs: number;
  visibleImages: number;
  openRequests: number;
  openBytes: number;
  allRequests: number;
  allBytes: number;
  imagesInRoom: number;
  sampleUrl: string;
}

/** One fresh visit (new browser context: empty cache, fresh sign-in) to the photo room, in `mode`. */
async function visit(browser: Browser, server: TestServer, reader: TestUser, mode: Mode, run: number): Promise<Visit> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    // Both modes are routed, so that interception costs the same in each and the HTTP cache is off.
    let sampleUrl = '';
    await page.route('**/api/files/**', (route) => {
      const url = new URL(route.request().url());
      if (mode === 'full images') url.searchParams.delete('thumb');
      if (!sampleUrl && route.request().method() === 'GET') {
        // What was asked for, for the JSON: the token left out.
        const shown = new URL(url);
        shown.searchParams.delete('token');
        sampleUrl = `${shown.pathname}${shown.search}`;
      }
      return mode === 'thumbnails' ? route.continue() : route.continue({ url: url.toString() });
    });
    const traffic = await watchFileTraffic(page);
    await deadline.within(
      `${reader.username} to sign in (${mode}, run ${run + 1})`,
      SIGN_IN_MS,
      signIn(page, server.url, reader),
    );
    const before = traffic.totals();
    if (before.requests > 0)
      console.warn(`attachments: ${before.requests} file requests before the photo room was opened (${mode})`);
    const painting = `the photo room's images on screen to be painted (${mode}, run ${run + 1})`;
    const opened = await deadline
      .within(
        painting,
        PAINT_MS + 5_000,
        openRoomMeasured(page, 'photos', PAINT_MS),
        () => `${traffic.totals().requests} file requests so far`,
      )
      .catch((error: Error) => {
        // The page gave up first: say so as a deadline does, with what it saw on screen.
        const seen = error.message.replace(/^page\.evaluate: Error: /, '').split('\n')[0] ?? '';
        const hint = / 0 in the message list/.test(seen)
          ? ' (no <img> of a file in the message list: does the app show images inline?)'
          : '';
        throw error.name === 'DeadlineError'
          ? error
          : new Error(`attachments: waited ${duration(PAINT_MS)} for ${painting}, saw ${seen}${hint}`, {
              cause: error,
            });
      });
    const open = await settleFiles(traffic, deadline, `the photo room's opening (${mode})`, SETTLE_MS);
    const scrolled = await scrollThroughRoom(page, deadline, 'This is the beginning of the conversation.', SCROLL_MS);
    const all = await settleFiles(traffic, deadline, `the whole photo room scrolled through (${mode})`, SETTLE_MS);
    return {
      mode,
      run,
      paintMs: round(opened.ms, 1),
      visibleImages: opened.visible,
      openRequests: open.requests - before.requests,
      openBytes: open.bytes - before.bytes,
      allRequests: all.requests - before.requests,
      allBytes: all.bytes - before.bytes,
      imagesInRoom: scrolled.images,
      sampleUrl,
    };
  } finally {
    await context.close();
  }
}

async function signIn(page: Page, url: string, user: TestUser): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('log', { name: 'Messages' }).waitFor();
}

async function imageRoom(browser: Browser, server: TestServer, writer: TestUser, reader: TestUser) {
  const room = await createRoom(writer, 'private', [reader], 'photos');
  console.log(`making ${DISTINCT_PHOTOS} photos of ${PHOTO.width}x${PHOTO.height}…`);
  const photos = await deadline.within(
    `${DISTINCT_PHOTOS} photos to be made`,
    PHOTOS_MS,
    makePhotos(browser, DISTINCT_PHOTOS, PHOTO),
  );
  const photoBytes = photos.map((p) => p.length);
  console.log(`photos of ${photoBytes.map((b) => (b / MB).toFixed(2)).join(', ')} MB; seeding ${IMAGES} messages…`);
  await seedPhotos(server, writer, room.id, photos);
  const visits: Visit[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ['thumbnails', 'full images'] as const) {
      const v = await visit(browser, server, reader, mode, run);
      console.log(
        `${mode}, run ${run + 1}: painted in ${v.paintMs} ms (${v.visibleImages} on screen), ${v.openRequests} files ${(v.openBytes / MB).toFixed(2)} MB on opening, ${v.allRequests} files ${(v.allBytes / MB).toFixed(1)} MB for all ${v.imagesInRoom}`,
      );
      visits.push(v);
    }
  }
  return { visits, photoBytes };
}

function imageRows(visits: Visit[]): { rows: Row[]; ratios: Record<string, number> } {
  const of = (mode: Mode, warm: boolean) =>
    visits.filter((v) => v.mode === mode && (mode === 'full images' || v.run > 0 === warm));
  const median = (vs: Visit[], key: 'paintMs' | 'openBytes' | 'allBytes' | 'openRequests' | 'allRequests') =>
    summarize(vs.map((v) => v[key])).p50;
  const thumbsCold = of('thumbnails', false);
  // With one run there is no warm visit: the cold one stands in for it in the ratios.
  const thumbsWarm = RUNS > 1 ? of('thumbnails', true) : thumbsCold;
  const full = of('full images', true);
  const row = (what: string, vs: Visit[]): Row => ({
    case: what,
    runs: vs.length,
    paint_p50_ms: round(median(vs, 'paintMs'), 1),
    paint_max_ms: round(Math.max(...vs.map((v) => v.paintMs)), 1),
    on_screen: vs[0]?.visibleImages ?? 0,
    opening_files: median(vs, 'openRequests'),
    opening_MB: round(median(vs, 'openBytes') / MB, 2),
    all_files: median(vs, 'allRequests'),
    all_MB: round(median(vs, 'allBytes') / MB, 2),
  });
  const rows = [
    row('thumbnails, first visit right after the burst (thumbnails still being made)', thumbsCold),
    ...(RUNS > 1 ? [row('thumbnails, warm (ours)', thumbsWarm)] : []),
    row('full images (naive: thumb stripped)', full),
  ];
  const ratios = {
    paintFullVsThumbsWarm: ratio(median(full, 'paintMs'), median(thumbsWarm, 'paintMs')),
    paintFullVsThumbsCold: ratio(median(full, 'paintMs'), median(thumbsCold, 'paintMs')),
    openingBytesFullVsThumbs: ratio(median(full, 'openBytes'), median(thumbsWarm, 'openBytes')),
    allBytesFullVsThumbs: ratio(median(full, 'allBytes'), median(thumbsWarm, 'allBytes')),
  };
  return { rows, ratios };
}

ensureBackendBuilt();
const web = PARTS.includes('images') ? webBuild() : null;
const server = await startTestServer({ serveArgs: web ? ['--publicDir', web.dir] : [] });
let browser: Browser | undefined;
try {
  const admin = await server.admin();
  await admin.settings.update({ rateLimits: { enabled: false } });
  const writer = await signUp(server, 'writer');
  const reader = await signUp(server, 'reader');
  if (PARTS.includes('uploads')) {
    const uploads = await createRoom(writer, 'private', [], 'uploads');
    console.log(
      `uploading ${UPLOAD_SIZES_MB.join(', ')} MB files ${UPLOADS} times each, through the API and to a plain server…`,
    );
    const uploadRows = await deadline.within(
      `${UPLOADS} uploads of each of ${UPLOAD_SIZES_MB.join(', ')} MB through the API and to the plain server`,
      UPLOADS_MS,
      uploadThroughput(server, writer, uploads.id),
    );
    report('attachments-upload', 'Attachments A: upload throughput, one in flight (MB = 2^20 bytes)', uploadRows);
  }
  if (PARTS.includes('images')) {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const { visits, photoBytes } = await imageRoom(browser, server, writer, reader);
    const { rows, ratios } = imageRows(visits);
    report(
      'attachments-images',
      `Attachments B: a room of ${IMAGES} photo messages (${PHOTO.width}x${PHOTO.height} JPEG), ${RUNS} runs, viewport ${VIEWPORT.width}x${VIEWPORT.height}`,
      rows,
      { ratios, photoBytes, visits },
    );
    console.log(ratios);
  }
} finally {
  await browser?.close();
  await server.stop();
  web?.cleanup();
}
