import { describe, expect, it, vi } from 'vitest';
import { chatReadState, type ReadsHost } from './chat-reads.ts';
import type { ChatMessage } from './history.ts';
import type { MessagePages } from './messages-api.ts';
import type { ReadMarkersApi } from './read-markers-api.ts';
import { message, timeline } from './test-messages.ts';

function host(history: { messages: ChatMessage[]; hasOlder: boolean }, focused = true) {
  const olderThan = vi.fn(async () => [message('server-prev', -5)]);
  const pages = { olderThan } as unknown as MessagePages;
  const write = vi.fn(async () => undefined);
  const api = { unread: async () => ({}), write, newestIn: async () => undefined };
  const chat = {
    pb: {} as ReadsHost['pb'],
    self: { id: 'me' },
    openRoomId: 'r1',
    attention: { focused, conversationVisible: true },
    histories: { get: () => ({ roomId: 'r1', loaded: true, hasNewer: false, ...history }) },
    alerts: { counted: vi.fn(), countedAll: vi.fn(), markRead: vi.fn() },
    directory: { find: () => undefined },
  } as unknown as ReadsHost;
  return { reads: chatReadState(chat, pages, api as ReadMarkersApi), olderThan, write };
}

describe('chatReadState: "the message before" for Mark as unread', () => {
  const list = timeline(3);

  it('is the one before in the list held, with nothing to ask', async () => {
    const { reads, olderThan, write } = host({ messages: list, hasOlder: true });
    await reads.markUnread(list[1]!);
    expect(write).toHaveBeenCalledWith('r1', list[0]!.id);
    expect(olderThan).not.toHaveBeenCalled();
  });

  it('is asked of the server for the first message held when older ones exist, and is none at the very start', async () => {
    const older = host({ messages: list, hasOlder: true });
    await older.reads.markUnread(list[0]!);
    expect(older.olderThan).toHaveBeenCalledWith('r1', list[0], 1);
    expect(older.write).toHaveBeenCalledWith('r1', 'server-prev');
    const start = host({ messages: list, hasOlder: false });
    await start.reads.markUnread(list[0]!);
    expect(start.olderThan).not.toHaveBeenCalled();
    expect(start.write).toHaveBeenCalledWith('r1', '');
  });
});
