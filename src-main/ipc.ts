// Main's side of the IPC contract: one guarded handler per invoke channel. Every call is checked for
// who sent it and what it carries before any handler sees it; the channels, their checks and the
// handlers' types all come from the declaration in src-shared/ipc.ts.
import {
  invokeChannels,
  validateArgs,
  type EventChannel,
  type EventChannels,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
} from '../src-shared/ipc.ts';

/** What the guard needs from Electron's IpcMainInvokeEvent. */
export interface SenderEvent {
  readonly senderFrame: { readonly url: string } | null;
}

/** The subset of Electron's ipcMain used here; tests pass a double. */
export interface IpcMainLike<E extends SenderEvent = SenderEvent> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** One handler per declared channel, taking its checked arguments: a missing one does not compile. */
export type IpcHandlers = {
  [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
};

export class UntrustedSenderError extends Error {
  constructor(channel: string) {
    super(`IPC ${channel}: refused, untrusted sender`);
    this.name = 'UntrustedSenderError';
  }
}

/**
 * Registers a handler for every channel of the contract; returns a function that removes them.
 * Handlers already registered for these channels are replaced, so a re-run (dev reload) cannot throw.
 */
export function registerIpcHandlers<E extends SenderEvent>(
  ipcMain: IpcMainLike<E>,
  handlers: IpcHandlers,
  isTrustedSender: (event: E) => boolean,
): () => void {
  for (const channel of invokeChannels) {
    const handler = handlers[channel] as (...args: unknown[]) => unknown;
    if (typeof handler !== 'function') throw new TypeError(`IPC ${channel}: no handler given`);
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, (event: E, ...args: unknown[]) => {
      if (!trusted(event, isTrustedSender)) throw new UntrustedSenderError(channel);
      const valid = validateArgs(channel, args) as unknown[];
      return handler(...valid);
    });
  }
  return () => {
    for (const channel of invokeChannels) ipcMain.removeHandler(channel);
  };
}

function trusted<E extends SenderEvent>(event: E, isTrustedSender: (event: E) => boolean): boolean {
  try {
    // senderFrame is null once the frame navigated away or was destroyed, and its getters can throw then.
    return event.senderFrame !== null && typeof event.senderFrame.url === 'string' && isTrustedSender(event) === true;
  } catch {
    return false;
  }
}

/** Sends a typed event of the contract to the renderer. */
export function sendEvent<C extends EventChannel>(
  target: { send(channel: string, ...args: unknown[]): void },
  channel: C,
  payload: EventChannels[C],
): void {
  target.send(channel, payload);
}
