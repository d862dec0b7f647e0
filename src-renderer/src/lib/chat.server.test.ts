// The chat front as a whole, in Node against a real PocketBase: a second person writes through the
// API while the front's parts (directory, histories, realtime, sender, unread, notifications) do what
// the screen relies on. The bridge to main records what it was asked; the window is EventTargets the
// test focuses and blurs. The same paths run in Chromium in e2e/web.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRequest, OutboxEntry } from '../../../src-shared/ipc.ts';
import type { RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import { createRoom, post, signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { readMarkerId } from '../../../src-shared/read-marker-id.ts';
import { Chat, type ChatBridge } from './chat.svelte.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let general: RoomsRecord;
let focused = true;

/** The browser globals the chat reads, as far as it reads them. */
const values = new Map<string, string>();

function installBrowserGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.localStorage = {
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
  };
  g.location = { href: 'http://127.0.0.1/' };
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });
  g.window = Object.assign(new EventTarget(), { navigator: { onLine: true } });
  g.document = Object.defineProperties(new EventTarget(), {
    hasFocus: { value: () => focused },
    visibilityState: { value: 'visible' },
  });
}

class RecordingBridge implements ChatBridge {
  notifications: NotificationRequest[] = [];
  unreadTotals: number[] = [];
  saved = new Map<string, OutboxEntry[]>();
  files = new Map<string, Uint8Array>();
  private openRoom: ((roomId: string) => void) | null = null;
  outbox = {
    load: async (scope: string) => this.saved.get(scope) ?? [],
    save: async (scope: string, entries: OutboxEntry[]) => void this.saved.set(scope, entries),
    putFile: async (scope: string, key: string, bytes: Uint8Array) => void this.files.set(`${scope}/${key}`, bytes),
    getFile: async (scope: string, key: string) => this.files.get(`${scope}/${key}`) ?? null,
  };
  async notify(request: NotificationRequest) {
    this.notifications.push(request);
  }
  async setUnreadCount(count: number) {
    this.unreadTotals.push(count);
  }
  onOpenRoom(listener: (roomId: string) => void) {
    this.openRoom = listener;
    return () => (this.openRoom = null);
  }
  click(roomId: string) {
    this.openRoom?.(roomId);
  }
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function setFocus(value: boolean) {
  focused = value;
  (globalThis as unknown as { window: EventTarget }).window.dispatchEvent(new Event(value ? 'focus' : 'blur'));
}

let chat: Chat | undefined;
let bridge: RecordingBridge;

async function startChat(user: TestUser): Promise<Chat> {
  bridge = new RecordingBridge();
  chat = new Chat(user.pb, user.record, bridge);
  await chat.start();
  await until(() => chat!.connection.state.kind === 'connected', 'the realtime connection');
  return chat;
}

beforeAll(async () => {
  installBrowserGlobals();
  server = await startTestServer();
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
  await post(bob, general, 'before you came');
});

afterEach(async () => {
  await chat?.stop();
  chat = undefined;
  focused = true;
  // Each test starts afresh: no last room remembered from the one before.
  values.clear();
});

afterAll(async () => {
  await server?.stop();
});

describe('Chat', () => {
  it('opens #general with its history and shows a live message at once', async () => {
    const c = await startChat(alice);
    expect(c.openRoom?.name).toBe('general');
    expect(c.history?.messages.map((m) => m.text)).toContain('before you came');
    await post(bob, general, 'live now');
    await until(() => !!c.history?.messages.some((m) => m.text === 'live now'), 'the live message');
    // Looking at the room in a focused window: nothing unread, nothing notified.
    expect(c.unread[general.id] ?? 0).toBe(0);
    expect(bridge.notifications).toEqual([]);
  });

  it('in the background a joined public room badges without notifying, a private room notifies a mention; focus reads', async () => {
    const room = await createRoom(bob, 'private', [alice.id], 'huddle');
    const c = await startChat(alice);
    setFocus(false);
    await post(bob, general, 'are you there?');
    await until(() => c.unread[general.id] === 1, 'the unread count');
    // A room's level is `mentions` unless chosen: the app's badge counts only what mentions alice.
    expect(bridge.unreadTotals.at(-1)).toBe(0);
    await post(bob, room, 'not for you yet');
    const call = await post(bob, room, `over here @${alice.username}`);
    await until(() => c.unread[room.id] === 2, 'the unread count of the private room');
    expect(bridge.notifications).toEqual([
      {
        roomId: room.id,
        roomLabel: 'huddle',
        author: 'bob (@' + bob.username + ')',
        direct: false,
        body: `over here @${alice.username}`,
        messageId: call.id, // a click opens the room at it
      },
    ]);
    expect(bridge.unreadTotals.at(-1)).toBe(1);
    setFocus(true);
    expect(c.unread[general.id] ?? 0).toBe(0);
    expect(bridge.unreadTotals.at(-1)).toBe(1);
  });

  it('a public room someone else creates, and its first messages, neither badge nor notify', async () => {
    const c = await startChat(alice);
    setFocus(false);
    const fresh = await createRoom(bob, 'public', [], 'bobs-corner');
    await post(bob, fresh, 'first!');
    await post(bob, general, 'a control, in a room alice joined');
    await until(() => c.unread[general.id] === 1, 'the control message');
    expect(c.unread[fresh.id] ?? 0).toBe(0);
    expect(bridge.notifications).toEqual([]);
  });

  it('remembers the room last opened: a new start returns there, or to #general when it is gone', async () => {
    const room = await createRoom(bob, 'private', [alice.id], 'remembered');
    let c = await startChat(alice);
    await c.openRoomById(room.id);
    await c.stop();
    c = await startChat(alice);
    expect(c.openRoom?.name).toBe('remembered');
    await c.stop();
    await bob.pb.collection('rooms').delete(room.id);
    c = await startChat(alice);
    expect(c.openRoom?.name).toBe('general');
  });

  it('learns of a room it was put in, counts its messages, and opens it from a notification', async () => {
    const c = await startChat(alice);
    const room = await createRoom(bob, 'private', [alice.id], 'plans');
    await until(() => !!c.directory.find(room.id), 'the new room in the list');
    await post(bob, room, `a secret plan, @${alice.username}`);
    await until(() => c.unread[room.id] === 1, 'the unread count of the new room');
    expect(bridge.notifications.at(-1)).toMatchObject({ roomId: room.id, roomLabel: 'plans' });
    bridge.click(room.id);
    await until(() => c.openRoomId === room.id && !!c.history?.loaded, 'the room to open');
    expect(c.history?.messages.map((m) => m.text)).toEqual([`a secret plan, @${alice.username}`]);
    expect(c.unread[room.id] ?? 0).toBe(0);
  });

  it('sends what the user writes once, and says so when a room asked for cannot be opened', async () => {
    const c = await startChat(alice);
    await c.send('  written by alice  ');
    await until(
      () => c.history?.messages.some((m) => m.text === 'written by alice' && !m.delivery) === true,
      'the server copy',
    );
    const onServer = await bob.pb
      .collection('messages')
      .getFullList({ filter: bob.pb.filter('text = {:t}', { t: 'written by alice' }) });
    expect(onServer).toHaveLength(1);
    expect(c.sender.waiting).toBe(0);

    const hidden = await createRoom(bob, 'private', [], 'not for alice');
    await c.openRoomById(hidden.id);
    expect(c.roomNotice).toMatch(/not available to you/);
    expect(c.openRoom?.name).toBe('general');
  });

  it('opens a room at a message far back, and says so for one deleted or in a room it cannot read', async () => {
    const c = await startChat(alice);
    const room = await createRoom(bob, 'private', [alice.id], 'far back');
    const texts = Array.from({ length: 120 }, (_, i) => `line ${String(i).padStart(3, '0')}`);
    const posted = [];
    for (const text of texts) posted.push(await post(bob, room, text));
    await until(() => !!c.directory.find(room.id), 'the room in the list');

    expect(await c.openMessage({ room: room.id, id: posted[30]!.id })).toBe(true);
    expect(c.openRoomId).toBe(room.id);
    expect(c.history?.landed?.id).toBe(posted[30]!.id);
    const held = c.history!.messages.map((m) => m.text);
    expect(held).toContain('line 030');
    expect(held).not.toContain('line 119'); // not the newest page first
    expect(c.history?.hasNewer).toBe(true);
    expect(c.roomNotice).toBe('');

    await bob.pb.collection('messages').delete(posted[60]!.id);
    expect(await c.openMessage({ room: room.id, id: posted[60]!.id })).toBe(false);
    expect(c.roomNotice).toMatch(/That message is not available to you/);

    const hidden = await createRoom(bob, 'private', [], 'not for alice either');
    const secret = await post(bob, hidden, 'you cannot read this');
    expect(await c.openMessage({ room: hidden.id, id: secret.id })).toBe(false);
    expect(c.roomNotice).toMatch(/That room is not available to you/);
    // Named with a room it can read, the message is still not shown.
    expect(await c.openMessage({ room: room.id, id: secret.id })).toBe(false);
    expect(c.roomNotice).toMatch(/That message is not available to you/);
    expect(c.history?.messages.some((m) => m.text === 'you cannot read this')).toBe(false);
  });

  it('a message read on another device just before sign-in is not counted again by a catch-up that ends late', async () => {
    const room = await createRoom(bob, 'private', [alice.id], 'read on the laptop');
    const read = await post(bob, room, 'read there a moment ago');
    await alice.pb
      .collection('read_markers')
      .create({ id: readMarkerId(alice.id, room.id), user: alice.id, room: room.id, message: read.id });
    // The order a loaded machine made once in CI: realtime up before the room list came, and the
    // catch-up (which finds this message in its two-second margin) answering after the server's counts.
    const delays: Array<[(url: string, options: { method?: string; query?: { filter?: string } }) => boolean, number]> =
      [
        [(url) => url.includes('/api/collections/rooms/records'), 1_000],
        [
          (url, o) => url.includes('/api/collections/messages/records') && !!o.query?.filter?.includes('updated >='),
          1_500,
        ],
      ];
    alice.pb.beforeSend = async (url, options) => {
      const delay = delays.find(([matches]) => matches(url, options))?.[1];
      if (delay) await new Promise((r) => setTimeout(r, delay));
      return { url, options };
    };
    try {
      const c = await startChat(alice);
      await until(() => !!c.directory.find(room.id), 'the room list');
      await new Promise((r) => setTimeout(r, 3_000)); // the catch-up's answer, and the counts after it
      expect(c.unread[room.id] ?? 0).toBe(0);
    } finally {
      alice.pb.beforeSend = undefined;
    }
  });

  it('lets go of the server when stopped: no more events, the badge cleared', async () => {
    const c = await startChat(alice);
    await c.stop();
    expect(bridge.unreadTotals.at(-1)).toBe(0);
    const held = c.history?.messages.length ?? 0;
    await post(bob, general, 'after you left');
    await new Promise((r) => setTimeout(r, 300));
    expect(c.history?.messages.length ?? 0).toBe(held);
  });
});
