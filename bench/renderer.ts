// The renderer in Chromium against a real server: time from a room's first page arriving to what is on
// screen being painted (the list at its bottom, filled, every message in view drawn with all its parts),
// and to all of the page's messages being painted, with whether the view moved or lost the keyboard's
// focus between the two; N live messages arriving into the room being read, where N is more than a room's window
// holds (history.ts WINDOW_SIZE sent messages, let go a page at a time): how long each takes to show,
// main-thread long tasks, and whether the DOM and the JS heap stay bounded by the window; and the JS
// heap and DOM while scrolling back through a room of 10,000 messages. The naive comparison: loading
// the whole room at once, as the seed tutorial's client does (getFullList), against our first page.
// The same first page and scroll in a rich room (bench/lib/rich-messages.ts: every message markdown,
// thread roots with their summary and faces, reaction chips), reported against the plain room.
// Every wait has a deadline (bench/lib/deadline.ts): a count the app never reaches fails the run.
import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import PocketBase from 'pocketbase';
import { createRoom, signUp } from '../backend/testing/clients.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { ensureBackendBuilt, repoRoot } from '../scripts/backend-build.ts';
import { chromiumPath } from '../playwright.config.ts';
import { PAGE_SIZE, WINDOW_SIZE } from '../src-renderer/src/lib/history.ts';
import { deadlines, duration } from './lib/deadline.ts';
import { type FirstPage, openAndMeasure, PAINT_MS, type PageReady } from './lib/first-page.ts';
import { REACT_EVERY, richText, ROOT_EVERY, writeSummaries } from './lib/rich-messages.ts';
import { ratio, report, round, summarize, type Row } from './lib/report.ts';

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number above 0, not ${JSON.stringify(raw)}`);
  return value;
}

const ROOM_SIZE = count('PALAVER_RENDER_MESSAGES', 10_000);
/** Live messages into the open room: by default more than a window holds, so the window must let go. */
const APPENDS = count('PALAVER_RENDER_APPENDS', 1_000);
const RUNS = count('PALAVER_RENDER_RUNS', 5);
/** The most messages a followed room holds before it lets go of its oldest page. */
const HELD_AT_MOST = WINDOW_SIZE + PAGE_SIZE;
const deadline = deadlines('renderer');
// Deadlines: generous for a busy 2-core machine, scaled with the sizes, so only a wait that will never
// end hits them.
const BUILD_MS = 300_000;
const SEED_MS = Math.max(60_000, ROOM_SIZE * 30);
const NAIVE_MS = Math.max(60_000, RUNS * ROOM_SIZE * 10);
const LIVE_MS = Math.max(60_000, APPENDS * 60);
/** Scrolling back through a room of `total` messages to its beginning. */
const scrollMs = (total: number) => Math.max(60_000, total * 24);

async function parallel<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

interface Snapshot {
  heapMB: number;
  domNodes: number;
  articles: number;
  /** The index of the oldest "history message <i>" (or "rich message <i>") shown, or -1 when none is. */
  oldestHistory: number;
}

/** JS heap after a garbage collection, DOM size, and what the message list holds. */
async function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(async () => {
    (window as unknown as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 50));
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    // p.text for a plain message, div.text for a formatted one.
    const first = document.querySelector('[role="log"] article .text')?.textContent ?? '';
    return {
      heapMB: Math.round(((memory?.usedJSHeapSize ?? NaN) / 2 ** 20) * 10) / 10,
      domNodes: document.getElementsByTagName('*').length,
      articles: document.querySelectorAll('[role="log"] article').length,
      oldestHistory: Number(/^(?:history|rich) message (\d+):/.exec(first)?.[1] ?? -1),
    };
  });
}

interface LiveWatch {
  /**
   * Distinct live messages painted so far (each counted once, even after the window let it go). Not
   * all need be: messages that come faster than the page can paint, more than a window of them, are
   * let go before a frame shows them, as the window keeps the newest.
   */
  shown: number;
  firstAt: number;
  longTasksMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** The five longest tasks: when they started (page clock) and how long they took. */
  longestTasks: Array<{ startAt: number; ms: number }>;
  maxArticles: number;
  maxDomNodes: number;
}

/**
 * Watches the open room for "live <i>" messages: when each was first in a frame, main-thread long
 * tasks, and the most messages and DOM nodes held at any frame.
 */
async function watchLive(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log = document.querySelector('[role="log"]')!;
    const shownAt = new Map<string, number>();
    const state = {
      shown: 0,
      firstAt: 0,
      longTasksMs: 0,
      longTasks: 0,
      longestTaskMs: 0,
      longestTasks: [] as Array<{ startAt: number; ms: number }>,
      maxArticles: 0,
      maxDomNodes: 0,
    };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        state.longTasksMs += entry.duration;
        state.longTasks += 1;
        state.longestTaskMs = Math.max(state.longestTaskMs, entry.duration);
        state.longestTasks = [
          ...state.longestTasks,
          { startAt: Math.round(entry.startTime), ms: Math.round(entry.duration) },
        ]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5);
      }
    }).observe({ type: 'longtask' });
    let queued = false;
    const scan = () => {
      queued = false;
      const articles = log.querySelectorAll('article');
      state.maxArticles = Math.max(state.maxArticles, articles.length);
      state.maxDomNodes = Math.max(state.maxDomNodes, document.getElementsByTagName('*').length);
      const now = performance.now();
      for (const p of log.querySelectorAll('article p.text')) {
        const text = p.textContent ?? '';
        if (!text.startsWith('live ') || shownAt.has(text)) continue;
        shownAt.set(text, now);
        state.firstAt ||= now;
      }
      state.shown = shownAt.size;
    };
    // Once per frame at most: what the person could have seen.
    new MutationObserver(() => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(scan);
      }
    }).observe(log, { childList: true, subtree: true });
    (window as unknown as { __live: typeof state }).__live = state;
    (window as unknown as { __liveShownAt: Map<string, number> }).__liveShownAt = shownAt;
  });
}

const liveState = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __live: LiveWatch }).__live }));

/** Of these texts, how many have been in a frame, and when the last of them first was. */
const shownOf = (page: Page, texts: string[]) =>
  page.evaluate((wanted) => {
    const shownAt = (window as unknown as { __liveShownAt: Map<string, number> }).__liveShownAt;
    const times = wanted.map((t) => shownAt.get(t)).filter((t): t is number => t !== undefined);
    return { shown: times.length, lastAt: Math.max(0, ...times) };
  }, texts);

/** The texts of the room's newest messages on the server, newest last. */
async function newestTexts(pb: PocketBase, roomId: string, count: number): Promise<string[]> {
  const page = await pb.collection('messages').getList<{ text: string }>(1, count, {
    filter: pb.filter('room = {:room}', { room: roomId }),
    sort: '-created,-id',
    skipTotal: true,
    requestKey: null,
  });
  return page.items.map((m) => m.text).reverse();
}

/** When the newest live messages were not all shown: which live ones never were, and what the room shows now. */
async function liveDiagnosis(page: Page, total: number): Promise<string> {
  const { seen, first, last, held, buttons } = await page.evaluate(() => {
    const texts = [...document.querySelectorAll('[role="log"] article p.text')].map((p) => p.textContent ?? '');
    return {
      seen: [...(window as unknown as { __liveShownAt: Map<string, number> }).__liveShownAt.keys()],
      first: texts[0] ?? '',
      last: texts.at(-1) ?? '',
      held: texts.length,
      buttons: [...document.querySelectorAll('main button')]
        .map((b) => b.textContent?.trim())
        .filter(Boolean)
        .slice(0, 12),
    };
  });
  const shown = new Set(seen.map((t) => Number(t.slice('live '.length))));
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !shown.has(i));
  const list = missing.length > 20 ? `${missing.slice(0, 20).join(', ')}, …` : missing.join(', ');
  return `never shown: ${missing.length} (live ${list}); the room holds ${held}, from "${first.slice(0, 40)}" to "${last.slice(0, 40)}"; buttons: ${buttons.join(' | ')}`;
}

/**
 * Scrolls the open room back to its beginning, sampling the JS heap and DOM at how far back the oldest
 * message shown is (0, 1,000, 2,500, 5,000 and the beginning): the window lets go of the newest as it
 * goes, so both should stay flat.
 */
async function scrollBack(page: Page, roomName: string, total: number): Promise<Row[]> {
  const samples: Row[] = [];
  const milestones = [0, 1_000, 2_500, 5_000].filter((m) => m < total);
  // How many messages, counted from the newest, the oldest one shown is (history message i is the
  // room's i-th oldest; while only live ones are shown, that is how many are held).
  const back = (s: Snapshot) => (s.oldestHistory < 0 ? s.articles : total - s.oldestHistory);
  const sample = (s: Snapshot, note = '') => {
    samples.push({ scrolled_back: back(s), held: s.articles, heapMB: s.heapMB, domNodes: s.domNodes, note });
  };
  const beginning = page.getByText('This is the beginning of the conversation.');
  await deadline.poll(
    `the beginning of the ${total}-message ${roomName}, scrolling back`,
    scrollMs(total),
    async () => {
      const s = await snapshot(page);
      if (milestones.length && back(s) >= milestones[0]!) {
        sample(s);
        while (milestones.length && back(s) >= milestones[0]!) milestones.shift();
      }
      if ((await beginning.count()) > 0) {
        sample(s, 'the beginning');
        return { s, done: true };
      }
      await page.locator('[role="log"]').evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(120);
      return { s, done: false };
    },
    (step) => step.done,
    {
      intervalMs: 0,
      show: ({ s }) => `message ${s.oldestHistory} of ${total} as the oldest shown, ${s.articles} held`,
    },
  );
  return samples;
}

/** Heap and DOM over a scroll: at the newest page, the most, at the beginning. */
function heapOf(samples: Row[]): { start: number; most: number; end: number; domMost: number } {
  const heap = samples.map((x) => Number(x.heapMB));
  return {
    start: heap[0] ?? NaN,
    most: Math.max(...heap),
    end: heap.at(-1) ?? NaN,
    domMost: Math.max(...samples.map((x) => Number(x.domNodes))),
  };
}

/**
 * PALAVER_RENDER_PROFILE=<dir>: a CPU profile (odd runs) or a trace (even runs) of the rich room's opens,
 * to open in Chromium's DevTools (Performance, load profile) or read with
 * `npx tsx bench/profile-summary.ts <file>` (either kind).
 */
const PROFILE_DIR = process.env.PALAVER_RENDER_PROFILE ? resolve(process.env.PALAVER_RENDER_PROFILE) : null;

async function startProfile(page: Page): Promise<{ stop(path: string): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    async stop(path) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(profile));
      await cdp.detach();
      console.log(`renderer: CPU profile of the rich open written to ${path}`);
    },
  };
}

/** Reloads, lets the room the app reopens settle, and waits for the log. */
async function freshPage(page: Page): Promise<void> {
  await page.reload();
  // Generous: on a busy machine the app's own chunk takes a while to parse after a reload.
  await page
    .getByRole('log', { name: 'Messages' })
    .waitFor({ timeout: 90_000 })
    .catch(async (error: unknown) => {
      const shot = join(tmpdir(), `renderer-reload-${Date.now()}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`renderer: after a reload the message list never showed (screenshot: ${shot})`, {
        cause: error,
      });
    });
  // The app reopens the last room: let its first page load and draw before another is measured.
  await page.waitForTimeout(1000);
}

