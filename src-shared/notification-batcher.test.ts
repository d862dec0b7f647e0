import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationRequest } from './ipc.ts';
import { NotificationBatcher, summaryBody, summaryRoomName, type ShownNotification } from './notification-batcher.ts';

const rooms: Record<string, string> = { general: '#general', random: '#random', dev: '#dev', ops: '#ops' };

function message(roomId: string, n: number, roomLabel = rooms[roomId] ?? roomId): NotificationRequest {
  return { roomId, roomLabel, author: 'alice', direct: false, body: `message ${n}` };
}

let shown: ShownNotification[];
let batcher: NotificationBatcher;

beforeEach(() => {
  vi.useFakeTimers();
  shown = [];
  batcher = new NotificationBatcher({ show: (n) => shown.push(n) });
});

afterEach(() => {
  batcher.dispose();
  vi.useRealTimers();
});

describe('NotificationBatcher', () => {
  it('shows a lone notification immediately, with its room', () => {
    batcher.push(message('general', 1));
    expect(shown).toEqual([{ title: '#general — alice', body: 'message 1', roomId: 'general' }]);
    vi.advanceTimersByTime(5000);
    expect(shown).toHaveLength(1);
  });

  it('gives a single thread reply its thread, and a summary never one, even of one thread', () => {
    const reply = (n: number): NotificationRequest => ({ ...message('general', n), threadId: 'rootrootroot123' });
    batcher.push(message('general', 0));
    batcher.push(reply(1));
    expect(shown).toEqual([
      { title: '#general — alice', body: 'message 0', roomId: 'general' },
      { title: '#general — alice', body: 'message 1', roomId: 'general', threadId: 'rootrootroot123' },
    ]);
    for (let n = 2; n <= 6; n++) batcher.push(reply(n));
    vi.advanceTimersByTime(1500);
    expect(shown).toHaveLength(4);
    expect(shown[2]).toMatchObject({ body: 'message 2', threadId: 'rootrootroot123' });
    // Four replies of the same thread, folded: the summary opens their room, not the thread.
    expect(shown[3]).toEqual({ title: 'Palaver', body: '4 more new messages in #general', roomId: 'general' });
    expect(shown[3]).not.toHaveProperty('threadId');
  });

  it('gives a single notification its message, and a summary none', () => {
    const one = (n: number): NotificationRequest => ({ ...message('general', n), messageId: `message${n}` });
    batcher.push(one(1));
    expect(shown).toEqual([{ title: '#general — alice', body: 'message 1', roomId: 'general', messageId: 'message1' }]);
    batcher.push({ ...one(2), threadId: 'rootrootroot123' });
    expect(shown[1]).toMatchObject({ roomId: 'general', threadId: 'rootrootroot123', messageId: 'message2' });
    for (let n = 3; n <= 6; n++) batcher.push(one(n));
    vi.advanceTimersByTime(1500);
    expect(shown).toHaveLength(4);
    // Three messages folded into one: it opens their room, at none of them.
    expect(shown[3]).toEqual({ title: 'Palaver', body: '3 more new messages in #general', roomId: 'general' });
  });

  it('shows up to three one by one, then one summary when the window closes', () => {
    for (let n = 1; n <= 8; n++) batcher.push(message('general', n));
    expect(shown.map((s) => s.body)).toEqual(['message 1', 'message 2', 'message 3']);
    vi.advanceTimersByTime(1499);
    expect(shown).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(shown).toHaveLength(4);
    expect(shown[3]).toEqual({ title: 'Palaver', body: '5 more new messages in #general', roomId: 'general' });
  });

  it('names the busiest room and counts the others, and sets no room when several are involved', () => {
    for (let n = 1; n <= 3; n++) batcher.push(message('general', n));
    batcher.push(message('random', 4));
    batcher.push(message('general', 5));
    batcher.push(message('general', 6));
    batcher.push(message('dev', 7));
    batcher.push(message('general', 8));
    batcher.push(message('general', 9));
    vi.advanceTimersByTime(1500);
    expect(shown.at(-1)).toEqual({ title: 'Palaver', body: '6 more new messages in #general and 2 other rooms' });
    expect(shown.at(-1)).not.toHaveProperty('roomId');
  });

  it('summarises a room whose name contains " — " by its whole name', () => {
    for (let n = 1; n <= 5; n++) batcher.push(message('teamops', n, 'Team — Ops'));
    expect(shown[0]?.title).toBe('Team — Ops — alice');
    vi.advanceTimersByTime(1500);
    expect(shown.at(-1)).toEqual({ title: 'Palaver', body: '2 more new messages in Team — Ops', roomId: 'teamops' });
  });

  it('titles a direct message with the person alone', () => {
    batcher.push({ roomId: 'dm', roomLabel: 'bob', author: 'bob', direct: true, body: 'hi' });
    expect(shown).toEqual([{ title: 'bob', body: 'hi', roomId: 'dm' }]);
  });

  it('says "1 more new message" and "1 other room" in the singular', () => {
    for (let n = 1; n <= 3; n++) batcher.push(message('general', n));
    batcher.push(message('random', 4));
    vi.advanceTimersByTime(1500);
    expect(shown.at(-1)).toEqual({ title: 'Palaver', body: '1 more new message in #random', roomId: 'random' });

    vi.advanceTimersByTime(1500);
    for (let n = 5; n <= 7; n++) batcher.push(message('general', n));
    batcher.push(message('random', 8));
    batcher.push(message('ops', 9));
    vi.advanceTimersByTime(1500);
    expect(shown.at(-1)?.body).toBe('2 more new messages in #random and 1 other room');
  });

  it('starts a fresh window, with singles again, after a quiet window', () => {
    for (let n = 1; n <= 3; n++) batcher.push(message('general', n));
    vi.advanceTimersByTime(1500);
    expect(shown).toHaveLength(3);
    for (let n = 4; n <= 6; n++) batcher.push(message('general', n));
    expect(shown).toHaveLength(6);
  });

  it('during a sustained flood shows one summary per window instead of singles each time', () => {
    for (let n = 1; n <= 10; n++) batcher.push(message('general', n));
    vi.advanceTimersByTime(1500);
    expect(shown).toHaveLength(4);
    for (let n = 11; n <= 20; n++) batcher.push(message('general', n));
    expect(shown).toHaveLength(4);
    vi.advanceTimersByTime(1500);
    expect(shown).toHaveLength(5);
    expect(shown[4]?.body).toBe('10 more new messages in #general');
    // Quiet for a whole window: back to singles.
    vi.advanceTimersByTime(1500);
    batcher.push(message('general', 21));
    expect(shown).toHaveLength(6);
    expect(shown[5]?.body).toBe('message 21');
  });

  it('honours windowMs and maxSingles', () => {
    batcher.dispose();
    batcher = new NotificationBatcher({ show: (n) => shown.push(n), windowMs: 500, maxSingles: 1 });
    batcher.push(message('general', 1));
    batcher.push(message('general', 2));
    expect(shown).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(shown.at(-1)?.body).toBe('1 more new message in #general');
  });

  it('uses injected timers when given', () => {
    const callbacks: Array<() => void> = [];
    batcher.dispose();
    batcher = new NotificationBatcher({
      show: (n) => shown.push(n),
      maxSingles: 0,
      setTimeout: (callback) => callbacks.push(callback),
      clearTimeout: () => {},
    });
    batcher.push(message('general', 1));
    expect(shown).toHaveLength(0);
    callbacks[0]?.();
    expect(shown).toEqual([{ title: 'Palaver', body: '1 more new message in #general', roomId: 'general' }]);
  });

  describe('do not disturb', () => {
    it('drops everything: nothing shown, nothing queued for later', () => {
      batcher.doNotDisturb = true;
      for (let n = 1; n <= 10; n++) batcher.push(message('general', n));
      vi.advanceTimersByTime(10_000);
      expect(shown).toEqual([]);
      batcher.doNotDisturb = false;
      vi.advanceTimersByTime(10_000);
      expect(shown).toEqual([]);
      batcher.push(message('general', 11));
      expect(shown).toEqual([{ title: '#general — alice', body: 'message 11', roomId: 'general' }]);
    });

    it('turning it on drops a pending summary', () => {
      for (let n = 1; n <= 6; n++) batcher.push(message('general', n));
      batcher.doNotDisturb = true;
      vi.advanceTimersByTime(10_000);
      expect(shown).toHaveLength(3);
      expect(batcher.doNotDisturb).toBe(true);
    });
  });

  it('keeps working when showing one notification throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    let calls = 0;
    batcher.dispose();
    batcher = new NotificationBatcher({
      show: (n) => {
        calls++;
        if (calls === 1) throw new Error('notification daemon gone');
        shown.push(n);
      },
    });
    batcher.push(message('general', 1));
    batcher.push(message('general', 2));
    expect(shown.map((s) => s.body)).toEqual(['message 2']);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});

describe('summary helpers', () => {
  it('names the room by the label it was sent with', () => {
    expect(summaryRoomName({ roomLabel: '#general' })).toBe('#general');
    expect(summaryRoomName({ roomLabel: 'bob' })).toBe('bob');
    expect(summaryRoomName({ roomLabel: '  ' })).toBe('a room');
  });

  it('builds the body', () => {
    expect(summaryBody([message('general', 1), message('general', 2)])).toBe('2 more new messages in #general');
    expect(summaryBody([message('dev', 1), message('general', 2), message('general', 3), message('ops', 4)])).toBe(
      '4 more new messages in #general and 2 other rooms',
    );
  });
});
