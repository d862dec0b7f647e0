import { describe, expect, it, vi } from 'vitest';
import { invokeChannels, type InvokeChannel } from '../src-shared/ipc.ts';
import { registerIpcHandlers, sendEvent, type IpcHandlers, type IpcMainLike, type SenderEvent } from './ipc.ts';

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown;

/** A double of Electron's ipcMain: keeps handlers, refuses a second one per channel as Electron does. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(event: SenderEvent, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (listener === undefined) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  }
}

const TRUSTED: SenderEvent = { senderFrame: { url: 'app://palaver/index.html' } };

function setup() {
  const ipc = new FakeIpcMain();
  const handlers = {
    'vault:load': vi.fn(async (_server: string) => ({ value: 'stored', status: { persistent: true } })),
    'vault:save': vi.fn(async (_server: string, _serialized: string) => ({ persistent: true })),
    'vault:clear': vi.fn(async (_server: string) => {}),
    'servers:get': vi.fn(() => ({ list: { servers: [], active: null }, suggested: 'http://127.0.0.1:8090' })),
    'servers:add': vi.fn(async (url: string) => ({ servers: [{ url }], active: url })),
    'servers:remove': vi.fn(async (_url: string) => ({ servers: [], active: null })),
    'servers:activate': vi.fn(async (_url: string) => {}),
    'notify:show': vi.fn(() => {}),
    'unread:set': vi.fn((_count: number) => {}),
    'link:open': vi.fn(async (_url: string) => {}),
    'outbox:load': vi.fn((_scope: string) => []),
    'outbox:save': vi.fn((_scope: string, _entries: unknown[]) => {}),
    'outbox:put-file': vi.fn(async (_scope: string, _key: string, _bytes: Uint8Array) => {}),
    'outbox:get-file': vi.fn(async (_scope: string, _key: string) => new Uint8Array([1, 2, 3])),
    'download:file': vi.fn(async (_url: string, _name: string) => true),
    'updates:get': vi.fn(() => ({ enabled: true, status: null, supported: true })),
    'updates:set': vi.fn((_enabled: boolean) => {}),
    'presence:hints': vi.fn(() => ({ idleSeconds: 5, doNotDisturb: false })),
  } satisfies IpcHandlers;
  const isTrustedSender = (event: SenderEvent) => event.senderFrame?.url.startsWith('app://palaver/') === true;
  const dispose = registerIpcHandlers(ipc, handlers, isTrustedSender);
  return { ipc, handlers, dispose };
}

/** A valid call for every channel. */
const goodCalls: { [C in InvokeChannel]: unknown[] } = {
  'vault:load': ['https://chat.example.com'],
  'vault:save': ['https://chat.example.com', '{"token":"t"}'],
  'vault:clear': ['https://chat.example.com'],
  'servers:get': [],
  'servers:add': ['https://chat.example.com'],
  'servers:remove': ['https://chat.example.com'],
  'servers:activate': ['https://chat.example.com'],
  'notify:show': [{ roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'alice', direct: false, body: 'hi' }],
  'unread:set': [3],
  'link:open': ['https://example.com'],
  'outbox:load': ['abc123@http://127.0.0.1:8090'],
  'outbox:save': [
    'abc123@http://127.0.0.1:8090',
    [
      {
        id: 'abcdefghijklmno',
        room: 'roomroomroom123',
        text: 'hi',
        created: '2026-11-26 10:00:00.000Z',
        state: 'pending',
      },
    ],
  ],
  'outbox:put-file': ['abc123@http://127.0.0.1:8090', 'filefilefile001', new Uint8Array([1, 2, 3])],
  'outbox:get-file': ['abc123@http://127.0.0.1:8090', 'filefilefile001'],
  'download:file': ['http://127.0.0.1:8090/api/files/messages/abc/x.png?token=t', 'x.png'],
  'updates:get': [],
  'updates:set': [false],
  'presence:hints': [],
};