ensureBackendBuilt();
// PALAVER_RENDER_WEB: serve a web build made elsewhere (another commit's, say) instead of building one.
const webDir = process.env.PALAVER_RENDER_WEB
  ? resolve(process.env.PALAVER_RENDER_WEB)
  : join(repoRoot, 'out', 'renderer');
if (!process.env.PALAVER_RENDER_WEB) {
  const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
    timeout: BUILD_MS,
    killSignal: 'SIGKILL',
  });
  if (build.error || build.status !== 0)
    throw new Error(
      `renderer: the web build failed${build.error ? ` (${build.error.message}; deadline ${duration(BUILD_MS)})` : ` with exit code ${build.status}`}`,
    );
} else if (!existsSync(join(webDir, 'index.html'))) {
  throw new Error(`renderer: PALAVER_RENDER_WEB=${webDir} holds no index.html: build one with npm run build:web`);
}
const server = await startTestServer({ serveArgs: ['--publicDir', webDir] });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
  ],
});
try {
  const admin = await server.admin();
  await admin.settings.update({ rateLimits: { enabled: false } });
  const reader = await signUp(server, 'reader');
  const writer = await signUp(server, 'writer');
  // The reader is invited and accepts, as people join rooms.
  const room = await createRoom(writer, 'private', [reader], 'big-room');
  console.log(`seeding ${ROOM_SIZE} messages…`);
  let seeded = 0;
  await deadline.within(
    `${ROOM_SIZE} messages to be seeded`,
    SEED_MS,
    parallel(ROOM_SIZE, 16, async (i) => {
      await admin.collection('messages').create(
        {
          text: `history message ${i}: ${'lorem ipsum '.repeat(1 + (i % 8))}`,
          user: i % 3 ? writer.id : reader.id,
          room: room.id,
        },
        { requestKey: null },
      );
      seeded++;
    }),
    () => `${seeded} stored`,
  );

  // The rich room: the same number of messages, written by several people (the faces of its threads and
  // the people of its reactions are real accounts, looked up by the app as it would).
  const others = [];
  for (let k = 0; k < 6; k++) others.push(await signUp(server, `friend${k}`));
  const people = [writer.id, reader.id, ...others.map((o) => o.id)];
  const rich = await createRoom(writer, 'private', [reader, ...others], 'rich-room');
  console.log(`seeding ${ROOM_SIZE} rich messages…`);
  const richIds: string[] = new Array<string>(ROOM_SIZE);
  let richSeeded = 0;
  await deadline.within(
    `${ROOM_SIZE} rich messages to be seeded`,
    SEED_MS,
    parallel(ROOM_SIZE, 16, async (i) => {
      // Created in order within each of the 16 lanes, so created order is i's order but for near ties:
      // the summaries go by id, not by position.
      const record = await admin
        .collection('messages')
        .create({ text: richText(i), user: people[i % people.length], room: rich.id }, { requestKey: null });
      richIds[i] = record.id;
      richSeeded++;
    }),
    () => `${richSeeded} stored`,
  );
  const summaries = writeSummaries(server.dataDir, richIds, people, reader.id);
  console.log(
    `rich room: summaries written into ${summaries.columns.join(' and ') || 'no column (the server has neither threadInfo nor reactionInfo)'}: ${summaries.roots} thread roots, ${summaries.reacted} messages with reactions`,
  );
  const richReady: PageReady = {
    marker: 'rich message',
    formatted: true,
    rootEvery: summaries.columns.includes('threadInfo') ? ROOT_EVERY : 0,
    reactEvery: summaries.columns.includes('reactionInfo') ? REACT_EVERY : 0,
  };
  const plainReady: PageReady = { marker: 'history message', formatted: false, rootEvery: 0, reactEvery: 0 };

  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  // Playwright's own waits (clicks, waitFor) fail after this long, naming the element.
  page.setDefaultTimeout(30_000);
  // What the page itself reports going wrong (a chunk that fails to load shows messages unformatted).
  page.on('pageerror', (error) => console.warn(`renderer: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.warn(`renderer: page console: ${message.text()}`);
  });
  // tsx keeps function names with a __name helper that the page does not have.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.goto(server.url);
  await page.getByLabel('Username or email').fill(reader.username);
  await page.getByLabel('Password', { exact: true }).fill(reader.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('log', { name: 'Messages' }).waitFor();

  // 1. First page: response end -> painted, alternating the plain and the rich room so each open is a
  // fresh first load (the app reopens the last room after a reload).
  const plainPages: FirstPage[] = [];
  const richPages: FirstPage[] = [];
  for (let run = 0; run < RUNS; run++) {
    await freshPage(page);
    plainPages.push(await openAndMeasure(page, 'big-room', plainReady, deadline));
    await freshPage(page);
    // A CPU profile on odd runs, a trace of the browser's own work (style, layout, paint) on even ones.
    const profiling = PROFILE_DIR && run % 2 === 1 ? await startProfile(page) : null;
    if (PROFILE_DIR && run % 2 === 0)
      await browser.startTracing(page, { path: join(PROFILE_DIR, `rich-open-${run}.trace.json`) });
    richPages.push(await openAndMeasure(page, 'rich-room', richReady, deadline));
    if (profiling) await profiling.stop(join(PROFILE_DIR!, `rich-open-${run}.cpuprofile`));
    if (PROFILE_DIR && run % 2 === 0) await browser.stopTracing();
  }
  const paint = plainPages.map((x) => x.total);
  const richPaint = richPages.map((x) => x.total);
  const pages = [...plainPages, ...richPages];
  // The naive way: the whole room in one request, as the seed tutorial loads its messages.
  const naive: number[] = [];
  const ours: number[] = [];
  const client = new PocketBase(server.url);
  await client.collection('users').authWithPassword(reader.username, reader.password);
  await deadline.within(
    `${RUNS} loads of the whole ${ROOM_SIZE}-message room and of its newest page`,
    NAIVE_MS,
    (async () => {
      for (let run = 0; run < RUNS; run++) {
        let t = performance.now();
        await client
          .collection('messages')
          .getFullList({ filter: `room = "${room.id}"`, sort: 'created', expand: 'user', requestKey: null });
        naive.push(performance.now() - t);
        t = performance.now();
        await client.collection('messages').getList(1, PAGE_SIZE, {
          filter: `room = "${room.id}"`,
          sort: '-created,-id',
          expand: 'user',
          skipTotal: true,
          requestKey: null,
        });
        ours.push(performance.now() - t);
      }
    })(),
    () => `${naive.length} whole-room loads done`,
  );

  // 2. APPENDS live messages into the open room, more than its window holds: each must be shown, and
  // the room must let go of its oldest pages as they come, so the DOM stays the size of a window.
  await page.reload();
  await page.getByRole('button', { name: /big-room/ }).click();
  await deadline.poll(
    `big-room's newest page`,
    PAINT_MS,
    () => snapshot(page),
    (s) => s.articles >= PAGE_SIZE,
    { show: (s) => `${s.articles} messages shown` },
  );
  await page.waitForTimeout(500);
  const before = await snapshot(page);
  await watchLive(page);
  const sendStart = performance.now();
  let stored = 0;
  await deadline.within(
    `${APPENDS} live messages to be stored`,
    LIVE_MS,
    parallel(APPENDS, 8, async (i) => {
      await writer.pb
        .collection('messages')
        .create({ text: `live ${i}`, user: writer.id, room: room.id }, { requestKey: null });
      stored++;
    }),
    () => `${stored} stored`,
  );
  const sendMs = performance.now() - sendStart;
  // Caught up: the newest page on the server is on screen (not every live message need have been:
  // see LiveWatch.shown).
  const present = await newestTexts(admin, room.id, PAGE_SIZE);
  const caughtUp = await deadline
    .poll(
      `the newest ${present.length} of ${APPENDS} live messages to be shown in the open room`,
      LIVE_MS,
      () => shownOf(page, present),
      (s) => s.shown === present.length,
      {
        show: (s) => `${s.shown} of them`,
      },
    )
    .catch(async (error: unknown) => {
      throw new Error(
        `${(error as Error).message}; ${await liveDiagnosis(page, APPENDS).catch((e: Error) => `no diagnosis: ${e.message}`)}`,
        { cause: error },
      );
    });
  await page.waitForTimeout(300);
  const live = await liveState(page);
  const after = await snapshot(page);
  const shownMs = caughtUp.lastAt - live.firstAt;
  // What the window holds must be exactly the room's newest messages, in order, without a hole.
  const held = await page.evaluate(() =>
    [...document.querySelectorAll('[role="log"] article p.text')].map((p) => p.textContent ?? ''),
  );
  const expected = await newestTexts(admin, room.id, Math.min(held.length, 500));
  const whole = held.length > 0 && JSON.stringify(held.slice(-expected.length)) === JSON.stringify(expected);
  if (!whole)
    console.warn(
      `renderer: after the live messages the room does not show the newest ${expected.length} messages in order (it shows ${held.length}, from "${held[0]}" to "${held.at(-1)}")`,
    );
  const bounded = live.maxArticles <= HELD_AT_MOST;
  if (!bounded)
    console.warn(
      `renderer: the open room held ${live.maxArticles} messages at once, more than a window (${HELD_AT_MOST}): it no longer lets go of old pages`,
    );

  // 3. Heap and DOM while scrolling back through the whole room, sampled at how far back the oldest
  // message shown is: the window lets go of the newest as it goes, so both should stay flat. Then the
  // same through the rich room, opened afresh.
  const total = (await admin.collection('messages').getList(1, 1, { filter: `room = "${room.id}"` })).totalItems;
  console.log(`the room holds ${total} messages`);
  const samples = await scrollBack(page, 'big-room', total);
  await freshPage(page);
  await page.getByRole('button', { name: /rich-room/ }).click();
  await deadline.poll(
    `rich-room's newest page`,
    PAINT_MS,
    () => snapshot(page),
    (s) => s.articles >= PAGE_SIZE && s.oldestHistory >= 0,
    { show: (s) => `${s.articles} messages shown` },
  );
  await page.waitForTimeout(500);
  const richSamples = await scrollBack(page, 'rich-room', ROOM_SIZE);

  const p = summarize(paint);
  const r = summarize(richPaint);
  const plainHeap = heapOf(samples);
  const richHeap = heapOf(richSamples);
  const drawnParts = [
    'markdown',
    richReady.rootEvery
      ? `1 in ${richReady.rootEvery} a thread root`
      : 'no thread summaries (the server has no threadInfo)',
    richReady.reactEvery
      ? `1 in ${richReady.reactEvery} with reactions`
      : 'no reactions (the server has no reactionInfo)',
  ].join(', ');
  const n = summarize(naive);
  const o = summarize(ours);
  const perMessage = (ms: number) => round(ms / APPENDS, 3);
  report(
    'renderer',
    `Renderer: first page, ${APPENDS} live messages into a window of ${WINDOW_SIZE}, and a ${ROOM_SIZE}-message room`,
    [
      {
        measure: 'first page: data arrived -> what is on screen painted (ms), plain text',
        p50: round(summarize(plainPages.map((x) => x.screen)).p50),
        max: round(summarize(plainPages.map((x) => x.screen)).max),
        goal: '< 100',
      },
      {
        measure: `first page, rich room: data arrived -> what is on screen painted (ms), messages in view`,
        p50: round(summarize(richPages.map((x) => x.screen)).p50),
        max: round(summarize(richPages.map((x) => x.screen)).max),
        goal: `< 100; in view ${richPages.map((x) => x.onScreen).join(', ')}`,
      },
      {
        measure: 'first page, once all drawn: newest message moved (px), list from its bottom (px), focus kept',
        p50: round(Math.max(...pages.map((x) => x.moved))),
        max: round(Math.max(...pages.map((x) => x.fromBottom))),
        goal: `0, 0, ${pages.every((x) => x.focusKept) ? 'yes' : 'NO'}`,
      },
      {
        measure: 'first page: data arrived -> all its messages painted (ms), plain text',
        p50: round(p.p50),
        max: round(p.max),
        goal: '< 100',
      },
      {
        measure: `first page, rich room (${drawnParts}): data arrived -> all its messages drawn (ms)`,
        p50: round(r.p50),
        max: round(r.max),
        goal: `< 100; rich/plain p50 ${ratio(r.p50, p.p50)}`,
      },
      {
        measure: 'first page, rich room: its messages all in the list, drawn or not / markdown chunk arrived (ms)',
        p50: round(summarize(richPages.map((x) => x.shown)).p50),
        max: richPages.map((x) => (x.chunk === null ? 'cached' : String(round(x.chunk, 0)))).join(', '),
        goal: '',
      },
      {
        measure: `load a ${ROOM_SIZE}-message room: all at once (naive), ms`,
        p50: round(n.p50),
        max: round(n.max),
        goal: '',
      },
      {
        measure: `load a room: newest page of ${PAGE_SIZE} (ours), ms`,
        p50: round(o.p50),
        max: round(o.max),
        goal: `naive/ours ${ratio(n.p50, o.p50)}`,
      },
      {
        measure: `${APPENDS} live messages: first shown -> newest shown (ms)`,
        p50: round(shownMs),
        max: round(shownMs),
        goal: `server took ${round(sendMs)} ms to store them`,
      },
      {
        measure: `${APPENDS} live messages: painted at least once / held after, in order`,
        p50: live.shown,
        max: after.articles,
        goal: `newest ${expected.length} in order, no hole: ${whole ? 'yes' : 'NO'}`,
      },
      {
        measure: `${APPENDS} live messages: per message shown / stored (ms)`,
        p50: perMessage(shownMs),
        max: perMessage(sendMs),
        goal: 'shown as fast as stored',
      },
      {
        measure: `${APPENDS} live messages: main-thread long tasks, total ms (count, longest ms)`,
        p50: round(live.longTasksMs),
        max: `${live.longTasks}, ${round(live.longestTaskMs)}`,
        goal: '',
      },
      {
        measure: `${APPENDS} live messages: messages held at once (before, most, after)`,
        p50: `${before.articles}, ${live.maxArticles}, ${after.articles}`,
        max: live.maxArticles,
        goal: `<= ${HELD_AT_MOST}: ${bounded ? 'yes' : 'NO'}`,
      },
      {
        measure: `${APPENDS} live messages: DOM nodes (before, most, after)`,
        p50: `${before.domNodes}, ${live.maxDomNodes}, ${after.domNodes}`,
        max: live.maxDomNodes,
        goal: 'flat',
      },
      {
        measure: `${APPENDS} live messages: JS heap after GC, MB (before, after)`,
        p50: `${before.heapMB}, ${after.heapMB}`,
        max: after.heapMB,
        goal: 'flat',
      },
      {
        measure: `scrolling back through the plain room (${total}): JS heap after GC, MB (newest page, most, beginning)`,
        p50: `${plainHeap.start}, ${plainHeap.most}, ${plainHeap.end}`,
        max: plainHeap.most,
        goal: `flat; DOM nodes at most ${plainHeap.domMost}`,
      },
      {
        measure: `scrolling back through the rich room (${ROOM_SIZE}): JS heap after GC, MB (newest page, most, beginning)`,
        p50: `${richHeap.start}, ${richHeap.most}, ${richHeap.end}`,
        max: richHeap.most,
        goal: `flat; DOM nodes at most ${richHeap.domMost}; rich/plain most ${ratio(richHeap.most, plainHeap.most)}`,
      },
    ],
    {
      heap: samples,
      rich: {
        paintMs: richPaint.map((x) => round(x)),
        shownMs: richPages.map((x) => round(x.shown)),
        markdownChunkMs: richPages.map((x) => (x.chunk === null ? null : round(x.chunk))),
        plainPaintMs: paint.map((x) => round(x)),
        screenMs: richPages.map((x) => round(x.screen)),
        plainScreenMs: plainPages.map((x) => round(x.screen)),
        inView: richPages.map((x) => x.onScreen),
        movedPx: pages.map((x) => round(x.moved)),
        fromBottomPx: pages.map((x) => round(x.fromBottom)),
        focusKept: pages.map((x) => x.focusKept),
        ready: richReady,
        summaries,
        heap: richSamples,
      },
      live: {
        ...live,
        newestShownAt: caughtUp.lastAt,
        whole,
        before,
        after,
        heldAtMost: HELD_AT_MOST,
        sendMs: round(sendMs),
      },
    },
  );
  console.table(samples);
  console.table(richSamples);
} finally {
  await browser.close();
  await server.stop();
}
