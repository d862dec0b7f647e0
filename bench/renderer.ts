// The renderer in Chromium against a real server: time from a room's first page arriving to it being
// painted, time to show 1,000 realtime messages, and the JS heap and DOM size while scrolling back
// through a room of 10,000 messages. The naive comparison: loading the whole room at once, as the
// seed tutorial's client does (getFullList), against our first page.
import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import type { RoomsRecord } from '../src-shared/pocketbase-types.ts';
import { signUp } from '../backend/testing/clients.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { chromiumPath } from '../playwright.config.ts';
import { ratio, report, round, summarize, type Row } from './lib/report.ts';

const ROOM_SIZE = Number(process.env.PALAVER_RENDER_MESSAGES ?? 10_000);
const APPENDS = Number(process.env.PALAVER_RENDER_APPENDS ?? 1_000);
const RUNS = 5;

async function parallel<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
}

/** Clicks a room and measures, in the page's own clock, first-page response end -> painted. */
async function openAndMeasure(page: Page, roomName: string): Promise<number> {
  const measuring = page.evaluate(() => new Promise<number>((resolve) => {
    let responseEnd = 0;
    const resources = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
        if (entry.name.includes('/api/collections/messages/records') && entry.name.includes('sort=-created')) responseEnd = entry.responseEnd;
      }
    });
    resources.observe({ type: 'resource', buffered: false });
    const check = () => {
      const log = document.querySelector('[role="log"]');
      if (responseEnd > 0 && log && log.querySelectorAll('article').length >= 50) {
        // Two frames: the one that lays out the page and the one that paints it.
        requestAnimationFrame(() => requestAnimationFrame(() => {
          resources.disconnect();
          resolve(performance.now() - responseEnd);
        }));
        return;
      }
      setTimeout(check, 0);
    };
    check();
  }));
  await page.getByRole('button', { name: new RegExp(roomName) }).click();
  return measuring;
}

async function heap(page: Page): Promise<{ heapMB: number; domNodes: number; articles: number }> {
  return page.evaluate(async () => {
    (window as unknown as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 50));
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return {
      heapMB: Math.round(((memory?.usedJSHeapSize ?? NaN) / 2 ** 20) * 10) / 10,
      domNodes: document.getElementsByTagName('*').length,
      articles: document.querySelectorAll('[role="log"] article').length,
    };
  });
}

