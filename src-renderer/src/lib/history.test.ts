import { describe, expect, it } from 'vitest';
import {
  compareMessages,
  mergeIntoWindow,
  mergeMessages,
  newestSent,
  oldestSent,
  removeMessage,
  trimWindow,
  type ChatMessage,
} from './history.ts';

let seq = 0;
function msg(id: string, created: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  seq++;
  return {
    id,
    created,
    updated: created,
    text: `text ${seq}`,
    user: 'u1',
    room: 'r1',
    collectionId: 'c',
    collectionName: 'messages',
    attachments: [],
    attachmentInfo: null,
    mentions: [],
    editedAt: '',
    thread: '',
    alsoInRoom: false,
    threadInfo: null,
    reactionInfo: null,
    ...extra,
  };
}

describe('mergeMessages', () => {
  it('keeps every message once, in (created, id) order, whatever order pages and events arrive in', () => {
    const page2 = [msg('b', '2026-01-01 10:00:01.000Z'), msg('a', '2026-01-01 10:00:00.000Z')];
    const page1 = [msg('d', '2026-01-01 10:00:03.000Z'), msg('c', '2026-01-01 10:00:01.000Z')];
    const live = [msg('e', '2026-01-01 10:00:04.000Z'), msg('d', '2026-01-01 10:00:03.000Z')];
    let list = mergeMessages([], page1);
    list = mergeMessages(list, live);
    list = mergeMessages(list, page2);
    list = mergeMessages(list, page1); // a page fetched twice
    expect(list.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders messages of the same millisecond by id, like the server', () => {
    const list = mergeMessages([], [msg('z', '2026-01-01 10:00:00.000Z'), msg('m', '2026-01-01 10:00:00.000Z')]);
    expect(list.map((m) => m.id)).toEqual(['m', 'z']);
  });

  it('lets a later edit win over an older copy, in either arrival order', () => {
    const original = msg('a', '2026-01-01 10:00:00.000Z', { text: 'tpyo' });
    const edited = { ...original, text: 'typo', updated: '2026-01-01 10:05:00.000Z' };
    expect(mergeMessages([original], [edited])[0]?.text).toBe('typo');
    expect(mergeMessages([edited], [original])[0]?.text).toBe('typo');
  });

  it('keeps the known author when an update arrives without the expand', () => {
    const withAuthor = msg('a', '2026-01-01 10:00:00.000Z', {
      expand: { user: { id: 'u1', username: 'alice' } as never },
    });
    const bare = { ...withAuthor, expand: undefined, text: 'edited', updated: '2026-01-01 10:01:00.000Z' };
    const [merged] = mergeMessages([withAuthor], [bare]);
    expect(merged?.text).toBe('edited');
    expect(merged?.expand?.user?.username).toBe('alice');
  });

  it('replaces a pending message with the server copy of the same id, and keeps unsent ones last', () => {
    const pending = msg('p', '2026-01-01 09:00:00.000Z', { delivery: 'pending' });
    const failed = msg('f', '2026-01-01 08:00:00.000Z', { delivery: 'failed' });
    const other = msg('o', '2026-01-01 10:00:00.000Z');
    let list = mergeMessages([], [pending, failed, other]);
    expect(list.map((m) => m.id)).toEqual(['o', 'f', 'p']);
    list = mergeMessages(list, [msg('p', '2026-01-01 10:00:01.000Z')]);
    expect(list.map((m) => [m.id, m.delivery])).toEqual([
      ['o', undefined],
      ['p', undefined],
      ['f', 'failed'],
    ]);
    // A stale local copy never overwrites the server's.
    list = mergeMessages(list, [pending]);
    expect(list.find((m) => m.id === 'p')?.delivery).toBeUndefined();
  });
});

describe('paging helpers', () => {
  it('start the next older page strictly before the oldest sent message', () => {
    const list = [
      msg('a', '2026-01-01 10:00:00.000Z'),
      msg('p', '2026-01-01 09:00:00.000Z', { delivery: 'pending' }),
    ].sort(compareMessages);
    expect(oldestSent(list)?.id).toBe('a');
  });

  it('removes by id', () => {
    expect(removeMessage([msg('a', '1'), msg('b', '2')], 'a').map((m) => m.id)).toEqual(['b']);
  });
});

describe('mergeIntoWindow', () => {
  const loaded = [msg('c', '2026-01-01 10:00:03.000Z'), msg('d', '2026-01-01 10:00:04.000Z')];

  it('takes new messages and updates to shown ones, but not older messages outside the loaded span', () => {
    const oldEdit = { ...msg('a', '2026-01-01 09:00:00.000Z'), updated: '2026-01-01 11:00:00.000Z' };
    const fresh = msg('e', '2026-01-01 10:00:05.000Z');
    const shownEdit = { ...loaded[0]!, text: 'edited', updated: '2026-01-01 11:00:00.000Z' };
    const merged = mergeIntoWindow(loaded, [oldEdit, fresh, shownEdit], true);
    expect(merged.map((m) => m.id)).toEqual(['c', 'd', 'e']);
    expect(merged[0]?.text).toBe('edited');
    // The next older page still starts right below the loaded span.
    expect(oldestSent(merged)?.id).toBe('c');
  });

  it('takes everything when the whole room is loaded', () => {
    expect(mergeIntoWindow(loaded, [msg('a', '2026-01-01 09:00:00.000Z')], false).map((m) => m.id)).toEqual([
      'a',
      'c',
      'd',
    ]);
  });
});

describe('the bounded window', () => {
  const room = Array.from({ length: 10 }, (_, i) => msg(`m${i}`, `2026-01-01 10:00:0${i}.000Z`));
  const pending = msg('p', '2026-01-01 09:00:00.000Z', { delivery: 'pending' });

  it('drops from the side the reader moved away from, never unsent messages', () => {
    const list = mergeMessages(room, [pending]);
    const backwards = trimWindow(list, 4, 'newest');
    expect(backwards.trimmed).toBe(true);
    expect(backwards.messages.map((m) => m.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'p']);
    const forwards = trimWindow(list, 4, 'oldest');
    expect(forwards.messages.map((m) => m.id)).toEqual(['m6', 'm7', 'm8', 'm9', 'p']);
    expect(trimWindow(list, 20, 'oldest').trimmed).toBe(false);
  });

  it('does not take live messages past the window while newer pages are not loaded', () => {
    const window = room.slice(2, 5);
    const live = msg('live', '2026-01-01 11:00:00.000Z');
    expect(mergeIntoWindow(window, [live], true, true).map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
    expect(mergeIntoWindow(window, [live], true, false).map((m) => m.id)).toEqual(['m2', 'm3', 'm4', 'live']);
  });

  it('pages forward from the newest sent message', () => {
    expect(newestSent(mergeMessages(room, [pending]))?.id).toBe('m9');
  });
});
