// The floor an upload is compared with: a plain Node HTTP server on loopback that streams each request
// body into a new file on disk and answers with its length. No parsing, no database, no checks: what
// the disk and loopback do for the same bytes. It runs in its own process, as PocketBase does, so that
// it does not share an event loop with the client sending to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PlainUploadServer {
  url: string;
  stop(): Promise<void>;
}

const SERVE_FLAG = '--serve-into';

/** Starts the floor server in a child process, writing into a fresh temporary directory. */
export async function startPlainUploadServer(): Promise<PlainUploadServer> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-plain-upload-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), SERVE_FLAG, dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the plain upload server exited with code ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`the plain upload server did not start within 20 s: ${out}`)), 20_000).unref();
  });
  return {
    url: `http://127.0.0.1:${port}/upload`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function serve(dir: string): void {
  let n = 0;
  const server = createServer((req, res) => {
    const out = createWriteStream(join(dir, `upload-${++n}`));
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.pipe(out);
    out.on('finish', () => res.end(JSON.stringify({ bytes })));
    out.on('error', (error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening on ${(server.address() as AddressInfo).port}`));
  // Kept-alive sockets would hold a graceful close open: nothing is in flight when the benchmark stops it.
  process.on('SIGTERM', () => process.exit(0));
}

const flag = process.argv.indexOf(SERVE_FLAG);
if (flag >= 0 && process.argv[1] === fileURLToPath(import.meta.url)) serve(process.argv[flag + 1]!);
