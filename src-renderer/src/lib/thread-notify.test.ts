import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './history.ts';
import type { NotificationLevel } from './notification-levels.ts';
import { shouldNotify, type AttentionState } from './notification-policy.ts';
import type { ChatRoom } from './rooms.ts';
import { message } from './test-messages.ts';
import { countsAsUnread, replyMayNotify } from './thread-notify.ts';

const room = { id: 'r1', kind: 'private', members: ['me', 'bob', 'carol'], invited: [] } as unknown as ChatRoom;
const away: AttentionState = { selfId: 'me', openRoomId: null, windowFocused: false, conversationVisible: true };
const following = (followers: string[]) =>
  ({ id: 'root', threadInfo: { replies: 1, lastReplyAt: '', repliers: ['bob'], followers } }) as never;

function reply(followers: string[], extra: Partial<ChatMessage> = {}): ChatMessage {
  return message('t1', 5, {
    room: 'r1',
    user: 'bob',
    thread: 'root',
    expand: { thread: following(followers) },
    ...extra,
  });
}

describe('thread replies and the person', () => {
  it('notifies a follower at "mentions" and "all", never at "nothing"', () => {
    const levels = (level: NotificationLevel) => ({ ...away, levels: new Map([['r1', level]]) });
    expect(shouldNotify(reply(['me', 'bob']), room, levels('mentions'))).toBe(true);
    expect(shouldNotify(reply(['me', 'bob']), room, levels('all'))).toBe(true);
    expect(shouldNotify(reply(['me', 'bob']), room, levels('nothing'))).toBe(false);
    expect(shouldNotify(reply(['me'], { mentions: ['me'] }), room, levels('nothing'))).toBe(false);
  });

  it('leaves someone out of the thread alone unless it mentions them or they get everything of the room', () => {
    expect(shouldNotify(reply(['bob']), room, away)).toBe(false);
    expect(shouldNotify(reply(['bob'], { mentions: ['me'] }), room, away)).toBe(true);
    const all = { ...away, levels: new Map([['r1', 'all' as const]]) };
    expect(shouldNotify(reply(['bob']), room, all)).toBe(false);
    expect(shouldNotify(reply(['bob'], { alsoInRoom: true }), room, all)).toBe(true);
  });

  it('is quiet for one’s own reply, a blocked author, and the thread open before the person', () => {
    expect(shouldNotify(reply(['me'], { user: 'me' }), room, away)).toBe(false);
    expect(shouldNotify(reply(['me']), room, { ...away, blocked: new Set(['bob']) })).toBe(false);
    const reading = { ...away, windowFocused: true, openRoomId: 'r1', openThreadId: 'root' };
    expect(shouldNotify(reply(['me']), room, reading)).toBe(false);
    // Another thread open, or the window in the background: the reply is not in sight.
    expect(shouldNotify(reply(['me']), room, { ...reading, openThreadId: 'other' })).toBe(true);
    expect(shouldNotify(reply(['me']), room, { ...reading, windowFocused: false })).toBe(true);
    // The room in view: a reply kept to its thread is not there to see; one also sent to the room is.
    const inRoom = { ...reading, openThreadId: null };
    expect(shouldNotify(reply(['me']), room, inRoom)).toBe(true);
    expect(shouldNotify(reply(['me'], { alsoInRoom: true }), room, inRoom)).toBe(false);
  });

  it('counts a reply kept to its thread as unread only when it concerns the person', () => {
    expect(countsAsUnread(reply(['bob']), 'me')).toBe(false);
    expect(countsAsUnread(reply(['me', 'bob']), 'me')).toBe(true);
    expect(countsAsUnread(reply(['bob'], { mentions: ['me'] }), 'me')).toBe(true);
    expect(countsAsUnread(reply(['bob'], { alsoInRoom: true }), 'me')).toBe(true);
    expect(countsAsUnread(message('m1', 1), 'me')).toBe(true);
    // A reply whose event lost its root (an old client's cache) concerns nobody but those it mentions.
    expect(replyMayNotify(reply([], { expand: {} }), 'mentions', away, false)).toBe(false);
  });
});
