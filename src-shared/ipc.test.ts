import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  bridgeLayout,
  channel,
  exactly,
  InvalidPayloadError,
  invoke,
  invokeChannels,
  MAX_NOTIFICATION_LABEL,
  noArgs,
  roomOpenArguments,
  validateArgs,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  type NotificationRequest,
  type OutboxEntry,
  type VaultLoadResult,
} from './ipc.ts';

const notification: NotificationRequest = {
  roomId: 'abcabcabcabc123',
  roomLabel: '#general',
  author: 'alice',
  direct: false,
  body: 'b',
};

describe('validateArgs', () => {
  it('refuses bad payloads with an error naming the channel', () => {
    expect(() => validateArgs('servers:add', ['http://evil;script-src'])).toThrow(InvalidPayloadError);
    expect(() => validateArgs('unread:set', [-1])).toThrow(/unread:set/);
    expect(() => validateArgs('notify:show', [{ ...notification, body: 'x'.repeat(501) }])).toThrow(/notify:show/);
    expect(validateArgs('notify:show', [notification])).toEqual([notification]);
  });

  it('takes a notification with room and author as fields, within limits', () => {
    expect(validateArgs('notify:show', [{ ...notification, roomLabel: 'Team — Ops', direct: true }])).toHaveLength(1);
    expect(
      validateArgs('notify:show', [{ ...notification, roomLabel: 'r'.repeat(MAX_NOTIFICATION_LABEL) }]),
    ).toHaveLength(1);
    const refused: unknown[] = [
      { ...notification, roomLabel: 'r'.repeat(MAX_NOTIFICATION_LABEL + 1) },
      { ...notification, author: 'a'.repeat(MAX_NOTIFICATION_LABEL + 1) },
      { ...notification, author: 42 },
      { ...notification, direct: 'false' },
      { roomId: notification.roomId, title: '#general — alice', body: 'hi' },
    ];
    for (const request of refused) {
      expect(() => validateArgs('notify:show', [request]), JSON.stringify(request).slice(0, 80)).toThrow(
        /notify:show: expects \{ roomId/,
      );
    }
  });

  it('takes a thread reply’s notification naming its thread by record id, and nothing else there', () => {
    const reply = { ...notification, threadId: 'rootrootroot123' };
    expect(validateArgs('notify:show', [reply])).toEqual([reply]);
    const refused: unknown[] = [
      { ...notification, threadId: '' },
      { ...notification, threadId: 'ROOTROOTROOT123' },
      { ...notification, threadId: 'rootrootroot1234' },
      { ...notification, threadId: '../../rooms/x1' },
      { ...notification, threadId: 42 },
      { ...notification, threadId: null },
      { ...notification, threadId: ['rootrootroot123'] },
      // The thread does not make up for a malformed rest.
      { ...notification, threadId: 'rootrootroot123', roomId: 'nope' },
      { ...notification, threadId: 'rootrootroot123', body: 'x'.repeat(501) },
    ];
    for (const request of refused) {
      expect(() => validateArgs('notify:show', [request]), JSON.stringify(request).slice(0, 120)).toThrow(
        /notify:show: expects \{ roomId.*threadId\? \(a record id\)/,
      );
    }
  });
});

describe('a notification’s message and the room to open', () => {
  it('takes a notification naming its message by record id, and nothing else there', () => {
    const one = { ...notification, messageId: 'messagemessag12' };
    expect(validateArgs('notify:show', [one])).toEqual([one]);
    const inThread = { ...one, threadId: 'rootrootroot123' };
    expect(validateArgs('notify:show', [inThread])).toEqual([inThread]);
    const refused: unknown[] = [
      { ...notification, messageId: '' },
      { ...notification, messageId: 'MESSAGEMESSAG12' },
      { ...notification, messageId: 'messagemessag123' },
      { ...notification, messageId: 'messagemessag1/' },
      { ...notification, messageId: '../messages/x12' },
      { ...notification, messageId: 'message%20ssa12' },
      { ...notification, messageId: 7 },
      { ...notification, messageId: null },
      { ...notification, messageId: { id: 'messagemessag12' } },
      { ...notification, messageId: 'messagemessag12', threadId: 'no' },
    ];
    for (const request of refused) {
      expect(() => validateArgs('notify:show', [request]), JSON.stringify(request).slice(0, 120)).toThrow(
        /notify:show: expects \{ roomId.*messageId\? \(a record id\)/,
      );
    }
  });

  it('passes onOpenRoom only what was asked for', () => {
    expect(roomOpenArguments({ roomId: 'r' })).toEqual(['r']);
    expect(roomOpenArguments({ roomId: 'r', threadId: 't' })).toEqual(['r', 't']);
    expect(roomOpenArguments({ roomId: 'r', messageId: 'm' })).toEqual(['r', undefined, 'm']);
    expect(roomOpenArguments({ roomId: 'r', threadId: 't', messageId: 'm' })).toEqual(['r', 't', 'm']);
  });
});

describe('validateArgs for updates', () => {
  it('accepts updates:get with no arguments and updates:set with one boolean', () => {
    expect(validateArgs('updates:get', [])).toEqual([]);
    expect(validateArgs('updates:set', [true])).toEqual([true]);
    expect(validateArgs('updates:set', [false])).toEqual([false]);
  });

  it('refuses updates:get with arguments', () => {
    for (const args of [[true], [undefined], [{}]]) {
      expect(() => validateArgs('updates:get', args), JSON.stringify(args)).toThrow(/updates:get: takes no arguments/);
    }
  });

  it('refuses updates:set with anything but exactly one boolean', () => {
    const refused: unknown[][] = [
      [],
      [true, true],
      [false, 'extra'],
      ['true'],
      ['false'],
      [0],
      [1],
      [null],
      [undefined],
      [{ enabled: true }],
      [[true]],
      [new Boolean(false)],
      [Object.create(null)],
    ];
    for (const args of refused) {
      expect(() => validateArgs('updates:set', args), `case ${refused.indexOf(args)}`).toThrow(InvalidPayloadError);
    }
    expect(() => validateArgs('updates:set', ['yes'])).toThrow(/updates:set: expects one boolean/);
  });

  it('lists both channels in the contract', () => {
    expect(invokeChannels).toContain('updates:get');
    expect(invokeChannels).toContain('updates:set');
  });
});

describe('validateArgs for presence:hints', () => {
  it('takes no arguments: the renderer only asks', () => {
    expect(validateArgs('presence:hints', [])).toEqual([]);
    for (const args of [[600], [{ idleSeconds: 0 }], [undefined]]) {
      expect(() => validateArgs('presence:hints', args), JSON.stringify(args)).toThrow(
        /presence:hints: takes no arguments/,
      );
    }
  });
});

describe('the channel declaration', () => {
  it('does not compile without a check, or with a check for other arguments (tsc checks this file)', () => {
    const declareWrongly = () => [
      // @ts-expect-error a channel without the check of its arguments
      channel<[url: string], void>(),
      // @ts-expect-error a check of no arguments for a channel that takes one
      channel<[url: string], void>(noArgs),
      // @ts-expect-error a check that lets through more than the channel declares
      channel<[count: number], void>(exactly('expects anything', (_value: unknown): _value is unknown => true)),
    ];
    // And at run time, for a declaration that slipped past the compiler.
    expect(declareWrongly).toThrow(/needs the check of its arguments/);
    expect(() => channel<[], void>(Object.assign(() => true, {}) as never)).toThrow(TypeError);
  });

  it('gives handlers and the bridge the declared argument and result types', () => {
    expectTypeOf<InvokeArgs<'outbox:save'>>().toEqualTypeOf<[scope: string, entries: OutboxEntry[]]>();
    expectTypeOf<InvokeArgs<'vault:load'>>().toEqualTypeOf<[server: string]>();
    expectTypeOf<InvokeResult<'vault:load'>>().toEqualTypeOf<VaultLoadResult>();
    expectTypeOf<InvokeResult<'notify:show'>>().toEqualTypeOf<void>();
  });

  it('lists every declared channel, each with a check and a place on the bridge', () => {
    expect(invokeChannels).toEqual(Object.keys(invoke));
    const onBridge = (layout: object): string[] =>
      Object.values(layout).flatMap((entry) => (typeof entry === 'string' ? [entry] : onBridge(entry as object)));
    expect(onBridge(bridgeLayout).sort()).toEqual([...invokeChannels].sort());
    for (const name of invokeChannels) expect(typeof invoke[name].check.rule, name).toBe('string');
  });

  it('refuses a channel that is not declared, including names every object has', () => {
    for (const name of ['nope:nope', 'toString', '__proto__', 'constructor']) {
      expect(() => validateArgs(name as InvokeChannel, []), name).toThrow(
        new RegExp(`IPC ${name}: is not a channel of the contract`),
      );
    }
  });
});
