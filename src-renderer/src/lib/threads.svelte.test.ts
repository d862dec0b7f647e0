import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, type ChatMessage } from './history.ts';
import { RoomHistories } from './room-history.svelte.ts';
import { MemoryMessages, message, timeline } from './test-messages.ts';
import { inRoomList, openRoomThenThread, placesOf, rootOf, threadInfoOf, Threads } from './threads.svelte.ts';

const info = (replies: number) => ({
  replies,
  lastReplyAt: '2026-01-01 00:10:00.000Z',
  repliers: ['u2'],
  followers: ['u1', 'u2'],
});
const reply = (id: string, at: number, extra: Partial<ChatMessage> = {}) =>
  message(id, at, { thread: 'root', user: 'u2', ...extra });

function setup(messages: ChatMessage[]) {
  const server = new MemoryMessages(messages);
  const rooms = new RoomHistories({ pages: server, seen: () => undefined, problem: (_e, a) => `Could not ${a}` });
  const threads = new Threads({
    pages: server.threadPages(),
    seen: () => undefined,
    problem: (_e, a) => `Could not ${a}`,
  });
  return { server, rooms, threads };
}

describe('where a message stands', () => {
  it('keeps a reply out of the room list unless it was also sent there', () => {
    expect(inRoomList(message('a', 1))).toBe(true);
    expect(inRoomList(reply('b', 2))).toBe(false);
    expect(inRoomList(reply('c', 3, { alsoInRoom: true }))).toBe(true);
    expect(rootOf(reply('b', 2))).toBe('root');
    expect(rootOf(message('a', 1))).toBe('a');
  });

  it('places a reply in its thread, one also sent to the room in both, a message in its room only', () => {
    const { rooms, threads } = setup([]);
    const room = rooms.of('r1');
    const thread = threads.histories.of('root');
    expect(placesOf(message('a', 1), rooms, threads.histories)).toEqual([room]);
    expect(placesOf(reply('b', 2), rooms, threads.histories)).toEqual([thread]);
    expect(placesOf(reply('c', 3, { alsoInRoom: true }), rooms, threads.histories)).toEqual([room, thread]);
  });

  it('reads the server summary and nothing a client could make up', () => {
    expect(threadInfoOf(message('a', 1, { threadInfo: info(3) }))?.replies).toBe(3);
    expect(threadInfoOf(message('a', 1))).toBeNull();
    expect(threadInfoOf(message('a', 1, { threadInfo: { replies: 0 } }))).toBeNull();
    expect(threadInfoOf(message('a', 1, { threadInfo: 'three' }))).toBeNull();
    expect(threadInfoOf(message('a', 1, { threadInfo: { replies: 2, repliers: 'u2' } }))?.repliers).toEqual([]);
  });
});