ensureBackendBuilt();
const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) throw new Error('the web build failed');
const server = await startTestServer({ serveArgs: ['--publicDir', join(repoRoot, 'out', 'renderer')] });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
try {
  const admin = await server.admin();
  await admin.settings.update({ rateLimits: { enabled: false } });
  const reader = await signUp(server, 'reader');
  const writer = await signUp(server, 'writer');
  const room = await writer.pb.collection('rooms').create<RoomsRecord>({ name: 'big-room', kind: 'private', owner: writer.id, members: [writer.id, reader.id] });
  const small = await writer.pb.collection('rooms').create<RoomsRecord>({ name: 'small-room', kind: 'private', owner: writer.id, members: [writer.id, reader.id] });
  console.log(`seeding ${ROOM_SIZE} messages…`);
  await parallel(ROOM_SIZE, 16, (i) => admin.collection('messages').create({ text: `history message ${i}: ${'lorem ipsum '.repeat(1 + (i % 8))}`, user: i % 3 ? writer.id : reader.id, room: room.id }, { requestKey: null }));
  await parallel(60, 8, (i) => admin.collection('messages').create({ text: `small ${i}`, user: writer.id, room: small.id }, { requestKey: null }));

  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  // tsx keeps function names with a __name helper that the page does not have.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.goto(server.url);
  await page.getByLabel('Username or email').fill(reader.username);
  await page.getByLabel('Password', { exact: true }).fill(reader.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('log', { name: 'Messages' }).waitFor();

  // 1. First page: response end -> painted, alternating rooms so each open is a fresh first load.
  const paint: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.reload();
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    paint.push(await openAndMeasure(page, run % 2 ? 'small-room' : 'big-room'));
  }
  // The naive way: the whole room in one request, as the seed tutorial loads its messages.
  const naive: number[] = [];
  const ours: number[] = [];
  const client = new PocketBase(server.url);
  await client.collection('users').authWithPassword(reader.username, reader.password);
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    await client.collection('messages').getFullList({ filter: `room = "${room.id}"`, sort: 'created', expand: 'user', requestKey: null });
    naive.push(performance.now() - t);
    t = performance.now();
    await client.collection('messages').getList(1, 50, { filter: `room = "${room.id}"`, sort: '-created,-id', expand: 'user', skipTotal: true, requestKey: null });
    ours.push(performance.now() - t);
  }

  // 2. 1,000 realtime messages into the open room.
  await page.reload();
  await page.getByRole('button', { name: /big-room/ }).click();
  await page.waitForTimeout(500);
  const appendDone = page.evaluate(([total]) => new Promise<{ ms: number; longTasksMs: number }>((resolve) => {
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks += entry.duration;
    });
    observer.observe({ type: 'longtask' });
    const log = document.querySelector('[role="log"]')!;
    let first = 0;
    const check = () => {
      const live = [...log.querySelectorAll('article p.text')].filter((p) => p.textContent?.startsWith('live ')).length;
      if (first === 0 && live > 0) first = performance.now();
      if (live >= total) {
        observer.disconnect();
        resolve({ ms: performance.now() - first, longTasksMs: longTasks });
      } else setTimeout(check, 10);
    };
    check();
  }), [APPENDS] as const);
  const sendStart = performance.now();
  await parallel(APPENDS, 8, (i) => writer.pb.collection('messages').create({ text: `live ${i}`, user: writer.id, room: room.id }, { requestKey: null }));
  const sendMs = performance.now() - sendStart;
  const appended = await appendDone;

  // 3. Heap and DOM while scrolling back through the whole room.
  const stored = (await admin.collection('messages').getList(1, 1, { filter: `room = "${room.id}"` })).totalItems;
  console.log(`the room holds ${stored} messages`);
  const samples: Row[] = [];
  const wanted = [50, 1_000, 2_500, 5_000, ROOM_SIZE];
  const deadline = Date.now() + 240_000;
  for (;;) {
    const state = await heap(page);
    if (wanted.length && state.articles >= wanted[0]! - 50) {
      samples.push({ loaded: state.articles, heapMB: state.heapMB, domNodes: state.domNodes });
      while (wanted.length && state.articles >= wanted[0]! - 50) wanted.shift();
    }
    if (!wanted.length || Date.now() > deadline) break;
    if ((await page.getByText('This is the beginning of the conversation.').count()) > 0) {
      samples.push({ loaded: state.articles, heapMB: state.heapMB, domNodes: state.domNodes });
      break;
    }
    await page.locator('[role="log"]').evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(120);
  }

  const p = summarize(paint);
  const n = summarize(naive);
  const o = summarize(ours);
  report('renderer', 'Renderer: first page, 1,000 live messages, and a 10,000-message room', [
    { measure: 'first page: data arrived -> painted (ms)', p50: round(p.p50), max: round(p.max), goal: '< 100' },
    { measure: `load a ${ROOM_SIZE}-message room: all at once (naive), ms`, p50: round(n.p50), max: round(n.max), goal: '' },
    { measure: 'load a room: newest page of 50 (ours), ms', p50: round(o.p50), max: round(o.max), goal: `naive/ours ${ratio(n.p50, o.p50)}` },
    { measure: `${APPENDS} live messages: first shown -> all shown (ms)`, p50: round(appended.ms), max: round(appended.ms), goal: `server took ${round(sendMs)} ms to store them` },
    { measure: `${APPENDS} live messages: main-thread long tasks (ms)`, p50: round(appended.longTasksMs), max: round(appended.longTasksMs), goal: '' },
  ], { heap: samples });
  console.table(samples);
} finally {
  await browser.close();
  await server.stop();
}
