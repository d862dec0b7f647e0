import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors.ts';
import { PAGE_SIZE, type ChatMessage } from './history.ts';
import {
  anchorOf,
  firstSight,
  messageUnavailableMessage,
  openAsked,
  openHistory,
  openMessage,
  type MessageJumpChat,
} from './message-jump.ts';
import { NotInRoom } from './room-history-parts.ts';
import { RoomHistories, type RoomHistory } from './room-history.svelte.ts';
import { MemoryMessages, message, notFound, timeline } from './test-messages.ts';
import { Threads } from './threads.svelte.ts';

const unreachable = () => new ClientResponseError({ status: 0, response: {} });

/** The chat as lib/message-jump.ts sees it, opening rooms the way Chat.showRoom does (openHistory). */
function chatWith(messages: ChatMessage[]) {
  const server = new MemoryMessages(messages);
  const problem = (_error: unknown, action: string) => `Could not ${action}`;
  const rooms = new RoomHistories({ pages: server, seen: () => undefined, problem });
  const threads = new Threads({ pages: server.threadPages(), seen: () => undefined, problem });
  const chat = {
    openRoomId: null as string | null,
    roomNotice: '',
    threads,
    rooms,
    server,
    openable: new Set(['r1', 'r2']),
    get history(): RoomHistory | undefined {
      return chat.openRoomId ? rooms.get(chat.openRoomId) : undefined;
    },
    async openRoomById(roomId: string): Promise<void> {
      if (await chat.showRoom(roomId)) chat.roomNotice = '';
    },
    async showRoom(roomId: string, around?: string): Promise<boolean> {
      if (!chat.openable.has(roomId)) {
        chat.roomNotice = 'That room is not available to you.';
        return false;
      }
      chat.openRoomId = roomId;
      const missed = await openHistory(rooms.of(roomId), around, 'http://127.0.0.1:8090');
      if (around) chat.roomNotice = missed;
      return !missed;
    },
  } satisfies MessageJumpChat & Record<string, unknown>;
  return chat;
}

const ids = (messages: readonly ChatMessage[] | undefined) => (messages ?? []).map((m) => m.id);

