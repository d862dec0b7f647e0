import { describe, expect, it, vi } from 'vitest';
import type { NotificationRequest } from '../../../src-shared/ipc.ts';
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

  it('shows nothing without the permission', async () => {
    const { bridge } = fakeWindow();
    FakeNotification.permission = 'denied';
    await bridge.notify(request);
    expect(FakeNotification.shown).toEqual([]);
  });
});

describe('web bridge server address', () => {
  it('keeps an address written as main keeps it, and refuses what main refuses', async () => {
    const { win, bridge } = fakeWindow();
    expect(await bridge.server.get()).toBe('http://127.0.0.1:8090');
    await bridge.server.set('https://chat.example.com/');
    expect(await bridge.server.get()).toBe('https://chat.example.com');
    await expect(bridge.server.set('http://evil;script-src')).rejects.toThrow(/Not a server address/);
    win.localStorage.setItem('palaver:server', 'javascript:alert(1)');
    expect(await bridge.server.get()).toBe('http://127.0.0.1:8090');
  });
});
