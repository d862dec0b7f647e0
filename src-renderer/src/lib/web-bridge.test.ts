import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NotificationRequest } from '../../../src-shared/ipc.ts';
import { attentionCases, burstShown, runThroughAlerts, tableBurst } from './test-attention-table.ts';
import { createWebBridge } from './web-bridge.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** The browser's Notification, as far as the bridge uses it: permission, and what was shown. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
}

function fakeWindow() {
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  const win = {
    document: { title: 'Palaver' },
    sessionStorage: new MemoryStorage(),
    localStorage: new MemoryStorage(),
    Notification: FakeNotification,
    focus: vi.fn(),
    open: vi.fn(),
  };
  return { win, bridge: createWebBridge('http://127.0.0.1:8090', win as unknown as Window) };
}

const request: NotificationRequest = {
  roomId: 'abcabcabcabc123',
  roomLabel: 'Team — Ops',
  author: 'alice',
  direct: false,
  body: 'hello',
};

afterEach(() => {
  vi.useRealTimers();
});

describe('web bridge notifications', () => {
  it('titles a notification from its room and author, as main does', async () => {
    const { bridge } = fakeWindow();
    await bridge.notify(request);
    await bridge.notify({ ...request, roomLabel: 'bob', author: 'bob', direct: true });
    expect(FakeNotification.shown.map((n) => [n.title, n.options.body, n.options.tag])).toEqual([
      ['Team — Ops — alice', 'hello', 'abcabcabcabc123'],
      ['bob', 'hello', 'abcabcabcabc123'],
    ]);
  });

  it('opens the room when the notification is clicked', async () => {
    const { win, bridge } = fakeWindow();
    const opened = vi.fn();
    bridge.onOpenRoom(opened);
    await bridge.notify(request);
    FakeNotification.shown[0]?.onclick?.();
    expect(opened).toHaveBeenCalledExactlyOnceWith('abcabcabcabc123');
    expect(win.focus).toHaveBeenCalled();
  });

  it('opens a thread reply’s thread with its room when that notification is clicked', async () => {
    const { bridge } = fakeWindow();
    const opened = vi.fn();
    bridge.onOpenRoom(opened);
    await bridge.notify({ ...request, threadId: 'rootrootroot123' });
    await bridge.notify(request);
    FakeNotification.shown[0]?.onclick?.();
    FakeNotification.shown[1]?.onclick?.();
    expect(opened.mock.calls).toEqual([['abcabcabcabc123', 'rootrootroot123'], ['abcabcabcabc123']]);
  });

  it('opens the room at the message of a notification shown alone, and a summary at none', async () => {
    vi.useFakeTimers();
    const { bridge } = fakeWindow();
    const opened = vi.fn();
    bridge.onOpenRoom(opened);
    await bridge.notify({ ...request, messageId: 'messagemessag11' });
    await bridge.notify({ ...request, threadId: 'rootrootroot123', messageId: 'messagemessag12' });
    for (let n = 3; n <= 5; n++) await bridge.notify({ ...request, messageId: `messagemessag1${n}` });
    await vi.advanceTimersByTimeAsync(1_500);
    FakeNotification.shown[0]?.onclick?.();
    FakeNotification.shown[1]?.onclick?.();
    FakeNotification.shown.at(-1)?.onclick?.();
    expect(opened.mock.calls).toEqual([
      ['abcabcabcabc123', undefined, 'messagemessag11'],
      ['abcabcabcabc123', 'rootrootroot123', 'messagemessag12'],
      ['abcabcabcabc123'],
    ]);
  });

  it('a summary of one thread’s replies opens their room, not the thread', async () => {
    vi.useFakeTimers();
    const { bridge } = fakeWindow();
    const opened = vi.fn();
    bridge.onOpenRoom(opened);
    for (let n = 1; n <= 5; n++) await bridge.notify({ ...request, threadId: 'rootrootroot123', body: `reply ${n}` });
    await vi.advanceTimersByTimeAsync(1_500);
    const summary = FakeNotification.shown.at(-1)!;
    expect(summary.options.body).toBe('2 more new messages in Team — Ops');
    summary.onclick?.();
    expect(opened.mock.calls).toEqual([['abcabcabcabc123']]);
  });

  it('folds a burst as main does: a few one by one, then one summary per window naming the busiest room', async () => {
    vi.useFakeTimers();
    const { win, bridge } = fakeWindow();
    const opened = vi.fn();
    bridge.onOpenRoom(opened);
    for (let n = 1; n <= 30; n++) await bridge.notify({ ...request, roomLabel: 'bob', direct: true, body: `dm ${n}` });
    expect(FakeNotification.shown.map((n) => n.options.body)).toEqual(['dm 1', 'dm 2', 'dm 3']);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(FakeNotification.shown).toHaveLength(4);
    const summary = FakeNotification.shown[3]!;
    expect([summary.title, summary.options.body]).toEqual(['Palaver', '27 more new messages in bob']);
    // A summary of one room opens it; the window that follows stays quiet unless the burst goes on.
    summary.onclick?.();
    expect(opened).toHaveBeenCalledExactlyOnceWith('abcabcabcabc123');
    expect(win.focus).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(FakeNotification.shown).toHaveLength(4);
    // After the burst, the next message is shown on its own again.
    await bridge.notify({ ...request, body: 'later' });
    expect(FakeNotification.shown.at(-1)?.options.body).toBe('later');
  });

  it('a summary of several rooms names them and opens none', async () => {
    vi.useFakeTimers();
    const { bridge } = fakeWindow();
    const opened = vi.fn();
    bridge.onOpenRoom(opened);
    for (let n = 1; n <= 5; n++) await bridge.notify({ ...request, body: `team ${n}` });
    await bridge.notify({ ...request, roomId: 'xyzxyzxyzxyz123', roomLabel: 'bob', body: 'dm' });
    await vi.advanceTimersByTimeAsync(1_500);
    const summary = FakeNotification.shown.at(-1)!;
    expect(summary.options).toMatchObject({
      body: '3 more new messages in Team — Ops and 1 other room',
      tag: 'palaver-summary',
    });
    summary.onclick?.();
    expect(opened).not.toHaveBeenCalled();
  });

  it('shows nothing without the permission', async () => {
    const { bridge } = fakeWindow();
    FakeNotification.permission = 'denied';
    await bridge.notify(request);
    expect(FakeNotification.shown).toEqual([]);
  });
});

