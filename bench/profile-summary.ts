// Reads a V8 CPU profile (.cpuprofile, as bench/renderer.ts writes with PALAVER_RENDER_PROFILE) and
// prints where the time went: self time by function and by script, the heaviest first.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tdur?: number;
  tid: number;
  pid: number;
}

/**
 * A trace's complete events on the page's main thread, by name: the browser's own work (UpdateLayoutTree
 * is style, Layout, Paint, ParseHTML...) beside the script's (FunctionCall, EvaluateScript), in wall time
 * and in the thread's CPU time (which a busy machine does not inflate). Nested events are counted in
 * their parents too, so the rows overlap.
 */
function traceSummary(events: TraceEvent[]): void {
  const main = events.find(
    (e) => e.name === 'thread_name' && (e as unknown as { args: { name: string } }).args.name === 'CrRendererMain',
  );
  const onMain = events.filter((e) => e.ph === 'X' && main && e.pid === main.pid && e.tid === main.tid);
  const byName = new Map<string, { wall: number; cpu: number; count: number }>();
  for (const e of onMain) {
    const row = byName.get(e.name) ?? { wall: 0, cpu: 0, count: 0 };
    row.wall += (e.dur ?? 0) / 1000;
    row.cpu += (e.tdur ?? 0) / 1000;
    row.count++;
    byName.set(e.name, row);
  }
  console.table(
    [...byName]
      .sort((a, b) => b[1].wall - a[1].wall)
      .slice(0, rows)
      .map(([name, r]) => ({ name, wallMs: Math.round(r.wall), cpuMs: Math.round(r.cpu), count: r.count })),
  );
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile | file.trace.json> [rows]');
const rows = Number(process.argv[3] ?? 25);
const data = JSON.parse(readFileSync(file, 'utf8')) as Profile | { traceEvents: TraceEvent[] };
if ('traceEvents' in data) {
  traceSummary(data.traceEvents);
  process.exit(0);
}
const profile = data;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
// Each sample's time is the delta to the next one.
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));

const total = [...self.values()].reduce((a, b) => a + b, 0);
const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
const byFunction = new Map<string, number>();
const byScript = new Map<string, number>();
for (const [id, ms] of self) {
  const frame = byId.get(id)!.callFrame;
  const script = frame.url.split('/').at(-1) || '(native)';
  add(byFunction, `${frame.functionName || '(anonymous)'} ${script}:${frame.lineNumber + 1}`, ms);
  add(byScript, script, ms);
}
const top = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10, share: `${Math.round((ms / total) * 100)}%` }));
// Total time: each function's self time plus its callees', counted once per stack (recursion).
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, ms] of self) {
  const names = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)!.callFrame;
    if (frame.url === '') continue;
    names.add(`${frame.functionName || '(anonymous)'} ${frame.url.split('/').at(-1)}:${frame.lineNumber + 1}`);
  }
  for (const name of names) add(inclusive, name, ms);
}
console.log(`${file}: ${Math.round(total)} ms sampled`);
console.table(top(byScript));
console.log('self time');
console.table(top(byFunction));
console.log('total time (with callees)');
console.table(top(inclusive));
