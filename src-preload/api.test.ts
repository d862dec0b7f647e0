import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { eventChannels, invokeChannels, type PalaverBridge } from '../src-shared/ipc.ts';
import { createBridge, type IpcListener, type IpcRendererLike } from './api.ts';

class FakeIpcRenderer implements IpcRendererLike {
  readonly calls: Array<{ channel: string; args: unknown[] }> = [];
  readonly listeners = new Map<string, Set<IpcListener>>();
  invoke = vi.fn(async (channel: string, ...args: unknown[]) => {
    this.calls.push({ channel, args });
    return `result of ${channel}`;
  });
  on(channel: string, listener: IpcListener): void {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
  }
  removeListener(channel: string, listener: IpcListener): void {
    this.listeners.get(channel)?.delete(listener);
  }
  /** Delivers as ipcRenderer does: the IpcRendererEvent first, then the payload. */
  emit(channel: string, payload: unknown): void {
    const event = { sender: { secret: 'ipcRenderer itself' }, senderId: 0, ports: [] };
    for (const listener of this.listeners.get(channel) ?? []) listener(event, payload);
  }
  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

describe('createBridge', () => {
  it('has exactly the PalaverBridge shape', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expectTypeOf(bridge).toEqualTypeOf<PalaverBridge>();
    expect(Object.keys(bridge).sort()).toEqual(
      ['kind', 'vault', 'server', 'notify', 'setUnreadCount', 'openExternal', 'outbox', 'onOpenRoom', 'onSignOutRequested'].sort(),
    );
    expect(Object.keys(bridge.outbox).sort()).toEqual(['load', 'save']);
    expect(Object.keys(bridge.vault).sort()).toEqual(['clear', 'load', 'save']);
    expect(Object.keys(bridge.server).sort()).toEqual(['get', 'set']);
    expect(bridge.kind).toBe('electron');
    for (const fn of [
      bridge.vault.load,
      bridge.vault.save,
      bridge.vault.clear,
      bridge.server.get,
      bridge.server.set,
      bridge.notify,
      bridge.setUnreadCount,
      bridge.openExternal,
      bridge.outbox.load,
      bridge.outbox.save,
      bridge.onOpenRoom,
      bridge.onSignOutRequested,
    ]) {
      expect(typeof fn).toBe('function');
    }
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.vault)).toBe(true);
  });

  it('reaches every invoke channel, with the arguments given, and returns the result', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const request = { roomId: 'abc123', title: '#general — alice', body: 'hi' };
    expect(await bridge.vault.load()).toBe('result of vault:load');
    await bridge.vault.save('{"token":"t"}');
    await bridge.vault.clear();
    await bridge.server.get();
    await bridge.server.set('https://chat.example.com');
    await bridge.notify(request);
    await bridge.setUnreadCount(4);
    await bridge.openExternal('https://example.com');
    await bridge.outbox.load('u@x');
    await bridge.outbox.save('u@x', []);
    expect(ipc.calls).toEqual([
      { channel: 'vault:load', args: [] },
      { channel: 'vault:save', args: ['{"token":"t"}'] },
      { channel: 'vault:clear', args: [] },
      { channel: 'server:get', args: [] },
      { channel: 'server:set', args: ['https://chat.example.com'] },
      { channel: 'notify:show', args: [request] },
      { channel: 'unread:set', args: [4] },
      { channel: 'link:open', args: ['https://example.com'] },
      { channel: 'outbox:load', args: ['u@x'] },
      { channel: 'outbox:save', args: ['u@x', []] },
    ]);
    expect(new Set(ipc.calls.map((call) => call.channel))).toEqual(new Set(invokeChannels));
  });

  it('onOpenRoom passes only the room id, never the IpcRendererEvent, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    const unsubscribe = bridge.onOpenRoom(listener);
    ipc.emit('room:open', { roomId: 'abc123' });
    expect(listener).toHaveBeenCalledExactlyOnceWith('abc123');
    ipc.emit('room:open', { nope: true });
    ipc.emit('room:open', null);
    expect(listener).toHaveBeenCalledOnce();
    unsubscribe();
    unsubscribe();
    expect(ipc.count('room:open')).toBe(0);
    ipc.emit('room:open', { roomId: 'abc123' });
    expect(listener).toHaveBeenCalledOnce();
  });

  it('onSignOutRequested calls the listener with no arguments and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    const other = vi.fn();
    const unsubscribe = bridge.onSignOutRequested(listener);
    bridge.onSignOutRequested(other);
    ipc.emit('session:sign-out', {});
    expect(listener).toHaveBeenCalledExactlyOnceWith();
    unsubscribe();
    ipc.emit('session:sign-out', {});
    expect(listener).toHaveBeenCalledOnce();
    expect(other).toHaveBeenCalledTimes(2);
  });

  it('listens only on the contract event channels', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    bridge.onOpenRoom(() => {});
    bridge.onSignOutRequested(() => {});
    expect([...ipc.listeners.keys()].sort()).toEqual([...eventChannels].sort());
  });

  it('refuses a listener that is not a function', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expect(() => bridge.onOpenRoom('alert(1)' as never)).toThrow(TypeError);
    expect(() => bridge.onSignOutRequested(undefined as never)).toThrow(TypeError);
  });
});
