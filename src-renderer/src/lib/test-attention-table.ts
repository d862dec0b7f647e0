// For tests: one table of who hears about a new message, every kind of room against every place the
// person's attention can be. It is run through each layer that applies the policy: MessageAlerts (unread
// counts, and what it hands the bridge; message-alerts.test.ts), the web bridge (web-bridge.test.ts) and
// main's notifier (src-main/notify.test.ts), so titles and folding are checked on both sides from the same
// cases instead of three copies that drift apart. Each kind of room has a notification level (its kind's
// default unless one is stored) and a message that mentions the person or not.
import type { NotificationRequest } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { ChatMessage } from './history.ts';
import { MessageAlerts } from './message-alerts.ts';
import type { NotificationLevel } from './notification-levels.ts';
import type { AttentionState } from './notification-policy.ts';
import { roomLabel, type ChatRoom } from './rooms.ts';

const person = (id: string, username: string, name: string) => ({ id, username, name }) as UsersRecord;
const me = person('me0000000000000', 'me', 'Me');
const bob = person('bob000000000000', 'bob', 'Bob');
const mallory = person('mal000000000000', 'mallory', 'Mallory');

/** What a message in that kind of room reaches when nobody is looking at the room. */
type Reach = 'nothing' | 'badge' | 'notification';

interface RoomKind {
  room: ChatRoom;
  author: UsersRecord;
  reach: Reach;
  /** The notification's title (notification-title.ts), when it reaches one. */
  title?: string;
  /** The level the person stored for the room; none: the default of its kind. */
  level?: NotificationLevel;
  /** The message mentions the person (the server's `mentions`). */
  mentioned?: boolean;
  /** Whether the message counts on the app's badge (tray, title) when it is unread; else only in the room list. */
  badged?: boolean;
}

function room(id: string, kind: ChatRoom['kind'], name: string, members: UsersRecord[], invited: UsersRecord[] = []) {
  return {
    id,
    kind,
    name,
    members: members.map((m) => m.id),
    invited: invited.map((m) => m.id),
    owner: bob.id,
    expand: { members },
  } as unknown as ChatRoom;
}

export const roomKinds: Record<string, RoomKind> = {
  'public room joined': { room: room('pubjoined000001', 'public', 'town', [me]), author: bob, reach: 'badge' },
  // The server lists only the user among a public room's members, and only once they joined.
  'public room not joined': {
    room: room('pubnotjoined001', 'public', 'square', []),
    author: bob,
    reach: 'nothing',
    mentioned: true,
  },
  'private room, member, mentioned': {
    room: room('privmember00001', 'private', 'plans', [me, bob]),
    author: bob,
    reach: 'notification',
    title: 'plans — Bob (@bob)',
    mentioned: true,
    badged: true,
  },
  'private room, member, not mentioned': {
    room: room('privchatter0001', 'private', 'chatter', [me, bob]),
    author: bob,
    reach: 'badge',
  },
  'private room set to all messages': {
    room: room('privall00000001', 'private', 'ops', [me, bob]),
    author: bob,
    reach: 'notification',
    title: 'ops — Bob (@bob)',
    level: 'all',
    badged: true,
  },
  'private room set to nothing, mentioned': {
    room: room('privnothing0001', 'private', 'noise', [me, bob]),
    author: bob,
    reach: 'badge',
    level: 'nothing',
    mentioned: true,
  },
  'private room, only invited': {
    room: room('privinvited0001', 'private', 'surprise', [bob], [me]),
    author: bob,
    reach: 'nothing',
    mentioned: true,
  },
  'direct conversation': {
    room: room('direct000000001', 'direct', '', [me, bob]),
    author: bob,
    reach: 'notification',
    title: 'Bob (@bob)',
    badged: true,
  },
  'direct conversation set to mentions only': {
    room: room('directquiet0001', 'direct', '', [me, mallory]),
    author: bob,
    reach: 'badge',
    level: 'mentions',
  },
  'public room joined, mentioned': {
    room: room('pubmention00001', 'public', 'plaza', [me]),
    author: bob,
    reach: 'notification',
    title: '#plaza — Bob (@bob)',
    mentioned: true,
    badged: true,
  },
  'blocked author, private room': {
    room: room('privblocked0001', 'private', 'crew', [me, bob, mallory]),
    author: mallory,
    reach: 'nothing',
    level: 'all',
    mentioned: true,
  },
  'own message, private room': {
    room: room('privown00000001', 'private', 'notes', [me, bob]),
    author: me,
    reach: 'nothing',
    level: 'all',
  },
};

/** The levels the person stored, as the store hands them to the chat. */
export const storedLevels: ReadonlyMap<string, NotificationLevel> = new Map(
  Object.values(roomKinds).flatMap((kind) => (kind.level ? [[kind.room.id, kind.level] as const] : [])),
);

