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
      [
        'kind',
        'vault',
        'servers',
        'notify',
        'setUnreadCount',
        'openExternal',
        'outbox',
        'downloadFile',
        'updates',
        'presenceHints',
        'onOpenRoom',
        'onSignOutRequested',
      ].sort(),
    );
    expect(Object.keys(bridge.outbox).sort()).toEqual(['getFile', 'load', 'putFile', 'save']);
    expect(Object.keys(bridge.updates).sort()).toEqual(['get', 'set']);
    expect(Object.keys(bridge.vault).sort()).toEqual(['clear', 'load', 'save']);
    expect(Object.keys(bridge.servers).sort()).toEqual(['activate', 'add', 'get', 'remove']);
    expect(bridge.kind).toBe('electron');
    for (const fn of [
      bridge.vault.load,
      bridge.vault.save,
      bridge.vault.clear,
      bridge.servers.get,
      bridge.servers.add,
      bridge.servers.remove,
      bridge.servers.activate,
      bridge.notify,
      bridge.setUnreadCount,
      bridge.openExternal,
      bridge.outbox.load,
      bridge.outbox.save,
      bridge.outbox.putFile,
      bridge.outbox.getFile,
      bridge.downloadFile,
      bridge.updates.get,
      bridge.updates.set,
      bridge.presenceHints,
      bridge.onOpenRoom,
      bridge.onSignOutRequested,
    ]) {
      expect(typeof fn).toBe('function');
    }
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.vault)).toBe(true);
    expect(Object.isFrozen(bridge.updates)).toBe(true);
    expect(Object.isFrozen(bridge.outbox)).toBe(true);
  });

  it('reaches every invoke channel, with the arguments given, and returns the result', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const request = { roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'alice', direct: false, body: 'hi' };
    expect(await bridge.vault.load('https://chat.example.com')).toBe('result of vault:load');
    await bridge.vault.save('https://chat.example.com', '{"token":"t"}');
    await bridge.vault.clear('https://chat.example.com');
    await bridge.servers.get();
    await bridge.servers.add('https://chat.example.com');
    await bridge.servers.remove('https://chat.example.com');
    await bridge.servers.activate('https://chat.example.com');
    await bridge.notify(request);
    await bridge.setUnreadCount(4);
    await bridge.openExternal('https://example.com');
    await bridge.outbox.load('u@x');
    await bridge.outbox.save('u@x', []);
    const bytes = new Uint8Array([1, 2, 3]);
    await bridge.outbox.putFile('u@x', 'filefilefile001', bytes);
    await bridge.outbox.getFile('u@x', 'filefilefile001');
    await bridge.downloadFile('https://chat.example.com/api/files/m/r/a.png?token=t', 'a.png');
    await bridge.updates.get();
    await bridge.updates.set(false);
    await bridge.presenceHints();
    expect(ipc.calls).toEqual([
      { channel: 'vault:load', args: ['https://chat.example.com'] },
      { channel: 'vault:save', args: ['https://chat.example.com', '{"token":"t"}'] },
      { channel: 'vault:clear', args: ['https://chat.example.com'] },
      { channel: 'servers:get', args: [] },
      { channel: 'servers:add', args: ['https://chat.example.com'] },
      { channel: 'servers:remove', args: ['https://chat.example.com'] },
      { channel: 'servers:activate', args: ['https://chat.example.com'] },
      { channel: 'notify:show', args: [request] },
      { channel: 'unread:set', args: [4] },
      { channel: 'link:open', args: ['https://example.com'] },
      { channel: 'outbox:load', args: ['u@x'] },
      { channel: 'outbox:save', args: ['u@x', []] },
      { channel: 'outbox:put-file', args: ['u@x', 'filefilefile001', bytes] },
      { channel: 'outbox:get-file', args: ['u@x', 'filefilefile001'] },
      { channel: 'download:file', args: ['https://chat.example.com/api/files/m/r/a.png?token=t', 'a.png'] },
      { channel: 'updates:get', args: [] },
      { channel: 'updates:set', args: [false] },
      { channel: 'presence:hints', args: [] },
    ]);
    expect(new Set(ipc.calls.map((call) => call.channel))).toEqual(new Set(invokeChannels));
  });

  it('onOpenRoom passes only the room id, never the IpcRendererEvent, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    const other = vi.fn();
    const unsubscribe = bridge.onOpenRoom(listener);
    bridge.onOpenRoom(other);
    ipc.emit('room:open', { roomId: 'abc123' });
    expect(listener).toHaveBeenCalledExactlyOnceWith('abc123');
    expect(other).toHaveBeenCalledExactlyOnceWith('abc123');
    ipc.emit('room:open', { nope: true });
    ipc.emit('room:open', { roomId: 42 });
    ipc.emit('room:open', null);
    expect(listener).toHaveBeenCalledOnce();
    unsubscribe();
    unsubscribe();
    ipc.emit('room:open', { roomId: 'def456' });
    expect(listener).toHaveBeenCalledOnce();
    expect(other).toHaveBeenLastCalledWith('def456');
    // One ipcRenderer listener for the whole bridge, however many subscribe.
    expect(ipc.count('room:open')).toBe(1);
  });

  it('keeps a room asked for while nobody listens, and gives the newest to the first listener', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    ipc.emit('room:open', { roomId: 'older' });
    ipc.emit('room:open', { roomId: 'newest' });
    const first = vi.fn();
    const second = vi.fn();
    bridge.onOpenRoom(first);
    // Not during the call: the caller may still be setting up.
    expect(first).not.toHaveBeenCalled();
    bridge.onOpenRoom(second);
    await Promise.resolve();
    expect(first.mock.calls).toEqual([['newest']]);
    expect(second).not.toHaveBeenCalled();
  });

  it('passes a thread reply’s thread after its room, and a room alone without one', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    bridge.onOpenRoom(listener);
    ipc.emit('room:open', { roomId: 'abc123', threadId: 'root456' });
    ipc.emit('room:open', { roomId: 'abc123' });
    // A thread that is not a string is dropped; the room still opens.
    ipc.emit('room:open', { roomId: 'abc123', threadId: { toString: 'x' } });
    ipc.emit('room:open', { threadId: 'root456' });
    expect(listener.mock.calls).toEqual([['abc123', 'root456'], ['abc123'], ['abc123']]);
  });

  it('keeps the thread of a room asked for while nobody listens, and only the newest room’s', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    ipc.emit('room:open', { roomId: 'older', threadId: 'oldroot' });
    ipc.emit('room:open', { roomId: 'newest', threadId: 'newroot' });
    const leaving = vi.fn();
    bridge.onOpenRoom(leaving)();
    await Promise.resolve();
    const chat = vi.fn();
    bridge.onOpenRoom(chat);
    await Promise.resolve();
    expect(leaving).not.toHaveBeenCalled();
    expect(chat.mock.calls).toEqual([['newest', 'newroot']]);
    // A link (a room alone) after a thread's notification replaces it whole: no thread left over.
    const linkIpc = new FakeIpcRenderer();
    const linkBridge = createBridge(linkIpc);
    linkIpc.emit('room:open', { roomId: 'first', threadId: 'rootroot' });
    linkIpc.emit('room:open', { roomId: 'linked' });
    const later = vi.fn();
    linkBridge.onOpenRoom(later);
    await Promise.resolve();
    expect(later.mock.calls).toEqual([['linked']]);
  });

  it('passes the message a notification or a link names, after the thread (or its absence)', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    bridge.onOpenRoom(listener);
    ipc.emit('room:open', { roomId: 'abc123', messageId: 'msg789' });
    ipc.emit('room:open', { roomId: 'abc123', threadId: 'root456', messageId: 'msg789' });
    // A message that is not a string is dropped; the room (and its thread) still open.
    ipc.emit('room:open', { roomId: 'abc123', messageId: ['msg789'] });
    ipc.emit('room:open', { roomId: 'abc123', threadId: 'root456', messageId: 7 });
    expect(listener.mock.calls).toEqual([
      ['abc123', undefined, 'msg789'],
      ['abc123', 'root456', 'msg789'],
      ['abc123'],
      ['abc123', 'root456'],
    ]);
  });

  it('keeps the message of a room asked for while nobody listens; a later room alone replaces it whole', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    ipc.emit('room:open', { roomId: 'started', messageId: 'msg789' });
    const chat = vi.fn();
    bridge.onOpenRoom(chat);
    await Promise.resolve();
    expect(chat.mock.calls).toEqual([['started', undefined, 'msg789']]);
    const otherIpc = new FakeIpcRenderer();
    const replaced = createBridge(otherIpc);
    otherIpc.emit('room:open', { roomId: 'first', messageId: 'msg789' });
    otherIpc.emit('room:open', { roomId: 'linked' });
    const later = vi.fn();
    replaced.onOpenRoom(later);
    await Promise.resolve();
    expect(later.mock.calls).toEqual([['linked']]);
  });

  it('keeps a waiting room for the next listener when the first one leaves before it is delivered', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    ipc.emit('room:open', { roomId: 'abc123' });
    const leaving = vi.fn();
    bridge.onOpenRoom(leaving)();
    await Promise.resolve();
    expect(leaving).not.toHaveBeenCalled();
    const staying = vi.fn();
    bridge.onOpenRoom(staying);
    await Promise.resolve();
    expect(staying).toHaveBeenCalledExactlyOnceWith('abc123');
  });

  it('keeps a room that arrives after every listener left (signed out) for the next one', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const chat = vi.fn();
    bridge.onOpenRoom(chat)();
    ipc.emit('room:open', { roomId: 'abc123' });
    expect(chat).not.toHaveBeenCalled();
    const again = vi.fn();
    bridge.onOpenRoom(again);
    await Promise.resolve();
    expect(again).toHaveBeenCalledExactlyOnceWith('abc123');
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
