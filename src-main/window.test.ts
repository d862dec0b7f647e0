// sendRoomOpen against stand-ins for a BrowserWindow (no Electron binary here): what the page is sent
// on `room:open`, and when.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  app: {},
  BrowserWindow: class {},
  protocol: {},
  screen: {},
  session: {},
  shell: {},
}));

const { sendRoomOpen } = await import('./window.ts');

function fakeWindow({ loading = false, url = 'app://palaver/index.html' } = {}) {
  const sent: unknown[][] = [];
  const onceLoaded: Array<() => void> = [];
  const window = {
    destroyed: false,
    isDestroyed: () => window.destroyed,
    webContents: {
      isLoading: () => loading,
      getURL: () => url,
      send: (...args: unknown[]) => sent.push(args),
      once: (event: string, listener: () => void) => {
        if (event === 'did-finish-load') onceLoaded.push(listener);
      },
    },
  };
  return { window, sent, loaded: () => onceLoaded.splice(0).forEach((listener) => listener()) };
}

describe('sendRoomOpen', () => {
  it('sends the room alone for a link or a room’s notification', () => {
    const { window, sent } = fakeWindow();
    sendRoomOpen(window as never, 'roomroomroom123');
    expect(sent).toEqual([['room:open', { roomId: 'roomroomroom123' }]]);
    expect(sent[0]![1]).not.toHaveProperty('threadId');
  });

  it('sends the thread with its room for a thread reply’s notification', () => {
    const { window, sent } = fakeWindow();
    sendRoomOpen(window as never, 'roomroomroom123', 'rootrootroot123');
    expect(sent).toEqual([['room:open', { roomId: 'roomroomroom123', threadId: 'rootrootroot123' }]]);
  });

  it('sends the message a notification or a link names, with its thread when it has one', () => {
    const { window, sent } = fakeWindow();
    sendRoomOpen(window as never, 'roomroomroom123', undefined, 'messagemessag12');
    sendRoomOpen(window as never, 'roomroomroom123', 'rootrootroot123', 'messagemessag12');
    expect(sent).toEqual([
      ['room:open', { roomId: 'roomroomroom123', messageId: 'messagemessag12' }],
      ['room:open', { roomId: 'roomroomroom123', threadId: 'rootrootroot123', messageId: 'messagemessag12' }],
    ]);
    expect(sent[0]![1]).not.toHaveProperty('threadId');
  });

  it('waits for a page still loading (or not yet started), and sends nothing to a window closed meanwhile', () => {
    const loading = fakeWindow({ loading: true });
    sendRoomOpen(loading.window as never, 'roomroomroom123', 'rootrootroot123');
    expect(loading.sent).toEqual([]);
    loading.loaded();
    expect(loading.sent).toEqual([['room:open', { roomId: 'roomroomroom123', threadId: 'rootrootroot123' }]]);

    const fresh = fakeWindow({ url: '' });
    sendRoomOpen(fresh.window as never, 'roomroomroom123', 'rootrootroot123');
    fresh.window.destroyed = true;
    fresh.loaded();
    expect(fresh.sent).toEqual([]);
  });
});
