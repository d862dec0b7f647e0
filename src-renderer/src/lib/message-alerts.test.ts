// The notification policy as MessageAlerts applies it: every kind of room in every place the person's
// attention can be (test-attention-table.ts), checked on the unread counts and on what reaches the bridge.
// The same table runs through the web bridge (web-bridge.test.ts) and main (src-main/notify.test.ts).
import { describe, expect, it } from 'vitest';
import type { NotificationRequest } from '../../../src-shared/ipc.ts';
import { attentionOf, MessageAlerts } from './message-alerts.ts';
import type { ChatRoom } from './rooms.ts';
import { attentionCases, runThroughAlerts, situations } from './test-attention-table.ts';
import { WindowAttention, type DocumentLike, type WindowLike } from './window-attention.svelte.ts';

describe('MessageAlerts, for every kind of room and where the person is', () => {
  for (const test of attentionCases()) {
    const what = test.title ? 'badges and notifies' : test.unread ? 'badges only' : 'neither badges nor notifies';
    it(`${test.name}: ${what}`, () => {
      const { unread, total, requests } = runThroughAlerts(test);
      expect(unread).toEqual(test.unread ? { [test.message.room]: 1 } : {});
      expect(total).toBe(test.badge);
      expect(requests.map((request) => request.roomId)).toEqual(test.title ? [test.message.room] : []);
      if (test.title)
        expect(requests[0]).toMatchObject({
          author: 'Bob (@bob)',
          body: test.message.text,
          direct: test.kind.room.kind === 'direct',
        });
    });
  }

  it('reads each situation as the window reports it (WindowAttention agrees with the table)', () => {
    for (const situation of Object.values(situations)) {
      const doc = Object.defineProperties(new EventTarget(), {
        hasFocus: { value: () => situation.hasFocus },
        visibilityState: { value: situation.visibility },
      }) as DocumentLike;
      const win = Object.assign(new EventTarget(), { navigator: { onLine: true } }) as WindowLike;
      const attention = new WindowAttention(win, doc);
      attention.showingConversation(situation.conversationVisible);
      const state = attentionCases().find((test) => test.situation === situation)!.state;
      expect({ focused: attention.focused, visible: attention.conversationVisible }).toEqual({
        focused: state.windowFocused,
        visible: state.conversationVisible,
      });
    }
  });
});

describe('MessageAlerts around a message', () => {
  const plans = attentionCases().find(
    (test) => test.title?.startsWith('plans') && test.situation.open === 'another room',
  )!;
  const make = () => {
    const requests: NotificationRequest[] = [];
    const published: Array<Record<string, number>> = [];
    const totals: number[] = [];
    const alerts = new MessageAlerts({
      bridge: {
        notify: async (request) => void requests.push(request),
        setUnreadCount: async (count) => void totals.push(count),
      },
      label: (room: ChatRoom) => room.name,
      published: (counts) => published.push(counts),
    });
    return { alerts, requests, published, totals };
  };

  it('a message caught up after a gap counts but never notifies, and waits for publish()', () => {
    const { alerts, requests, published, totals } = make();
    alerts.arrived(plans.message, plans.kind.room, plans.state, false);
    expect([requests, published]).toEqual([[], []]);
    alerts.publish();
    expect(published.at(-1)).toEqual({ [plans.message.room]: 1 });
    expect(totals.at(-1)).toBe(1);
  });

  it('reading the room, deleting the message or losing the room takes its count away', () => {
    const { alerts, published } = make();
    alerts.arrived(plans.message, plans.kind.room, plans.state, true);
    alerts.markRead(plans.message.room);
    expect(published.at(-1)).toEqual({});
    alerts.arrived({ ...plans.message, id: 'another00000001' }, plans.kind.room, plans.state, true);
    alerts.deleted({ ...plans.message, id: 'another00000001' });
    expect(published.at(-1)).toEqual({ [plans.message.room]: 0 });
    alerts.arrived({ ...plans.message, id: 'athird000000001' }, plans.kind.room, plans.state, true);
    alerts.forget(plans.message.room);
    expect(published.at(-1)).toEqual({});
  });

  it('a message whose room is not known yet counts nothing and notifies nobody', () => {
    const { alerts, requests, published } = make();
    alerts.arrived(plans.message, undefined, plans.state, true);
    expect(requests).toEqual([]);
    expect(published.at(-1)).toEqual({});
  });

  it('a reply kept to its thread counts and notifies only someone it concerns, saying it is in a thread', () => {
    const { alerts, requests, published } = make();
    const root = (followers: string[]) =>
      ({ id: 'root00000000001', threadInfo: { replies: 1, lastReplyAt: '', repliers: [], followers } }) as never;
    const reply = (id: string, followers: string[]) => ({
      ...plans.message,
      id,
      thread: 'root00000000001',
      mentions: [],
      expand: { ...plans.message.expand, thread: root(followers) },
    });
    alerts.arrived(reply('reply0000000001', [plans.message.user]), plans.kind.room, plans.state, true);
    expect([requests, published.at(-1)]).toEqual([[], {}]);
    alerts.arrived(reply('reply0000000002', [plans.state.selfId]), plans.kind.room, plans.state, true);
    expect(published.at(-1)).toEqual({ [plans.message.room]: 1 });
    expect(requests.map((r) => r.body)).toEqual([`In a thread: ${plans.message.text}`]);
    // A click opens the thread at the reply (lib/message-jump.ts).
    expect(requests[0]).toMatchObject({ threadId: 'root00000000001', messageId: 'reply0000000002' });
  });

  it('names the message, so a click opens the conversation at it', () => {
    const { alerts, requests } = make();
    alerts.arrived(plans.message, plans.kind.room, plans.state, true);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ roomId: plans.message.room, messageId: plans.message.id });
    expect(requests[0]).not.toHaveProperty('threadId');
  });
});

