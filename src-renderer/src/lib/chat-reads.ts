// The chat's read state wired to the chat's parts (lib/read-state.svelte.ts holds the rules): what is on
// screen, where the server's counts go, and how "the message before" is found for Mark as unread.
import type PocketBase from 'pocketbase';
import type { MessageAlerts } from './message-alerts.ts';
import type { MessagePages } from './messages-api.ts';
import { PocketBaseReadMarkersApi, type ReadMarkersApi } from './read-markers-api.ts';
import { ReadState } from './read-state.svelte.ts';
import type { RoomDirectory } from './room-directory.svelte.ts';
import type { RoomHistories } from './room-history.svelte.ts';
import type { WindowAttention } from './window-attention.svelte.ts';

/** The parts of the chat the read state looks at. */
export interface ReadsHost {
  readonly pb: PocketBase;
  readonly self: { id: string };
  readonly openRoomId: string | null;
  readonly attention: Pick<WindowAttention, 'focused' | 'conversationVisible'>;
  readonly histories: Pick<RoomHistories, 'get'>;
  readonly alerts: Pick<MessageAlerts, 'counted' | 'countedAll' | 'markRead'>;
  readonly directory: Pick<RoomDirectory, 'find'>;
}

export function chatReadState(chat: ReadsHost, pages: MessagePages, api?: ReadMarkersApi): ReadState {
  const room = (roomId: string) => chat.directory.find(roomId);
  return new ReadState({
    api: api ?? new PocketBaseReadMarkersApi(chat.pb),
    selfId: chat.self.id,
    countedAll: (rooms) => chat.alerts.countedAll(rooms, room),
    counted: (roomId, state) => chat.alerts.counted(roomId, room(roomId), state.unread, state.mentions),
    cleared: (roomId) => chat.alerts.markRead(roomId),
    inView: () => {
      const { openRoomId, attention } = chat;
      const history = openRoomId ? chat.histories.get(openRoomId) : undefined;
      if (!history || !attention.focused || !attention.conversationVisible) return null;
      const { loaded, hasNewer, messages } = history;
      return { roomId: history.roomId, loaded, hasNewer, messages };
    },
    before: async (message) => {
      const history = chat.histories.get(message.room);
      const sent = (history?.messages ?? []).filter((m) => !m.delivery || m.delivery === 'sent');
      const index = sent.findIndex((m) => m.id === message.id);
      if (index > 0) return sent[index - 1];
      if (index === 0 && history && !history.hasOlder) return undefined;
      // The first message held, with older ones on the server (or a message not held): ask for the one before.
      return (await pages.olderThan(message.room, message, 1))[0];
    },
  });
}
