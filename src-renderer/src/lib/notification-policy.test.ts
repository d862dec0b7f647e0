import { describe, expect, it } from 'vitest';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatMessage } from './history.ts';
import { authorName, notificationFor, shorten, shouldNotify, type AttentionState } from './notification-policy.ts';

const room = (kind: RoomsRecord['kind'], id = 'r1', members = ['me', 'other']) =>
  ({ id, kind, name: 'x', members, owner: '' }) as unknown as RoomsRecord;
const message = (text: string, user = 'other', roomId = 'r1', mentions: string[] = []) =>
  ({ id: 'm', text, user, room: roomId, created: '', updated: '', mentions }) as ChatMessage;
const away: AttentionState = { selfId: 'me', openRoomId: null, windowFocused: false, conversationVisible: true };

describe('shouldNotify', () => {
  // Every kind of room the user can get a message from, as the client holds it.
  const rooms = {
    'public room joined': room('public', 'r1', ['me', 'other']),
    'public room not joined': room('public', 'r1', ['other']),
    'private room, member': room('private', 'r1', ['me', 'other']),
    'private room, only invited': room('private', 'r1', ['other']),
    'direct conversation': room('direct', 'r1', ['me', 'other']),
    'direct conversation, only invited': room('direct', 'r1', ['other']),
  } as const;
  // Where the user's attention is: that room open in a focused window, another room open in a focused
  // window, that room open but the window in the background (blurred or hidden), nothing open, and a
  // narrow window back on the room list with that room still open.
  const focus = {
    'looking at that room': { ...away, openRoomId: 'r1', windowFocused: true },
    'focused on another room': { ...away, openRoomId: 'r2', windowFocused: true },
    'that room open, window blurred or hidden': { ...away, openRoomId: 'r1', windowFocused: false },
    'window in the background, nothing open': away,
    'narrow window showing the room list, that room still open': {
      ...away,
      openRoomId: 'r1',
      windowFocused: true,
      conversationVisible: false,
    },
  } as const;
  const notifies: Record<keyof typeof rooms, boolean> = {
    'public room joined': false, // badges only
    'public room not joined': false,
    'private room, member': false, // badges only: a room notifies what mentions me, by default
    'private room, only invited': false,
    'direct conversation': true,
    'direct conversation, only invited': false,
  };

  for (const [kind, target] of Object.entries(rooms) as Array<[keyof typeof rooms, RoomsRecord]>) {
    for (const [where, state] of Object.entries(focus) as Array<[keyof typeof focus, AttentionState]>) {
      const expected = notifies[kind] && where !== 'looking at that room';
      it(`${kind}, ${where}: ${expected ? 'notifies' : 'stays quiet'}`, () => {
        expect(shouldNotify(message('hi'), target, state)).toBe(expected);
        // Never my own message, never someone I blocked, whatever the room and focus.
        expect(shouldNotify(message('hi', 'me'), target, state)).toBe(false);
        expect(shouldNotify(message('hi'), target, { ...state, blocked: new Set(['other']) })).toBe(false);
      });
    }
  }

  it('a blocked author is silenced alone: someone else in the same room still notifies', () => {
    const blocked = { ...away, blocked: new Set(['other']) };
    expect(shouldNotify(message('hi @me', 'third', 'r1', ['me']), room('private'), blocked)).toBe(true);
  });

  it('obeys the room’s level: a mention in a room notifies; a stored level wins over the default', () => {
    const mention = message('hi @me', 'other', 'r1', ['me']);
    for (const kind of ['public', 'private', 'direct'] as const) {
      const target = room(kind);
      expect(shouldNotify(mention, target, away)).toBe(true);
      expect(shouldNotify(message('hi'), target, { ...away, levels: new Map([['r1', 'all']]) })).toBe(true);
      expect(shouldNotify(mention, target, { ...away, levels: new Map([['r1', 'nothing']]) })).toBe(false);
    }
    expect(shouldNotify(message('hi'), room('direct'), { ...away, levels: new Map([['r1', 'mentions']]) })).toBe(false);
    // Someone else's mention is not mine; nor is my name in a message whose server list leaves me out.
    expect(shouldNotify(message('hi @me', 'other', 'r1', ['them']), room('private'), away)).toBe(false);
    // Looking at the room still wins.
    expect(shouldNotify(mention, room('private'), { ...away, openRoomId: 'r1', windowFocused: true })).toBe(false);
  });

  it('not for a room I do not know', () => {
    expect(shouldNotify(message('hi'), undefined, away)).toBe(false);
  });

  it('a room someone else just made, with me invited, does not notify its first messages', () => {
    const made = room('private', 'r9', ['maker']);
    expect(shouldNotify(message('welcome', 'maker', 'r9'), made, away)).toBe(false);
    expect(shouldNotify(message('hello all', 'maker', 'r9'), room('public', 'r9', ['maker']), away)).toBe(false);
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

  it('says "sent an image" for a message of only an image, and keeps the text when there is some', () => {
    const image = {
      ...message(''),
      attachments: ['cat_abc.png'],
      attachmentInfo: { 'cat_abc.png': { name: 'cat.png', size: 9, type: 'image/png', width: 2, height: 2 } },
    };
    expect(notificationFor(image, 'bob', 'bob', true).body).toBe('sent an image');
    expect(notificationFor({ ...image, text: 'look' }, 'bob', 'bob', true).body).toBe('look');
  });

  it('names a reply’s thread, so a click opens it; a message of the room names none', () => {
    const reply = { ...message('the noodle place?'), thread: 'rootrootroot123' };
    expect(notificationFor(reply, '#general', 'bob', false)).toEqual({
      roomId: 'r1',
      roomLabel: '#general',
      author: 'bob',
      direct: false,
      body: 'In a thread: the noodle place?',
      threadId: 'rootrootroot123',
    });
    // Also sent to the room, it is still a reply of its thread: the click opens the thread.
    expect(notificationFor({ ...reply, alsoInRoom: true }, '#general', 'bob', false).threadId).toBe('rootrootroot123');
    expect(notificationFor(message('hi'), '#general', 'bob', false)).not.toHaveProperty('threadId');
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