describe('attentionOf', () => {
  it('reads the chat as the notification policy needs it', () => {
    const blocked = new Set(['blockedblocked1']);
    const chat = {
      self: { id: 'selfselfself123' },
      openRoomId: 'roomroomroom123',
      attention: { focused: true, conversationVisible: false },
      blocks: { ids: blocked },
      threads: { rootId: 'rootrootroot123' },
    };
    expect(attentionOf(chat)).toEqual({
      selfId: 'selfselfself123',
      openRoomId: 'roomroomroom123',
      windowFocused: true,
      conversationVisible: false,
      blocked,
      openThreadId: 'rootrootroot123',
    });
  });
});

describe("MessageAlerts with the server's read state (issue 16)", () => {
  const looking = attentionCases().find(
    (test) => test.kind.room.kind === 'private' && test.situation.open === 'that room' && !test.unread,
  )!;
  const make = (seesNewest: boolean) => {
    const published: Array<Record<string, number>> = [];
    const arrived: string[] = [];
    const alerts = new MessageAlerts({
      bridge: { notify: async () => undefined, setUnreadCount: async () => undefined },
      label: (room: ChatRoom) => room.name,
      published: (counts) => published.push(counts),
      reading: { arrived: (message) => void arrived.push(message.id), seesNewest: () => seesNewest },
    });
    return { alerts, published, arrived };
  };

  it('a message in the open room counts when its newest are not in view (scrolled back, or marked unread)', () => {
    const away = make(false);
    away.alerts.arrived(looking.message, looking.kind.room, looking.state, true);
    expect(away.published.at(-1)).toEqual({ [looking.message.room]: 1 });
    expect(away.arrived).toEqual([looking.message.id]);
    const there = make(true);
    there.alerts.arrived(looking.message, looking.kind.room, looking.state, true);
    expect(there.published.at(-1)).toEqual({});
  });

  it("the server's counts replace what was counted, and set each room's mentions", () => {
    const { alerts, published } = make(true);
    alerts.arrived(looking.message, looking.kind.room, { ...looking.state, windowFocused: false }, true);
    alerts.countedAll({ r9: { unread: 1000, mentions: 2 } }, () => undefined);
    expect(published.at(-1)).toEqual({ r9: 1000 });
    expect(alerts.mentions).toEqual({ r9: 2 });
    alerts.counted('r9', undefined, 0, 0);
    expect(published.at(-1)).toEqual({});
  });
});