describe('opening a conversation at one message', () => {
  it('loads the room around the message, never its newest page first, and lands on it', async () => {
    const room = timeline(200);
    const chat = chatWith(room);
    expect(await openMessage(chat, { room: 'r1', id: 'm0050' })).toBe(true);
    expect(chat.openRoomId).toBe('r1');
    const history = chat.history!;
    expect(history.landed?.id).toBe('m0050');
    expect(history.lastChange).toBe('around');
    expect(ids(history.messages)).toEqual(ids(room.slice(50 - PAGE_SIZE / 2, 51 + PAGE_SIZE / 2)));
    expect(history.hasNewer).toBe(true); // "Jump to present" is offered
    // The message and a page either side: nothing else was asked of the server.
    expect(chat.server.requests).toBe(3);
    expect(chat.roomNotice).toBe('');
  });

  it('only lands on a message the window holds already, once per jump even to the same message', async () => {
    const chat = chatWith(timeline(200));
    await chat.openRoomById('r1');
    const requests = chat.server.requests;
    const held = chat.history!.messages;
    expect(await openMessage(chat, { room: 'r1', id: 'm0190' })).toBe(true);
    const first = chat.history!.landed;
    expect(first?.id).toBe('m0190');
    expect(await openMessage(chat, { room: 'r1', id: 'm0190' })).toBe(true);
    expect(chat.history!.landed).not.toBe(first);
    expect(chat.history!.messages).toBe(held);
    expect(chat.server.requests).toBe(requests);
  });

  it('says a deleted message is not available, and opens the room at its newest instead', async () => {
    const chat = chatWith(timeline(80));
    expect(await openMessage(chat, { room: 'r1', id: 'gonegonegone123' })).toBe(false);
    expect(chat.roomNotice).toMatch(/That message is not available to you/);
    expect(chat.openRoomId).toBe('r1');
    const history = chat.history!;
    expect(history.loaded).toBe(true);
    expect(history.messages.at(-1)?.id).toBe('m0079');
    expect(history.error).toBe(''); // said once, in the notice
    // The next room chosen from the list takes the notice away.
    await chat.openRoomById('r2');
    expect(chat.roomNotice).toBe('');
  });

  it('refuses a message of another room than the one named, and keeps a window already held', async () => {
    const chat = chatWith([...timeline(80), message('other', 500, { room: 'r2' })]);
    await chat.openRoomById('r1');
    const held = chat.history!.messages;
    expect(await openMessage(chat, { room: 'r1', id: 'other' })).toBe(false);
    expect(chat.roomNotice).toMatch(/not available/);
    expect(chat.history!.messages).toBe(held);
  });

  it('opens nothing when the room cannot be had', async () => {
    const chat = chatWith(timeline(10));
    chat.openable.delete('r1');
    expect(await openMessage(chat, { room: 'r1', id: 'm0003' })).toBe(false);
    expect(chat.openRoomId).toBeNull();
    expect(chat.roomNotice).toMatch(/room is not available/);
  });

  it('opens a thread reply as its root in the room, and the thread beside it landed on the reply', async () => {
    const room = timeline(150);
    const root = message('rootrootroot123', 40.5);
    const replies = [1, 2, 3].map((n) => message(`reply${n}`, 41 + n / 10, { thread: root.id, user: 'u2' }));
    const chat = chatWith([...room, root, ...replies]);
    expect(await openMessage(chat, { room: 'r1', id: 'reply2', thread: root.id })).toBe(true);
    expect(chat.history!.landed?.id).toBe(root.id);
    expect(chat.threads.rootId).toBe(root.id);
    expect(chat.threads.root).toBe(chat.history!.messages.find((m) => m.id === root.id));
    expect(chat.threads.history!.landed?.id).toBe('reply2');
  });

  it('opens a reply named without its thread (a link) as the search would: its root, then the thread', async () => {
    const root = message('rootrootroot123', 40.5);
    const reply = message('replyreplyrep12', 41, { thread: root.id, user: 'u2' });
    const chat = chatWith([...timeline(150), root, reply]);
    expect(await openMessage(chat, { room: 'r1', id: reply.id })).toBe(true);
    expect(chat.history!.landed).toEqual({ id: root.id, reply: reply.id });
    expect(chat.history!.messages.some((m) => m.id === reply.id)).toBe(false);
    expect(chat.threads.rootId).toBe(root.id);
    expect(chat.threads.history!.landed?.id).toBe(reply.id);
    // One also sent to the room stands in the room's list: no thread opens.
    chat.threads.close();
    const both = message('bothbothboth123', 200, { thread: root.id, alsoInRoom: true });
    chat.server.messages.push(both);
    expect(await openMessage(chat, { room: 'r1', id: both.id })).toBe(true);
    expect(chat.history!.landed).toEqual({ id: both.id });
    expect(chat.threads.rootId).toBeNull();
  });

  it('loads the thread around a reply further back than its first page, and lands on it', async () => {
    const root = message('rootrootroot123', 40.5);
    const replies = Array.from({ length: PAGE_SIZE * 2 }, (_, n) =>
      message(`reply${String(n).padStart(3, '0')}`, 41 + n / 1000, { thread: root.id, user: 'u2' }),
    );
    const chat = chatWith([...timeline(150), root, ...replies]);
    expect(await openMessage(chat, { room: 'r1', id: 'reply010', thread: root.id })).toBe(true);
    const thread = chat.threads.history!;
    expect(thread.landed?.id).toBe('reply010');
    expect(ids(thread.messages)).toEqual(ids(replies.slice(0, 11 + PAGE_SIZE / 2)));
    expect(thread.hasNewer).toBe(true); // the thread's "Jump to present" goes back to its newest
    await thread.jumpToPresent();
    expect(ids(thread.messages)).toEqual(ids(replies.slice(-PAGE_SIZE)));
  });

  it('says why in the thread when a reply beyond its first page cannot be had', async () => {
    const root = message('rootrootroot123', 40.5);
    const replies = [1, 2].map((n) => message(`reply${n}`, 41 + n, { thread: root.id }));
    const chat = chatWith([...timeline(20), root, ...replies]);
    expect(await openMessage(chat, { room: 'r1', id: 'gonereplygone1', thread: root.id })).toBe(false);
    expect(chat.threads.rootId).toBe(root.id);
    const thread = chat.threads.history!;
    expect(thread.error).toMatch(/Could not show that message/);
    expect(ids(thread.messages)).toEqual(['reply1', 'reply2']); // the thread's newest, as it opened
  });

  it('says so when a reply’s root is gone', async () => {
    const chat = chatWith(timeline(10));
    expect(await openMessage(chat, { room: 'r1', id: 'reply', thread: 'gonerootgone12' })).toBe(false);
    expect(chat.roomNotice).toMatch(/not available/);
    expect(chat.threads.rootId).toBeNull();
  });

  it('goes no further when another room was chosen while the first loaded', async () => {
    const root = message('root', 5);
    const chat = chatWith([...timeline(10), root, message('reply', 6, { thread: 'root' })]);
    const jumping = openMessage(chat, { room: 'r1', id: 'reply', thread: 'root' });
    chat.openRoomId = 'r2';
    expect(await jumping).toBe(false);
    expect(chat.threads.rootId).toBeNull();
  });
});