describe('registerIpcHandlers', () => {
  it('implements the whole contract: one handler per invoke channel, nothing else', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...invokeChannels].sort());
    expect(Object.keys(goodCalls).sort()).toEqual([...invokeChannels].sort());
  });

  it.each(invokeChannels)('%s: passes a good call through and returns the result', async (channel) => {
    const { ipc, handlers } = setup();
    const result = await ipc.invoke(TRUSTED, channel, ...goodCalls[channel]);
    expect(handlers[channel]).toHaveBeenCalledExactlyOnceWith(...goodCalls[channel]);
    if (channel === 'vault:load') expect(result).toEqual({ value: 'stored', status: { persistent: true } });
    if (channel === 'servers:get') expect(result).toMatchObject({ suggested: 'http://127.0.0.1:8090' });
    if (channel === 'outbox:get-file') expect(result).toEqual(new Uint8Array([1, 2, 3]));
    if (channel === 'download:file') expect(result).toBe(true);
    if (channel === 'updates:get') expect(result).toEqual({ enabled: true, status: null, supported: true });
  });

  describe.each(invokeChannels)('%s refuses untrusted senders without calling the handler', (channel) => {
    it.each([
      ['a null senderFrame', { senderFrame: null }],
      ['another origin', { senderFrame: { url: 'https://evil.example/' } }],
      ['a look-alike', { senderFrame: { url: 'app://palaver.evil/' } }],
      ['a file: page', { senderFrame: { url: 'file:///tmp/x.html' } }],
      [
        'a frame whose url getter throws',
        {
          get senderFrame(): { url: string } {
            throw new Error('Render frame was disposed');
          },
        },
      ],
    ])('%s', async (_what, event) => {
      const { ipc, handlers } = setup();
      await expect(ipc.invoke(event as SenderEvent, channel, ...goodCalls[channel])).rejects.toThrow(
        new RegExp(`${channel}.*untrusted sender`),
      );
      expect(handlers[channel]).not.toHaveBeenCalled();
    });
  });

  it.each([
    ['vault:load', []],
    ['vault:load', ['https://chat.example.com', 'extra']],
    ['vault:load', ['javascript:alert(1)']],
    ['vault:save', []],
    ['vault:save', [42]],
    ['vault:save', ['https://chat.example.com']],
    ['vault:save', ['https://chat.example.com', { token: 'x' }]],
    ['vault:save', ['https://chat.example.com', 'x'.repeat(64 * 1024 + 1)]],
    ['vault:save', ['{"token":"t"}', 'https://chat.example.com']],
    ['vault:clear', [true]],
    ['vault:clear', ['http://evil;script-src']],
    ['servers:get', [1]],
    ['servers:add', ['javascript:alert(1)']],
    ['servers:add', ['http://user:pw@host']],
    ['servers:add', ['file:///etc/passwd']],
    ['servers:add', ['not a url']],
    ['servers:add', [null]],
    ['servers:add', ['http://evil;script-src']],
    ['servers:remove', ['http://evil;script-src']],
    ['servers:activate', []],
    [
      'notify:show',
      [{ roomId: 'a1b2c3d4e5f6g7h', roomLabel: '#g', author: 'a', direct: false, body: 'b', server: 'http://evil;x' }],
    ],
    ['outbox:load', ['']],
    ['outbox:load', [{}]],
    ['outbox:save', ['a@x', 'not a list']],
    ['outbox:save', ['a@x', [{ id: 'NOT AN ID', room: 'r', text: 't', created: 'c', state: 'pending' }]]],
    [
      'outbox:save',
      [
        'a@x',
        [{ id: 'abcdefghijklmno', room: 'roomroomroom001', text: 'x'.repeat(8001), created: 'c', state: 'pending' }],
      ],
    ],
    [
      'outbox:save',
      ['a@x', [{ id: 'abcdefghijklmno', room: 'roomroomroom001', text: 't', created: 'c', state: 'sent' }]],
    ],
    [
      'outbox:save',
      [
        'a@x',
        Array.from({ length: 501 }, () => ({
          id: 'abcdefghijklmno',
          room: 'roomroomroom001',
          text: 't',
          created: 'c',
          state: 'pending',
        })),
      ],
    ],
    [
      'notify:show',
      [{ roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'alice', direct: false, body: 'y'.repeat(10_000) }],
    ],
    [
      'notify:show',
      [{ roomId: 'abcabcabcabc123', roomLabel: 't'.repeat(201), author: 'alice', direct: false, body: 'y' }],
    ],
    [
      'notify:show',
      [{ roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'a'.repeat(201), direct: false, body: 'y' }],
    ],
    ['notify:show', [{ roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'alice', direct: 'no', body: 'y' }]],
    ['notify:show', [{ roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'alice', body: 'y' }]],
    ['notify:show', [{ roomId: 'abcabcabcabc123', title: '#general — alice', body: 'y' }]],
    ['notify:show', [{ roomId: '../../etc', roomLabel: '#general', author: 'alice', direct: false, body: 'y' }]],
    ['notify:show', [{ roomId: 'ABC', roomLabel: '#general', author: 'alice', direct: false, body: 'y' }]],
    ['notify:show', [{ roomId: 'abc123', roomLabel: '#general', author: 'alice', direct: false, body: 'y' }]],
    ['outbox:save', ['a@x', [{ id: 'abcdefghijklmno', room: 'room1', text: 't', created: 'c', state: 'pending' }]]],
    ['notify:show', [{ roomLabel: '#general', author: 'alice', direct: false, body: 'y' }]],
    ['notify:show', [null]],
    ['notify:show', ['hello']],
    ['notify:show', []],
    ['unread:set', [-1]],
    ['unread:set', [1.5]],
    ['unread:set', ['3']],
    ['unread:set', [Number.NaN]],
    ['unread:set', [Number.POSITIVE_INFINITY]],
    ['unread:set', [1_000_001]],
    ['unread:set', []],
    ['link:open', [42]],
    ['link:open', ['x'.repeat(4097)]],
    ['link:open', []],
    ['outbox:put-file', ['a@x', '../../etc/passwd', new Uint8Array([1])]],
    ['outbox:put-file', ['a@x', 'filefilefile001']],
    ['outbox:put-file', ['a@x', 'filefilefile001', 'bytes as a string']],
    ['outbox:put-file', ['a@x', 'filefilefile001', [1, 2, 3]]],
    ['outbox:put-file', ['', 'filefilefile001', new Uint8Array([1])]],
    ['outbox:get-file', ['a@x', '..']],
    ['outbox:get-file', ['a@x', 'FILEFILEFILE001']],
    ['outbox:get-file', ['a@x', 'filefilefile001/..']],
    ['download:file', ['http://127.0.0.1:8090/api/files/x']],
    ['download:file', [42, 'x.png']],
    ['download:file', ['http://127.0.0.1:8090/api/files/x', 'x'.repeat(1001)]],
    ['updates:get', [true]],
    ['updates:set', []],
    ['updates:set', ['false']],
    ['updates:set', [0]],
    ['updates:set', [null]],
    ['updates:set', [{ enabled: true }]],
    ['updates:set', [true, true]],
  ] as Array<[InvokeChannel, unknown[]]>)('%s refuses the payload %j', async (channel, args) => {
    const { ipc, handlers } = setup();
    await expect(ipc.invoke(TRUSTED, channel, ...args)).rejects.toThrow(new RegExp(`IPC ${channel}:`));
    expect(handlers[channel]).not.toHaveBeenCalled();
  });

  it('propagates a handler failure to the caller', async () => {
    const { ipc, handlers } = setup();
    handlers['vault:clear'].mockRejectedValueOnce(new Error('disk full'));
    await expect(ipc.invoke(TRUSTED, 'vault:clear', 'https://chat.example.com')).rejects.toThrow('disk full');
  });

  it('can register again (dev reload) and dispose all handlers', () => {
    const { ipc, handlers, dispose } = setup();
    expect(() => registerIpcHandlers(ipc, handlers, () => true)).not.toThrow();
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('does not compile with a handler missing or taking other arguments (tsc checks this file)', () => {
    const { handlers } = setup();
    const { 'link:open': _dropped, ...incomplete } = handlers;
    // @ts-expect-error every declared channel needs its handler
    const missing: IpcHandlers = incomplete;
    // @ts-expect-error a handler takes the arguments its channel's check lets through
    const mistyped: IpcHandlers = { ...handlers, 'unread:set': (_count: string) => {} };
    expect([missing, mistyped]).toHaveLength(2);
  });

  it('refuses to register with a missing handler', () => {
    const { handlers } = setup();
    const incomplete = { ...handlers } as Partial<IpcHandlers>;
    delete incomplete['link:open'];
    expect(() => registerIpcHandlers(new FakeIpcMain(), incomplete as IpcHandlers, () => true)).toThrow(/link:open/);
  });
});

describe('sendEvent', () => {
  it('sends the payload as the only argument', () => {
    const send = vi.fn();
    sendEvent({ send }, 'room:open', { roomId: 'abc123' });
    expect(send).toHaveBeenCalledExactlyOnceWith('room:open', { roomId: 'abc123' });
  });
});
