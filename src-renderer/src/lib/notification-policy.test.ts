import { describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatMessage } from './history.ts';
import { authorName, notificationFor, shorten, shouldNotify, type AttentionState } from './notification-policy.ts';

const room = (kind: RoomsRecord['kind'], id = 'r1', members = ['me', 'other']) =>
  ({ id, kind, name: 'x', members, owner: '' }) as unknown as RoomsRecord;
const message = (text: string, user = 'other', roomId = 'r1') =>
  ({ id: 'm', text, user, room: roomId, created: '', updated: '' }) as ChatMessage;
const away: AttentionState = { selfId: 'me', openRoomId: null, windowFocused: false };

describe('shouldNotify', () => {
  it('never for someone the user blocked, in any room', () => {
    const blocked = { ...away, blocked: new Set(['other']) };
    expect(shouldNotify(message('hi'), room('direct'), blocked)).toBe(false);
    expect(shouldNotify(message('hi all'), room('public'), blocked)).toBe(false);
    expect(shouldNotify(message('hi', 'third'), room('private'), blocked)).toBe(true);
  });

  it('never for a room the user was only invited to', () => {
    expect(shouldNotify(message('hi'), room('private', 'r1', ['other']), away)).toBe(false);
    expect(shouldNotify(message('hi'), room('direct', 'r1', ['other']), away)).toBe(false);
    // Public rooms are read without being a member.
    expect(shouldNotify(message('hi'), room('public', 'r1', []), away)).toBe(true);
  });

  it('never for my own messages', () => {
    expect(shouldNotify(message('hi', 'me'), room('direct'), away)).toBe(false);
  });

  it('not when I am looking at that room in a focused window', () => {
    expect(shouldNotify(message('hi'), room('direct'), { ...away, openRoomId: 'r1', windowFocused: true })).toBe(false);
  });

  it('yes when the window is in the background even with the room open, or another room is open', () => {
    expect(shouldNotify(message('hi'), room('private'), { ...away, openRoomId: 'r1', windowFocused: false })).toBe(
      true,
    );
    expect(shouldNotify(message('hi'), room('direct'), { ...away, openRoomId: 'r2', windowFocused: true })).toBe(true);
  });

  it('in public rooms as in private ones', () => {
    expect(shouldNotify(message('hello all'), room('public'), away)).toBe(true);
    expect(shouldNotify(message('hello all'), room('public'), { ...away, openRoomId: 'r1', windowFocused: true })).toBe(
      false,
    );
  });

  it('not for a room I do not know', () => {
    expect(shouldNotify(message('hi'), undefined, away)).toBe(false);
  });
});

describe('notification request', () => {
  it('carries room and author as fields, with the text shortened to one line', () => {
    const long = `${'word '.repeat(60)}end`;
    const request = notificationFor(message(long), '#general', 'bob', false);
    expect(request).toMatchObject({ roomId: 'r1', roomLabel: '#general', author: 'bob', direct: false });
    expect([...request.body].length).toBeLessThanOrEqual(140);
    expect(request.body.endsWith('…')).toBe(true);
    expect(notificationFor(message('a\n\nb'), 'bob', 'bob', true)).toEqual({
      roomId: 'r1',
      roomLabel: 'bob',
      author: 'bob',
      direct: true,
      body: 'a b',
    });
    expect(shorten('short')).toBe('short');
  });

  it('passes a room name containing " — " through whole', () => {
    expect(notificationFor(message('hi'), 'Team — Ops', 'alice', false)).toMatchObject({
      roomLabel: 'Team — Ops',
      author: 'alice',
    });
  });
});

describe('the author a notification names', () => {
  const by = (user: { username: string; name: string } | undefined) =>
    ({ ...message('hi'), expand: user ? { user: { id: 'other', ...user } } : undefined }) as unknown as ChatMessage;

  it('is the name with the username, so someone who took a friend’s name is told apart', () => {
    expect(authorName(by({ username: 'bob', name: 'Bob' }))).toBe('Bob (@bob)');
    expect(authorName(by({ username: 'mallory', name: 'Bob' }))).toBe('Bob (@mallory)');
    expect(authorName(by({ username: 'carol', name: '' }))).toBe('carol');
    expect(authorName(by(undefined))).toBe('Someone');
  });
});
