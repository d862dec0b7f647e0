// Two or more web builds' rich first page, opened in turn against one server, so a change to the renderer
// is measured against the build before it on the same machine at the same moment (on a shared machine,
// separate runs of bench/renderer.ts minutes apart differ by more than most changes do).
//
//   npx tsx bench/renderer-ab.ts before=/tmp/web-before after=/tmp/web-after
//
// Each build is served from its own path of the server (/before/, /after/) and signed in in its own
// browser context; every round reloads each build's page, opens the plain room, reloads, and opens the rich
// room (bench/lib/rich-messages.ts) as bench/renderer.ts does, the builds' order turned about every round
// (ABBA). Per build: what is on screen drawn and all 50 drawn (p50, p99, max), and the main thread's time
// in script, style and layout over the rich open (CDP Performance metrics: wall time, inflated on a busy
// machine like the rest, but split by kind). PALAVER_AB_ROUNDS (default 20), PALAVER_AB_MESSAGES (120).
// PALAVER_AB_PROFILE=<dir>: a CPU profile of each build's rich open in round 3, and the traces of the others
// (bench/profile-summary.ts reads either). PALAVER_AB_SHOTS=<dir>: each build's rich room after the rounds,
// light and dark, at its newest and scrolled back (<build>-<where>-<scheme>.png), to compare by eye or by pixel.
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRoom, signUp } from '../backend/testing/clients.ts';
import { startTestServer } from '../backend/testing/server.ts';
import { ensureBackendBuilt } from '../scripts/backend-build.ts';
import { chromiumPath } from '../playwright.config.ts';
import { deadlines } from './lib/deadline.ts';
import { type FirstPage, openAndMeasure, type PageReady } from './lib/first-page.ts';
import { REACT_EVERY, richText, ROOT_EVERY, writeSummaries } from './lib/rich-messages.ts';
import { round, summarize } from './lib/report.ts';

const deadline = deadlines('renderer-ab');
const ROUNDS = Number(process.env.PALAVER_AB_ROUNDS ?? 20);
const MESSAGES = Number(process.env.PALAVER_AB_MESSAGES ?? 120);
const PROFILE_DIR = process.env.PALAVER_AB_PROFILE ? resolve(process.env.PALAVER_AB_PROFILE) : null;
const SHOTS_DIR = process.env.PALAVER_AB_SHOTS ? resolve(process.env.PALAVER_AB_SHOTS) : null;
const builds = process.argv.slice(2).map((arg) => {
  const [name, dir] = arg.split('=');
  if (!name || !dir || !/^[a-z0-9-]+$/.test(name)) throw new Error(`renderer-ab: expected name=webdir, not ${arg}`);
  return { name, dir: resolve(dir) };
});
if (builds.length < 2) throw new Error('usage: npx tsx bench/renderer-ab.ts a=<web build> b=<web build> [...]');

if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
ensureBackendBuilt();
const publicDir = mkdtempSync(join(tmpdir(), 'renderer-ab-'));
for (const build of builds) cpSync(build.dir, join(publicDir, build.name), { recursive: true });
const server = await startTestServer({ serveArgs: ['--publicDir', publicDir] });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];

/**
 * The page's main-thread CPU time (the thread's own clock, which other processes on the machine do not
 * inflate as they do wall time) from the first page's response end to all 50 drawn, read from a trace
 * of the open: top-level tasks (clipped to the span by their wall time), and of them style and layout.
 */
function cpuOfOpen(trace: Buffer): { cpu: number; style: number; layout: number } | null {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mark = (name: string) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
  const from = mark('first-page-response');
  const to = mark('first-page-drawn');
  if (!from || !to) return null;
  const main = events.find((e) => e.name === 'thread_name' && e.pid === to.pid && e.args?.name === 'CrRendererMain');
  if (!main) return null;
  const sum = (names: string[]) => {
    let total = 0;
    for (const e of events) {
      if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !names.includes(e.name) || !e.dur) continue;
      const overlap = Math.min(e.ts + e.dur, to.ts) - Math.max(e.ts, from.ts);
      if (overlap > 0) total += ((e.tdur ?? e.dur) * overlap) / e.dur;
    }
    return round(total / 1000, 1);
  };
  return { cpu: sum(['RunTask']), style: sum(['UpdateLayoutTree']), layout: sum(['Layout']) };
}

/** Main-thread time by kind, from CDP's cumulative Performance metrics (seconds). */
const METRICS = ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'TaskDuration'] as const;
async function metrics(cdp: CDPSession): Promise<Record<(typeof METRICS)[number], number>> {
  const { metrics: all } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(METRICS.map((name) => [name, all.find((m) => m.name === name)?.value ?? 0])) as Record<
    (typeof METRICS)[number],
    number
  >;
}

