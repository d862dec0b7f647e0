import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, invokeChannels, MAX_NOTIFICATION_LABEL, validateArgs, type NotificationRequest } from './ipc.ts';

const notification: NotificationRequest = { roomId: 'abcabcabcabc123', roomLabel: '#general', author: 'alice', direct: false, body: 'b' };

describe('validateArgs', () => {
  it('refuses bad payloads with an error naming the channel', () => {
    expect(() => validateArgs('server:set', ['http://evil;script-src'])).toThrow(InvalidPayloadError);
    expect(() => validateArgs('unread:set', [-1])).toThrow(/unread:set/);
    expect(() => validateArgs('notify:show', [{ ...notification, body: 'x'.repeat(501) }])).toThrow(/notify:show/);
    expect(validateArgs('notify:show', [notification])).toEqual([notification]);
  });

  it('takes a notification with room and author as fields, within limits', () => {
    expect(validateArgs('notify:show', [{ ...notification, roomLabel: 'Team — Ops', direct: true }])).toHaveLength(1);
    expect(validateArgs('notify:show', [{ ...notification, roomLabel: 'r'.repeat(MAX_NOTIFICATION_LABEL) }])).toHaveLength(1);
    const refused: unknown[] = [
      { ...notification, roomLabel: 'r'.repeat(MAX_NOTIFICATION_LABEL + 1) },
      { ...notification, author: 'a'.repeat(MAX_NOTIFICATION_LABEL + 1) },
      { ...notification, author: 42 },
      { ...notification, direct: 'false' },
      { roomId: notification.roomId, title: '#general — alice', body: 'hi' },
    ];
    for (const request of refused) {
      expect(() => validateArgs('notify:show', [request]), JSON.stringify(request).slice(0, 80)).toThrow(/notify:show: expects \{ roomId/);
    }
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