describe('a room asked for by a notification or a link', () => {
  it('opens at the message when one is named', async () => {
    const chat = chatWith(timeline(200));
    await openAsked(chat, 'r1', undefined, 'm0020');
    expect(chat.history!.landed?.id).toBe('m0020');
  });

  it('opens the room (and a thread reply’s thread) when no message is named, as before', async () => {
    const chat = chatWith([...timeline(5), message('root', 10), message('reply', 11, { thread: 'root' })]);
    await openAsked(chat, 'r1');
    expect(chat.history!.landed).toBeNull();
    expect(chat.history!.messages.at(-1)?.id).toBe('root');
    await openAsked(chat, 'r1', 'root');
    expect(chat.threads.rootId).toBe('root');
  });
});

describe('the parts', () => {
  it('anchors a thread reply at its root in the room', () => {
    expect(anchorOf({ room: 'r', id: 'm' })).toBe('m');
    expect(anchorOf({ room: 'r', id: 'm', thread: 't' })).toBe('t');
  });

  it('tells a missing message from a connection problem', () => {
    const describe = (error: unknown) => describeError(error, { server: 'http://x', action: 'show that message' });
    const missing = notFound();
    expect(messageUnavailableMessage(missing, describe(missing))).toBe(
      'That message is not available to you: it may have been deleted, or you cannot read it.',
    );
    const elsewhere = new NotInRoom();
    expect(messageUnavailableMessage(elsewhere, describe(elsewhere))).toMatch(/not available to you/);
    const offline = unreachable();
    expect(messageUnavailableMessage(offline, describe(offline))).toBe(
      "Could not show that message. Can't reach the server at http://x. Check the address and your connection.",
    );
  });

  it('acts on a landing once', () => {
    const landed = { id: 'm' };
    expect(firstSight(null)).toBe(false);
    expect(firstSight(landed)).toBe(true);
    expect(firstSight(landed)).toBe(false);
    expect(firstSight({ id: 'm' })).toBe(true);
  });

  it('keeps an offline failure as what to say, with the window held', async () => {
    const chat = chatWith(timeline(80));
    await chat.openRoomById('r1');
    chat.server.failNext = unreachable();
    expect(await openMessage(chat, { room: 'r1', id: 'm0003' })).toBe(false);
    expect(chat.roomNotice).toMatch(/^Could not show that message\. Can't reach the server/);
    expect(chat.history!.messages.at(-1)?.id).toBe('m0079');
  });
});
