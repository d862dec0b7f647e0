import { describe, expect, it } from 'vitest';
import { RealtimeConnection, watchServerClock, type RealtimeLike } from './realtime-connection.svelte.ts';

/** The SDK's realtime service as far as the connection uses it; `fail` makes subscribing throw. */
class FakeRealtime implements RealtimeLike {
  subscribed: Array<{ topic: string; options?: Record<string, unknown> }> = [];
  callbacks = new Map<string, (data: unknown) => void>();
  unsubscribed = 0;
  fail = false;
  onDisconnect?: (active: string[]) => void;
  reconnectAttempts = 0;
  predefinedReconnectIntervals = [200, 300, 500];

  async subscribe(topic: string, callback: (data: unknown) => void, options?: Record<string, unknown>) {
    if (this.fail) throw new Error('connection refused');
    this.subscribed.push({ topic, options });
    this.callbacks.set(topic, callback);
    return async () => {
      this.unsubscribed += 1;
    };
  }
  async unsubscribe() {
    this.subscribed = [];
  }
}

function setup(connected: () => Promise<void> | void = () => undefined) {
  const realtime = new FakeRealtime();
  const timers: Array<{ run: () => void; ms: number }> = [];
  const events: string[] = [];
  let online = true;
  const connection = new RealtimeConnection({
    realtime,
    subscriptions: [
      { topic: 'palaver/messages', onEvent: () => events.push('message') },
      { topic: 'rooms/*', options: { expand: 'members' }, onEvent: () => events.push('room') },
    ],
    connected: () => {
      events.push('connected');
      return connected();
    },
    lost: () => events.push('lost'),
    online: () => online,
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => (timers.length = 0),
    now: () => 1_000,
  });
  return { realtime, timers, events, connection, setOnline: (value: boolean) => (online = value) };
}

describe('RealtimeConnection', () => {
  it('subscribes to every topic once with its options and says connected', async () => {
    const { realtime, connection, events } = setup();
    await connection.start();
    expect(realtime.subscribed.map((s) => s.topic)).toEqual(['PB_CONNECT', 'palaver/messages', 'rooms/*']);
    expect(realtime.subscribed[2]?.options).toEqual({ expand: 'members' });
    expect(connection.state).toEqual({ kind: 'connected' });
    expect(connection.up).toBe(true);
    realtime.callbacks.get('rooms/*')?.({});
    expect(events).toEqual(['connected', 'room']);
  });

  it('retries a first connection that never came up, on its own schedule, and says when', async () => {
    const { realtime, connection, timers } = setup();
    realtime.fail = true;
    await connection.start();
    expect(connection.state).toEqual({ kind: 'reconnecting', nextAttemptAt: 2_000, attempt: 1 });
    expect(timers.map((t) => t.ms)).toEqual([1_000]);
    realtime.fail = false;
    timers[0]!.run();
    await new Promise((r) => setTimeout(r, 0));
    expect(connection.state.kind).toBe('connected');
  });

  it('says "catching up" until the catch-up after a reconnect is done', async () => {
    let finish = () => undefined as void;
    const { realtime, connection, events } = setup(() => new Promise<void>((resolve) => (finish = resolve)));
    await connection.start();
    expect(connection.state.kind).toBe('catching-up');
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(connection.state.kind).toBe('connected');
    // Lost: once, with the SDK's own next attempt named.
    realtime.reconnectAttempts = 1;
    realtime.onDisconnect?.(['palaver/messages']);
    realtime.onDisconnect?.(['palaver/messages']);
    expect(events.filter((e) => e === 'lost')).toHaveLength(1);
    expect(connection.state).toEqual({ kind: 'reconnecting', nextAttemptAt: 1_300, attempt: 2 });
    // The SDK's PB_CONNECT after it resubscribed: connected again.
    realtime.callbacks.get('PB_CONNECT')?.({});
    expect(events.filter((e) => e === 'connected')).toHaveLength(2);
  });

  it('says offline at once when the network goes, and back when it returns', async () => {
    const { connection, setOnline } = setup();
    await connection.start();
    setOnline(false);
    connection.networkChanged(false);
    expect(connection.state.kind).toBe('offline');
    setOnline(true);
    connection.networkChanged(true);
    expect(connection.state.kind).toBe('connected');
  });

  it('ignores the disconnect of an unsubscribe-all and removes every subscription when stopped', async () => {
    const { realtime, connection, events, timers } = setup();
    await connection.start();
    realtime.onDisconnect?.([]);
    expect(events).not.toContain('lost');
    await connection.stop();
    expect(realtime.unsubscribed).toBe(3);
    expect(realtime.onDisconnect).toBeUndefined();
    expect(timers).toHaveLength(0);
  });
});

it('reads the server clock from every answer and hands the answer on unchanged', () => {
  const dates: Date[] = [];
  const client: { afterSend?: (response: Response, data: unknown) => unknown } = {
    afterSend: (_r, data) => ({ wrapped: data }),
  };
  const stop = watchServerClock(client, (date) => dates.push(date));
  const answer = new Response('{}', { headers: { date: 'Tue, 01 Dec 2026 10:00:00 GMT' } });
  expect(client.afterSend?.(answer, 1)).toEqual({ wrapped: 1 });
  expect(dates.map((d) => d.toISOString())).toEqual(['2026-12-01T10:00:00.000Z']);
  stop();
  expect(client.afterSend?.(answer, 2)).toEqual({ wrapped: 2 });
  expect(dates).toHaveLength(1);
});
