// Builds window.palaver from an ipcRenderer-like object. No electron import, so it can be tested; the
// renderer only ever gets these functions, never ipcRenderer or an IpcRendererEvent. Its methods follow
// from the contract's bridgeLayout (src-shared/ipc.ts): a channel declared there is a method here.
import {
  bridgeLayout,
  type BridgeLayout,
  type BridgeMethods,
  type EventChannel,
  type EventChannels,
  type PalaverBridge,
  roomOpenArguments,
} from '../src-shared/ipc.ts';

export type IpcListener = (event: unknown, ...args: unknown[]) => void;

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): void;
  removeListener(channel: string, listener: IpcListener): void;
}

/** A frozen object with one method per channel of the layout, and one such object per group. */
function methodsFor(layout: BridgeLayout, ipc: IpcRendererLike): Readonly<Record<string, unknown>> {
  const methods: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(layout)) {
    methods[name] =
      typeof entry === 'string' ? (...args: unknown[]) => ipc.invoke(entry, ...args) : methodsFor(entry, ipc);
  }
  return Object.freeze(methods);
}

export function createBridge(ipc: IpcRendererLike): PalaverBridge {
  // Typed by the contract: each method passes its arguments to its channel and resolves to its result.
  const methods = methodsFor(bridgeLayout, ipc) as BridgeMethods<typeof bridgeLayout>;

  const subscribe = <C extends EventChannel>(
    channel: C,
    deliver: (payload: EventChannels[C]) => void,
  ): (() => void) => {
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
  // newest such room (with its thread, when a thread reply's notification asked, and its message, when a
  // notification or a link named one) waits here for the first listener; later ones go to every
  // listener at once.
  type RoomToOpen = EventChannels['room:open'];
  type RoomListener = (roomId: string, threadId?: string, messageId?: string, server?: string) => void;
  const roomListeners = new Set<(room: RoomToOpen) => void>();
  let waitingRoom: RoomToOpen | null = null;
  const openRoom = (room: RoomToOpen) => {
    if (roomListeners.size === 0) waitingRoom = room;
    else for (const listener of [...roomListeners]) listener(room);
  };
  ipc.on('room:open', (_event, payload) => {
    const { roomId, threadId, messageId, server } =
      (payload as Partial<Record<keyof RoomToOpen, unknown>> | null | undefined) ?? {};
    if (typeof roomId !== 'string') return;
    // A thread, a message or a server that is not a string is none: the room still opens.
    openRoom({
      roomId,
      ...(typeof threadId === 'string' ? { threadId } : {}),
      ...(typeof messageId === 'string' ? { messageId } : {}),
      ...(typeof server === 'string' ? { server } : {}),
    });
  });

  const bridge: PalaverBridge = {
    kind: 'electron',
    ...methods,
    onOpenRoom(listener: RoomListener) {
      requireFunction(listener, 'onOpenRoom');
      // A wrapper of our own, so the same function subscribed twice is two subscriptions, as with ipc.on.
      // A room alone is passed alone: listeners see exactly what was asked for.
      const deliver = (room: RoomToOpen) => listener(...roomOpenArguments(room));
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