describe('Threads', () => {
  it('opens a thread at its newest replies and pages back to the first one, oldest first', async () => {
    const root = message('root', 0, { threadInfo: info(120) });
    const replies = Array.from({ length: 120 }, (_, i) => reply(`t${String(i).padStart(4, '0')}`, i + 1));
    const { threads } = setup([root, ...replies, ...timeline(10)]);
    expect(await threads.open('root')).toBe(true);
    expect(threads.root?.id).toBe('root');
    const history = threads.history!;
    expect(history.messages.map((m) => m.id)).toEqual(replies.slice(-PAGE_SIZE).map((m) => m.id));
    while (history.hasOlder) await history.loadOlder();
    expect(history.messages.map((m) => m.id)).toEqual(replies.map((m) => m.id));
  });

  it('takes live replies into the open thread only, and keeps the root current from its updates', async () => {
    const root = message('root', 0, { user: 'u1', expand: { user: { id: 'u1' } as never } });
    const { rooms, threads } = setup([root]);
    const room = rooms.of('r1');
    await room.loadOlder();
    await threads.open('root', root);
    threads.live(reply('t1', 5), true, room);
    threads.live(reply('t2', 6, { alsoInRoom: true }), true, room);
    threads.live(reply('elsewhere', 7, { thread: 'other' }), true, room);
    threads.live(message('m1', 8), true, room);
    expect(threads.history?.messages.map((m) => m.id)).toEqual(['t1', 't2']);
    expect(room.messages.map((m) => m.id)).toEqual(['root', 't2', 'm1']);
    // The server's update of the root, without its author expanded: the summary moves, the author stays.
    threads.live({ ...root, updated: '2027-01-01 00:00:00.000Z', threadInfo: info(2), expand: undefined }, false, room);
    expect(threadInfoOf(threads.root!)?.replies).toBe(2);
    expect(threads.root?.expand?.user?.id).toBe('u1');
  });

  it('closes when its root is deleted, and lets the replies go', async () => {
    const { threads } = setup([message('root', 0), reply('t1', 1)]);
    await threads.open('root');
    threads.removed('t1');
    expect(threads.history?.messages).toEqual([]);
    threads.removed('root');
    expect(threads.rootId).toBeNull();
    expect(threads.histories.get('root')).toBeUndefined();
  });

  it("leaves a moderator's note where a deleted reply was, without its text, and closes for a root", async () => {
    const { threads } = setup([message('root', 0), reply('t1', 1)]);
    await threads.open('root');
    threads.removed('t1', undefined, true);
    expect(threads.history?.messages.map((m) => [m.id, m.removedBy, m.text])).toEqual([['t1', 'moderator', '']]);
    threads.removed('root', undefined, true);
    expect(threads.rootId).toBeNull();
  });

  it('keeps a thread with an unsent reply after closing it, and closes with its room', async () => {
    const { threads } = setup([message('root', 0)]);
    await threads.open('root');
    threads.history!.showLocal({ ...reply('mine', 9), delivery: 'pending' });
    threads.roomShown('r1');
    expect(threads.rootId).toBe('root');
    threads.roomShown('r2');
    expect(threads.rootId).toBeNull();
    expect(threads.histories.get('root')?.messages.map((m) => m.id)).toEqual(['mine']);
  });

  it('says why a thread cannot be opened', async () => {
    const { threads } = setup([]);
    expect(await threads.open('gone')).toBe(false);
    expect(threads.error).toBe('Could not open this thread');
  });
});

describe('a notification’s room, then its thread', () => {
  /** The chat as openRoomThenThread sees it: opening a room takes a moment, and may fail or be overtaken. */
  function chatWith(messages: ChatMessage[]) {
    const { rooms, threads } = setup(messages);
    const chat = {
      openRoomId: null as string | null,
      threads,
      get history() {
        return chat.openRoomId ? rooms.get(chat.openRoomId) : undefined;
      },
      openable: new Set(['r1', 'r2']),
      async openRoomById(roomId: string) {
        if (!chat.openable.has(roomId)) return;
        chat.openRoomId = roomId;
        await rooms.of(roomId).loadOlder();
      },
    };
    return chat;
  }

  it('opens the room, then the thread with its root from the room’s list', async () => {
    const chat = chatWith([message('root', 0, { threadInfo: info(1) }), reply('r', 1)]);
    await openRoomThenThread(chat, 'r1', 'root');
    expect(chat.openRoomId).toBe('r1');
    expect(chat.threads.rootId).toBe('root');
    expect(chat.threads.root).toBe(chat.history?.messages.find((m) => m.id === 'root'));
    expect(chat.threads.history?.messages.map((m) => m.id)).toEqual(['r']);
  });

  it('opens only the room for a room’s notification or a link, and leaves an open thread of it alone', async () => {
    const chat = chatWith([message('root', 0), reply('r', 1)]);
    await openRoomThenThread(chat, 'r1');
    expect(chat.threads.rootId).toBeNull();
    await chat.threads.open('root');
    await openRoomThenThread(chat, 'r1');
    expect(chat.threads.rootId).toBe('root');
  });

  it('opens no thread when its room cannot be had, or another room was chosen meanwhile', async () => {
    const chat = chatWith([message('root', 0), reply('r', 1)]);
    chat.openable.delete('r1');
    await openRoomThenThread(chat, 'r1', 'root');
    expect(chat.threads.rootId).toBeNull();
    chat.openable.add('r1');
    const clicked = openRoomThenThread(chat, 'r1', 'root');
    chat.openRoomId = 'r2'; // the person picked another room while the first one loaded
    await clicked;
    expect(chat.threads.rootId).toBeNull();
  });
});
