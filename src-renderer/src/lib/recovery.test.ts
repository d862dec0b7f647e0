import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './history.ts';
import { describeConnection, dropDeleted, recoverySince } from './recovery.ts';

const m = (id: string, created: string, delivery?: ChatMessage['delivery']) =>
  ({ id, created, updated: created, delivery }) as ChatMessage;

describe('recoverySince', () => {
  it('starts a margin before the latest moment we knew we were up to date', () => {
    expect(recoverySince('2026-11-26 10:00:00.000Z', new Date('2026-11-26T10:05:00Z'))).toBe(
      '2026-11-26 10:04:00.000Z',
    );
    expect(recoverySince('2026-11-26 10:09:00.000Z', new Date('2026-11-26T10:05:00Z'))).toBe(
      '2026-11-26 10:08:00.000Z',
    );
    expect(recoverySince(null, new Date('2026-11-26T10:05:00Z'), 0)).toBe('2026-11-26 10:05:00.000Z');
    expect(recoverySince(null, null)).toBeNull();
  });
});

describe('dropDeleted', () => {
  const local = [m('a', '1'), m('b', '2'), m('c', '3'), m('d', '4'), m('p', '5', 'pending'), m('f', '0', 'failed')];

  const held = new Set(local.map((x) => x.id));

  it('drops sent messages inside the newest page that the server no longer has', () => {
    const page = [m('c', '3'), m('b', '2')];
    expect(dropDeleted(local, page, false, held).map((x) => x.id)).toEqual(['a', 'b', 'c', 'p', 'f']);
  });

  it('drops every missing sent message when the page is the whole room', () => {
    expect(dropDeleted(local, [m('b', '2')], true, held).map((x) => x.id)).toEqual(['b', 'p', 'f']);
    expect(dropDeleted(local, [], true, held).map((x) => x.id)).toEqual(['p', 'f']);
  });

  it('keeps a message that arrived while the page was on its way', () => {
    const arrivedMeanwhile = m('z', '9');
    expect(dropDeleted([...local, arrivedMeanwhile], [m('b', '2')], true, held).map((x) => x.id)).toEqual([
      'b',
      'p',
      'f',
      'z',
    ]);
  });
});

describe('describeConnection', () => {
  it('says what is going on, with the next attempt', () => {
    expect(describeConnection({ kind: 'connected' }, 0)).toBe('Connected');
    expect(describeConnection({ kind: 'catching-up' }, 0)).toMatch(/^Catching up/);
    expect(describeConnection({ kind: 'reconnecting', nextAttemptAt: 2500, attempt: 3 }, 0)).toBe(
      'Reconnecting — next attempt in 3 s',
    );
    expect(describeConnection({ kind: 'reconnecting', nextAttemptAt: 0, attempt: 3 }, 10)).toBe('Reconnecting…');
    expect(describeConnection({ kind: 'offline' }, 0)).toMatch(/^Offline/);
  });
});