/** Where the person is, as the window and the screen report it (window-attention.svelte.ts reads the same). */
export interface Situation {
  /** Which room is open: the message's own, or another. */
  open: 'that room' | 'another room';
  hasFocus: boolean;
  visibility: 'visible' | 'hidden';
  /** A narrow window shows the room list or the conversation; a wide one always the conversation. */
  conversationVisible: boolean;
  /** Whether the person is reading that room: then nothing badges or notifies. */
  looking: boolean;
}

export const situations: Record<string, Situation> = {
  'that room open in a focused window': {
    open: 'that room',
    hasFocus: true,
    visibility: 'visible',
    conversationVisible: true,
    looking: true,
  },
  'another room open in a focused window': {
    open: 'another room',
    hasFocus: true,
    visibility: 'visible',
    conversationVisible: true,
    looking: false,
  },
  'that room open, window blurred': {
    open: 'that room',
    hasFocus: false,
    visibility: 'visible',
    conversationVisible: true,
    looking: false,
  },
  // Minimised: the document may keep the focus, but nobody sees it.
  'that room open, window hidden': {
    open: 'that room',
    hasFocus: true,
    visibility: 'hidden',
    conversationVisible: true,
    looking: false,
  },
  'that room open, narrow window showing the room list': {
    open: 'that room',
    hasFocus: true,
    visibility: 'visible',
    conversationVisible: false,
    looking: false,
  },
};

export interface AttentionCase {
  name: string;
  kind: RoomKind;
  situation: Situation;
  message: ChatMessage;
  state: AttentionState;
  /** The room's unread count after the message. */
  unread: number;
  /** What the message adds to the app's badge (tray, title). */
  badge: number;
  /** The title the person sees, or null when nothing notifies. */
  title: string | null;
}

/** The window as the chat reads it: focused only when it has the focus and can be seen. */
export function attentionOf(situation: Situation, roomId: string, blocked: ReadonlySet<string>): AttentionState {
  return {
    selfId: me.id,
    openRoomId: situation.open === 'that room' ? roomId : 'otherroom000001',
    windowFocused: situation.hasFocus && situation.visibility === 'visible',
    conversationVisible: situation.conversationVisible,
    blocked,
    levels: storedLevels,
  };
}

/** Every room kind in every situation, kinds first, each message with an id of its own. */
export function attentionCases(): AttentionCase[] {
  const blocked = new Set([mallory.id]);
  return Object.entries(roomKinds).flatMap(([kindName, kind], k) =>
    Object.entries(situations).map(([where, situation], s): AttentionCase => {
      const message = {
        id: `msg${k}${s}`.padEnd(15, '0'),
        room: kind.room.id,
        user: kind.author.id,
        text: kind.mentioned ? `hi @${me.username} from ${kind.author.username}` : `hi from ${kind.author.username}`,
        mentions: kind.mentioned ? [me.id] : [],
        created: '2026-01-01 10:00:00.000Z',
        updated: '2026-01-01 10:00:00.000Z',
        expand: { user: kind.author },
      } as ChatMessage;
      const heard = !situation.looking && kind.reach !== 'nothing';
      return {
        name: `${kindName}, ${where}`,
        kind,
        situation,
        message,
        state: attentionOf(situation, kind.room.id, blocked),
        unread: heard ? 1 : 0,
        badge: heard && kind.badged ? 1 : 0,
        title: heard && kind.reach === 'notification' ? (kind.title ?? null) : null,
      };
    }),
  );
}

/** What MessageAlerts made of one live message: the counts it published and what it handed the bridge. */
export function runThroughAlerts(test: AttentionCase): {
  unread: Record<string, number>;
  total: number;
  requests: NotificationRequest[];
} {
  const requests: NotificationRequest[] = [];
  let unread: Record<string, number> = {};
  let total = 0;
  const alerts = new MessageAlerts({
    bridge: {
      notify: async (request) => void requests.push(request),
      setUnreadCount: async (count) => void (total = count),
    },
    label: (chatRoom) => roomLabel(chatRoom, me.id),
    published: (counts) => (unread = counts),
    levels: { current: storedLevels, start: () => () => undefined },
  });
  alerts.arrived(test.message, test.kind.room, test.state, true);
  return { unread, total, requests };
}

/** Every notification the table lets through, in table order: what a bridge gets when they come at once. */
export function tableBurst(): NotificationRequest[] {
  return attentionCases().flatMap((test) => runThroughAlerts(test).requests);
}

/**
 * The burst as the shared batcher shows it: the first few one by one, then one summary naming the busiest
 * room. The table lets four through for each room that notifies (every situation but looking at it).
 */
export const burstShown = {
  singles: ['plans — Bob (@bob)', 'plans — Bob (@bob)', 'plans — Bob (@bob)'],
  summary: { title: 'Palaver', body: '13 more new messages in ops and 3 other rooms' },
};
