// Realtime connections without the SDK, for load generators (bench/presence-worker.ts): a plain `http`
// request per SSE connection and a small parser, so one Node process holds thousands of them.
import { request, type IncomingMessage } from 'node:http';

export interface SseConnection {
  clientId: string;
  response: IncomingMessage;
  close(): void;
}

/**
 * Opens one realtime connection and resolves with its client id (PB_CONNECT). `onEvent` gets every later
 * event's name and data.
 */
export function openSse(url: string, onEvent: (name: string, data: string) => void): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/realtime`, { headers: { accept: 'text/event-stream' } });
    req.on('error', reject);
    req.on('response', (response) => {
      if (response.statusCode !== 200) return reject(new Error(`realtime connect: HTTP ${response.statusCode}`));
      response.setEncoding('utf8');
      let buffer = '';
      let connected = false;
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = '';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (!connected && name === 'PB_CONNECT') {
            connected = true;
            const clientId = String((JSON.parse(data) as { clientId?: unknown }).clientId ?? '');
            resolve({ clientId, response, close: () => req.destroy() });
          } else if (name) onEvent(name, data);
        }
      });
      response.on('error', () => undefined);
    });
    req.end();
  });
}

/** Sets a connection's subscriptions, signed in with `token` (what the SDK does after PB_CONNECT). */
export function subscribe(url: string, clientId: string, token: string, topics: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ clientId, subscriptions: topics });
    const req = request(`${url}/api/realtime`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token, 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 204 ? resolve() : reject(new Error(`subscribe: HTTP ${response.statusCode}`)),
      );
    });
    req.end(body);
  });
}

/** Runs `task` for 0..count-1, `concurrency` at a time. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * The presence changes an event carries, as "<user>|<status>": from palaver/presence (one change, or a
 * burst's list of them) or from a record event.
 */
export function eventKeys(data: string): string[] {
  type Change = { user?: unknown; status?: unknown; record?: { user?: unknown; status?: unknown } };
  try {
    const parsed = JSON.parse(data) as Change | Change[];
    return (Array.isArray(parsed) ? parsed : [parsed]).map((change) => {
      const source = change.record ?? change;
      return `${String(source.user)}|${String(source.status)}`;
    });
  } catch {
    return [];
  }
}
