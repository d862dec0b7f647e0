// notify.ts against a stand-in for Electron's Notification (no Electron binary here): main folds a
// burst by the shared batcher's rules, escapes the text for Linux, and a click opens the right room.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationRequest } from '../src-shared/ipc.ts';

const electron = vi.hoisted(() => {
  const shown: Array<{ title: string; body: string; emit(event: string): void }> = [];
  class Notification {
    static isSupported() {
      return true;
    }
    private readonly handlers = new Map<string, () => void>();
    constructor(readonly options: { title: string; body: string }) {}
    get title() {
      return this.options.title;
    }
    get body() {
      return this.options.body;
    }
    on(event: string, handler: () => void) {
      this.handlers.set(event, handler);
      return this;
    }
    emit(event: string) {
      this.handlers.get(event)?.();
    }
    show() {
      shown.push(this);
    }
    close() {}
  }
  return { shown, module: { Notification } };
});
vi.mock('electron', () => electron.module);
const opened = vi.hoisted(() => [] as Array<string | [roomId: string, threadId?: string, messageId?: string]>);
vi.mock('./window.ts', () => ({
  sendRoomOpen: (_window: unknown, roomId: string, threadId?: string, messageId?: string) =>
    opened.push(
      messageId !== undefined ? [roomId, threadId, messageId] : threadId === undefined ? roomId : [roomId, threadId],
    ),
}));

const { createNotifier } = await import('./notify.ts');
// The renderer's policy table: what MessageAlerts hands the bridge is what main shows.
const { attentionCases, burstShown, runThroughAlerts, tableBurst } =
  await import('../src-renderer/src/lib/test-attention-table.ts');

const dm = (n: number): NotificationRequest => ({
  roomId: 'dmdmdmdmdmdmdm1',
  roomLabel: 'Bob (@bob)',
  author: 'Bob (@bob)',
  direct: true,
  body: `<b>ping</b> ${n}`,
});

beforeEach(() => {
  vi.useFakeTimers();
  electron.shown.length = 0;
  opened.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('main notifications', () => {
  it('fold 30 quick messages into three singles and a summary that opens their room', () => {
    const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: false });
    for (let n = 1; n <= 30; n++) notifier.push(dm(n));
    expect(electron.shown).toHaveLength(3);
    vi.advanceTimersByTime(1_500);
    expect(electron.shown).toHaveLength(4);
    const summary = electron.shown[3]!;
    expect([summary.title, summary.body]).toEqual(['Palaver', '27 more new messages in Bob (@bob)']);
    summary.emit('click');
    expect(opened).toEqual(['dmdmdmdmdmdmdm1']);
    notifier.dispose();
  });

  it('open a thread reply’s thread with its room when it is shown alone, and only the room from a summary', () => {
    const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: false });
    const reply = (n: number): NotificationRequest => ({ ...dm(n), threadId: 'rootrootroot123' });
    for (let n = 1; n <= 5; n++) notifier.push(reply(n));
    electron.shown[0]!.emit('click');
    expect(opened).toEqual([['dmdmdmdmdmdmdm1', 'rootrootroot123']]);
    vi.advanceTimersByTime(1_500);
    electron.shown[3]!.emit('click');
    expect(opened).toEqual([['dmdmdmdmdmdmdm1', 'rootrootroot123'], 'dmdmdmdmdmdmdm1']);
    notifier.dispose();
  });

  it('open the room at the message of a notification shown alone, and a summary at none', () => {
    const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: false });
    const one = (n: number): NotificationRequest => ({ ...dm(n), messageId: `messagemessag1${n}` });
    for (let n = 1; n <= 5; n++) notifier.push(n === 2 ? { ...one(n), threadId: 'rootrootroot123' } : one(n));
    electron.shown[0]!.emit('click');
    electron.shown[1]!.emit('click');
    vi.advanceTimersByTime(1_500);
    electron.shown[3]!.emit('click');
    expect(opened).toEqual([
      ['dmdmdmdmdmdmdm1', undefined, 'messagemessag11'],
      ['dmdmdmdmdmdmdm1', 'rootrootroot123', 'messagemessag12'],
      'dmdmdmdmdmdmdm1',
    ]);
    notifier.dispose();
  });

  it('show message text as typed: markup escaped where the notification server reads it (Linux)', () => {
    const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: false });
    notifier.push(dm(1));
    const expected = process.platform === 'linux' ? '&lt;b&gt;ping&lt;/b&gt; 1' : '<b>ping</b> 1';
    expect(electron.shown[0]?.body).toBe(expected);
    notifier.dispose();
  });

  it('show nothing under do-not-disturb', () => {
    const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: true });
    for (let n = 1; n <= 5; n++) notifier.push(dm(n));
    vi.advanceTimersByTime(3_000);
    expect(electron.shown).toEqual([]);
    notifier.dispose();
  });
});

describe('main notifications, for every kind of room and where the person is', () => {
  for (const test of attentionCases()) {
    it(`${test.name}: ${test.title ?? 'nothing shown'}`, () => {
      const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: false });
      for (const request of runThroughAlerts(test).requests) notifier.push(request);
      expect(electron.shown.map((n) => [n.title, n.body])).toEqual(test.title ? [[test.title, test.message.text]] : []);
      notifier.dispose();
    });
  }

  it('folds the table’s notifications, arriving at once, as the web bridge does', () => {
    const notifier = createNotifier({ showWindow: () => ({}) as never, doNotDisturb: false });
    for (const request of tableBurst()) notifier.push(request);
    expect(electron.shown.map((n) => n.title)).toEqual(burstShown.singles);
    vi.advanceTimersByTime(1_500);
    const summary = electron.shown.at(-1)!;
    expect({ title: summary.title, body: summary.body }).toEqual(burstShown.summary);
    notifier.dispose();
  });
});
