// The Go load generator (bench/loadgen, its own module with the standard library only) from Node: built
// into the Go build cache on first use, started once per server, driven by one JSON command per line on
// its stdin and answering with one JSON line on its stdout.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/backend-build.ts';

export interface Latency {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ConnectReply {
  held: number;
  failed: number;
  errors: Record<string, number>;
  seconds: number;
  alive: number;
}

export interface SendReply {
  phase: string;
  rate: number;
  asked: number;
  created: number;
  createErrors: Record<string, number>;
  subscribers: number;
  expected: number;
  received: number;
  missing: number;
  duplicates: number;
  foreign: number;
  droppedDuring: number;
  latency: Latency;
  createLatency: Latency;
  sendSeconds: number;
  seconds: number;
  lastArrivalSeconds: number;
  generatorCpuSeconds: number;
  generatorCpuPercent: number;
}

export interface CreatesReply {
  clients: number;
  created: number;
  perSecond: number;
  errors: Record<string, number>;
  latency: Latency;
  seconds: number;
  generatorCpuPercent: number;
}

export interface StatusReply {
  alive: number;
  dropped: number;
  otherEvents: number;
  cpuSeconds: number;
}

export interface Sender {
  token: string;
  user: string;
}

export type Command =
  | { cmd: 'connect'; url: string; tokens: string[]; topics: string[]; concurrency: number; timeoutMs: number }
  | { cmd: 'send'; room: string; senders: Sender[]; rate: number; seconds: number; phase: string; drainMs: number }
  | { cmd: 'creates'; room: string; senders: Sender[]; seconds: number; phase: string }
  | { cmd: 'status' };

type Reply<C extends Command> = C['cmd'] extends 'connect'
  ? ConnectReply
  : C['cmd'] extends 'send'
    ? SendReply
    : C['cmd'] extends 'creates'
      ? CreatesReply
      : StatusReply;

/** Builds bench/loadgen (seconds the first time, then from the Go build cache) and returns the binary. */
export function buildLoadgen(): string {
  const binary = join(tmpdir(), 'palaver-loadgen');
  execFileSync('go', ['build', '-o', binary, '.'], { cwd: join(repoRoot, 'bench', 'loadgen'), stdio: 'inherit' });
  return binary;
}

export class Loadgen {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<{ resolve(line: string): void; reject(error: Error): void }> = [];
  readonly pid: number;

  constructor(binary: string, openFiles: number) {
    // Its own open-file limit, raised for this process only (a connection is a descriptor).
    this.child = spawn('sh', ['-c', `ulimit -n ${openFiles} && exec ${binary}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid!;
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[loadgen] ${chunk.toString()}`));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.on('exit', (code, signal) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`the load generator exited (${signal ?? code})`));
    });
  }

  ask<C extends Command>(command: C): Promise<Reply<C>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: (line) => {
          const reply = JSON.parse(line) as Reply<C> & { error?: string };
          if (reply.error) reject(new Error(`loadgen ${command.cmd}: ${reply.error}`));
          else resolve(reply);
        },
        reject,
      });
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}