// The policy table (test-attention-table.ts) through the real bridge: what MessageAlerts hands it is
// what the browser shows, titled as main titles it.
describe('web bridge notifications, for every kind of room and where the person is', () => {
  for (const test of attentionCases()) {
    it(`${test.name}: ${test.title ?? 'nothing shown'}`, async () => {
      const { bridge } = fakeWindow();
      for (const request of runThroughAlerts(test).requests) await bridge.notify(request);
      expect(FakeNotification.shown.map((n) => [n.title, n.options.body])).toEqual(
        test.title ? [[test.title, test.message.text]] : [],
      );
    });
  }

  it('folds the table’s notifications, arriving at once, as main does', async () => {
    vi.useFakeTimers();
    const { bridge } = fakeWindow();
    for (const request of tableBurst()) await bridge.notify(request);
    expect(FakeNotification.shown.map((n) => n.title)).toEqual(burstShown.singles);
    await vi.advanceTimersByTimeAsync(1_500);
    const summary = FakeNotification.shown.at(-1)!;
    expect({ title: summary.title, body: summary.options.body }).toEqual(burstShown.summary);
  });
});

describe('web bridge servers', () => {
  it('keeps addresses written as main keeps them, and refuses what main refuses', async () => {
    const { bridge } = fakeWindow();
    expect(await bridge.servers.get()).toEqual({
      list: { servers: [], active: null },
      suggested: 'http://127.0.0.1:8090',
    });
    await bridge.servers.add('https://chat.example.com/');
    expect((await bridge.servers.get()).list).toEqual({
      servers: [{ url: 'https://chat.example.com' }],
      active: 'https://chat.example.com',
    });
    await expect(bridge.servers.add('http://evil;script-src')).rejects.toThrow(/Not a server address/);
  });

  it('keeps each server’s token apart, for added servers only; removing one removes its token', async () => {
    const { win, bridge } = fakeWindow();
    await bridge.servers.add('https://a.example.com');
    await bridge.servers.add('http://127.0.0.1:8091');
    await bridge.vault.save('https://a.example.com', 'token-a');
    await bridge.vault.save('http://127.0.0.1:8091', 'token-b');
    expect((await bridge.vault.load('https://a.example.com')).value).toBe('token-a');
    await expect(bridge.vault.load('https://evil.example.com')).rejects.toThrow(/No server/);
    await bridge.servers.remove('https://a.example.com');
    expect([...win.sessionStorage.items.values()]).toEqual(['token-b']);
    expect((await bridge.servers.get()).list.active).toBe('http://127.0.0.1:8091');
  });

  it('a tab signed in before several servers stays signed in to its server', async () => {
    const { win } = fakeWindow();
    win.localStorage.setItem('palaver:server', 'https://chat.example.com');
    win.sessionStorage.setItem('palaver:auth', 'old-token');
    const bridge = createWebBridge('http://127.0.0.1:8090', win as unknown as Window);
    expect((await bridge.servers.get()).list).toEqual({
      servers: [{ url: 'https://chat.example.com' }],
      active: 'https://chat.example.com',
    });
    expect((await bridge.vault.load('https://chat.example.com')).value).toBe('old-token');
    expect(win.sessionStorage.getItem('palaver:auth')).toBeNull();
    // On the page's own server (none chosen), the same.
    const other = fakeWindow();
    other.win.sessionStorage.setItem('palaver:auth', 'default-token');
    const again = createWebBridge('http://127.0.0.1:8090', other.win as unknown as Window);
    expect((await again.vault.load('http://127.0.0.1:8090')).value).toBe('default-token');
  });
});
