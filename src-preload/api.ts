// Builds window.palaver from an ipcRenderer-like object. No electron import, so it can be tested; the
// renderer only ever gets these functions, never ipcRenderer or an IpcRendererEvent.
import type {
  EventChannel,
  EventChannels,
  InvokeChannel,
  InvokeChannels,
  NotificationRequest,
  OutboxEntry,
  PalaverBridge,
} from '../src-shared/ipc.ts';

export type IpcListener = (event: unknown, ...args: unknown[]) => void;

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): void;
  removeListener(channel: string, listener: IpcListener): void;
}

export function createBridge(ipc: IpcRendererLike): PalaverBridge {
  const invoke = <C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']) =>
    ipc.invoke(channel, ...args) as Promise<InvokeChannels[C]['result']>;

  const subscribe = <C extends EventChannel>(channel: C, deliver: (payload: EventChannels[C]) => void): (() => void) => {
    const wrapper: IpcListener = (_event, payload) => deliver(payload as EventChannels[C]);
    ipc.on(channel, wrapper);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(channel, wrapper);
    };
  };

  const requireFunction = (listener: unknown, name: string): void => {
    if (typeof listener !== 'function') throw new TypeError(`palaver.${name} needs a function`);
  };

  // room:open can come before anyone listens: a palaver:// link that started Palaver is sent once the
  // page has loaded, but the chat listens only once the session is restored, or after signing in. The
  // newest such room waits here for the first listener; later ones go to every listener at once.
  const roomListeners = new Set<(roomId: string) => void>();
  let waitingRoom: string | null = null;
  const openRoom = (roomId: string) => {
    if (roomListeners.size === 0) waitingRoom = roomId;
    else for (const listener of [...roomListeners]) listener(roomId);
  };
  ipc.on('room:open', (_event, payload) => {
    const roomId = (payload as Partial<EventChannels['room:open']> | null | undefined)?.roomId;
    if (typeof roomId === 'string') openRoom(roomId);
  });

  const bridge: PalaverBridge = {
    kind: 'electron',
    vault: Object.freeze({
      load: () => invoke('vault:load'),
      save: (serialized: string) => invoke('vault:save', serialized),
      clear: () => invoke('vault:clear'),
    }),
    server: Object.freeze({
      get: () => invoke('server:get'),
      set: (url: string) => invoke('server:set', url),
    }),
    notify: (request: NotificationRequest) => invoke('notify:show', request),
    setUnreadCount: (count: number) => invoke('unread:set', count),
    openExternal: (url: string) => invoke('link:open', url),
    outbox: Object.freeze({
      load: (scope: string) => invoke('outbox:load', scope),
      save: (scope: string, entries: OutboxEntry[]) => invoke('outbox:save', scope, entries),
    }),
    updates: Object.freeze({
      get: () => invoke('updates:get'),
      set: (enabled: boolean) => invoke('updates:set', enabled),
    }),
    onOpenRoom(listener: (roomId: string) => void) {
      requireFunction(listener, 'onOpenRoom');
      // A wrapper of our own, so the same function subscribed twice is two subscriptions, as with ipc.on.
      const deliver = (roomId: string) => listener(roomId);
      roomListeners.add(deliver);
      const waiting = waitingRoom;
      waitingRoom = null;
      // After this call returns, as any other event would be: the caller may still be setting up.
      if (waiting !== null) {
        queueMicrotask(() => {
          if (roomListeners.has(deliver)) deliver(waiting);
          else openRoom(waiting);
        });
      }
      return () => {
        roomListeners.delete(deliver);
      };
    },
    onSignOutRequested(listener: () => void) {
      requireFunction(listener, 'onSignOutRequested');
      return subscribe('session:sign-out', () => listener());
    },
  };
  return Object.freeze(bridge);
}