try {
  const admin = await server.admin();
  await admin.settings.update({ rateLimits: { enabled: false } });
  const reader = await signUp(server, 'reader');
  const writer = await signUp(server, 'writer');
  const others = [];
  for (let k = 0; k < 6; k++) others.push(await signUp(server, `friend${k}`));
  const people = [writer.id, reader.id, ...others.map((o) => o.id)];
  const plain = await createRoom(writer, 'private', [reader], 'big-room');
  const rich = await createRoom(writer, 'private', [reader, ...others], 'rich-room');
  for (let i = 0; i < 60; i++)
    await admin.collection('messages').create({ text: `history message ${i}`, user: writer.id, room: plain.id });
  const ids: string[] = [];
  for (let i = 0; i < MESSAGES; i++)
    ids.push(
      (await admin.collection('messages').create({ text: richText(i), user: people[i % people.length], room: rich.id }))
        .id,
    );
  writeSummaries(server.dataDir, ids, people, reader.id);
  const richReady: PageReady = {
    marker: 'rich message',
    formatted: true,
    rootEvery: ROOT_EVERY,
    reactEvery: REACT_EVERY,
  };
  const plainReady: PageReady = { marker: 'history message', formatted: false, rootEvery: 0, reactEvery: 0 };

  const pages: Array<{ name: string; context: BrowserContext; page: Page; cdp: CDPSession }> = [];
  for (const build of builds) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => console.warn(`${build.name}: page error: ${error.message}`));
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(`${server.url}/${build.name}/`);
    await page.getByLabel('Username or email').fill(reader.username);
    await page.getByLabel('Password', { exact: true }).fill(reader.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    pages.push({ name: build.name, context, page, cdp });
  }

  const fresh = async (page: Page) => {
    await page.reload();
    await page.getByRole('log', { name: 'Messages' }).waitFor({ timeout: 90_000 });
    await page.waitForTimeout(1000);
  };
  const results = new Map<
    string,
    Array<
      FirstPage & {
        script: number;
        style: number;
        layout: number;
        task: number;
        cpu: number;
        cpuStyle: number;
        cpuLayout: number;
      }
    >
  >(builds.map((b) => [b.name, []]));
  const loads: number[] = [];
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    loads.push(loadavg()[0]!);
    const order = round_ % 2 === 0 ? pages : [...pages].reverse();
    for (const { name, page, cdp } of order) {
      await fresh(page);
      await openAndMeasure(page, 'big-room', plainReady, deadline);
      await fresh(page);
      const profiling = PROFILE_DIR && round_ === 2;
      if (profiling) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      const before = await metrics(cdp);
      if (!profiling) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const measured = await openAndMeasure(page, 'rich-room', richReady, deadline);
      const after = await metrics(cdp);
      const trace = profiling ? null : await browser.stopTracing();
      if (trace && PROFILE_DIR) writeFileSync(join(PROFILE_DIR, `${name}-${round_ + 1}.trace.json`), trace);
      const cpu = trace ? cpuOfOpen(trace) : null;
      if (profiling) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
      }
      const ms = (key: (typeof METRICS)[number]) => round((after[key] - before[key]) * 1000, 1);
      results.get(name)!.push({
        ...measured,
        script: ms('ScriptDuration'),
        style: ms('RecalcStyleDuration'),
        layout: ms('LayoutDuration'),
        task: ms('TaskDuration'),
        cpu: cpu?.cpu ?? NaN,
        cpuStyle: cpu?.style ?? NaN,
        cpuLayout: cpu?.layout ?? NaN,
      });
      console.log(
        `round ${round_ + 1} ${name}: screen ${round(measured.screen, 0)} ms (${measured.onScreen} in view), all 50 ${round(measured.total, 0)} ms, its main-thread CPU ${cpu ? `${cpu.cpu} ms (style ${cpu.style}, layout ${cpu.layout})` : '-'}; main thread ${ms('TaskDuration')} ms (script ${ms('ScriptDuration')}, style ${ms('RecalcStyleDuration')}, layout ${ms('LayoutDuration')}); moved ${round(measured.moved, 1)} px, focus kept ${measured.focusKept}`,
      );
    }
  }
  if (SHOTS_DIR) {
    mkdirSync(SHOTS_DIR, { recursive: true });
    for (const { name, page } of pages) {
      await fresh(page);
      await page.getByRole('button', { name: /rich-room/ }).click();
      await page.waitForTimeout(1500);
      for (const where of ['newest', 'back'] as const) {
        if (where === 'back') {
          await page.locator('[role="log"]').evaluate((el) => (el.scrollTop = el.scrollHeight / 3));
          await page.waitForTimeout(500);
        }
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          await page.waitForTimeout(200);
          await page.screenshot({ path: join(SHOTS_DIR, `${name}-${where}-${colorScheme}.png`) });
        }
      }
      await page.emulateMedia({ colorScheme: null });
    }
  }
  console.log(`load average (1 min) at each round's start: ${loads.map((l) => l.toFixed(1)).join(', ')}`);
  const table = [...results].map(([name, rows]) => {
    const of = (pick: (r: (typeof rows)[number]) => number) => summarize(rows.map(pick));
    const screen = of((r) => r.screen);
    const all = of((r) => r.total);
    return {
      build: name,
      'screen p50': round(screen.p50, 0),
      'screen p99': round(screen.p99, 0),
      'all 50 p50': round(all.p50, 0),
      'all 50 p99': round(all.p99, 0),
      'all 50 max': round(all.max, 0),
      'CPU to all 50 p50': round(of((r) => r.cpu).p50, 0),
      'of it style': round(of((r) => r.cpuStyle).p50, 0),
      'of it layout': round(of((r) => r.cpuLayout).p50, 0),
      'main thread p50': round(of((r) => r.task).p50, 0),
      'script p50': round(of((r) => r.script).p50, 0),
      'style p50': round(of((r) => r.style).p50, 0),
      'layout p50': round(of((r) => r.layout).p50, 0),
    };
  });
  console.table(table);
} finally {
  await browser.close();
  await server.stop();
  rmSync(publicDir, { recursive: true, force: true });
}
