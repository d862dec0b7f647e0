// The IPC contract between the main process and the renderer, imported by main (handlers), preload
// (the bridge) and the renderer (its types). Every channel is named once here, with its payload types
// and the validator main runs on every payload before it acts on it.
import { isRecordId } from './record-id.ts';
import { isServerUrl, MAX_SERVER_URL } from './server-address.ts';

/** Where the token lives and why: shown to the user when it is not kept across restarts. */
export interface VaultStatus {
  /** True when the token is encrypted by the OS keyring and survives a restart. */
  persistent: boolean;
  /** Why it is not persistent, in words for the user; absent when persistent. */
  reason?: string;
}

export interface VaultLoadResult {
  /** The serialized auth state the SDK's AsyncAuthStore saved, or null when signed out. */
  value: string | null;
  status: VaultStatus;
  /** Set when a stored token existed but could not be read (corrupt, other keyring): sign in again. */
  problem?: string;
}

/**
 * A message that deserves a notification. Room and author are fields of their own: main composes the
 * title from them (src-shared/notification-title.ts) and names rooms in its summaries by roomLabel.
 */
export interface NotificationRequest {
  roomId: string;
  /** The room as the room list shows it: "#general", a private room's name, the person of a direct conversation. */
  roomLabel: string;
  /** Who wrote the message, by display name. */
  author: string;
  /** A direct conversation: the title is the author alone. */
  direct: boolean;
  /** The message text, already shortened by the renderer. */
  body: string;
}

/**
 * A message waiting to be sent: written while offline, or whose send failed. It keeps the record id
 * chosen before the first attempt, so sending it again can never create a second copy.
 */
export interface OutboxEntry {
  id: string;
  room: string;
  text: string;
  /** When it was written (PocketBase date format), to show it in place and send in order. */
  created: string;
  /** pending: will be sent when possible; failed: the server refused it for good (validation, forbidden). */
  state: 'pending' | 'failed';
  /** Why it failed, in words for the user. */
  failure?: string;
}

/** Automatic updates, for the account menu. */
export interface UpdateState {
  /** The user's setting "Check for updates automatically" (on by default). */
  enabled: boolean;
  /** One line about the last or current check, download or failure; null when there is nothing to say. */
  status: string | null;
  /** False where this copy cannot update itself (development runs, the web build, a snap…): no setting to show. */
  supported: boolean;
}

/** Channels the renderer invokes (ipcRenderer.invoke -> ipcMain.handle). */
export interface InvokeChannels {
  'vault:load': { args: []; result: VaultLoadResult };
  'vault:save': { args: [serialized: string]; result: VaultStatus };
  'vault:clear': { args: []; result: void };
  'server:get': { args: []; result: string };
  /** Remembers the server and reloads the window so the Content-Security-Policy allows it. */
  'server:set': { args: [url: string]; result: void };
  'notify:show': { args: [request: NotificationRequest]; result: void };
  'unread:set': { args: [count: number]; result: void };
  'link:open': { args: [url: string]; result: void };
  /** The outbox of one account on one server ("userId@origin"), kept across restarts by main. */
  'outbox:load': { args: [scope: string]; result: OutboxEntry[] };
  'outbox:save': { args: [scope: string, entries: OutboxEntry[]]; result: void };
  'updates:get': { args: []; result: UpdateState };
  /** Turns automatic updates on or off (remembered); off stops checking and cancels a download under way. */
  'updates:set': { args: [enabled: boolean]; result: void };
}

/** Channels main sends to the renderer (webContents.send -> ipcRenderer.on). */
export interface EventChannels {
  /** A notification was clicked, or a palaver://room/<id> link was opened (src-main/deep-link.ts). */
  'room:open': { roomId: string };
  /** "Sign out" was chosen in the tray menu. */
  'session:sign-out': Record<string, never>;
}

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;

export const invokeChannels = [
  'vault:load',
  'vault:save',
  'vault:clear',
  'server:get',
  'server:set',
  'notify:show',
  'unread:set',
  'link:open',
  'outbox:load',
  'outbox:save',
  'updates:get',
  'updates:set',
] as const satisfies readonly InvokeChannel[];

export const eventChannels = ['room:open', 'session:sign-out'] as const satisfies readonly EventChannel[];

/** The API the preload exposes as `window.palaver`, and the web build implements without Electron. */
export interface PalaverBridge {
  readonly kind: 'electron' | 'web';
  vault: {
    load(): Promise<VaultLoadResult>;
    save(serialized: string): Promise<VaultStatus>;
    clear(): Promise<void>;
  };
  server: {
    get(): Promise<string>;
    set(url: string): Promise<void>;
  };
  notify(request: NotificationRequest): Promise<void>;
  setUnreadCount(count: number): Promise<void>;
  openExternal(url: string): Promise<void>;
  outbox: {
    load(scope: string): Promise<OutboxEntry[]>;
    save(scope: string, entries: OutboxEntry[]): Promise<void>;
  };
  updates: {
    get(): Promise<UpdateState>;
    set(enabled: boolean): Promise<void>;
  };
  /**
   * A room to open: a notification was clicked or a palaver:// link was opened. In Electron a room asked
   * for while nothing listened (at start, or while signed out) goes to the first listener.
   */
  onOpenRoom(listener: (roomId: string) => void): () => void;
  onSignOutRequested(listener: () => void): () => void;
}

// ---------------------------------------------------------------------------------------------------
// Payload validation: main never trusts what the renderer sends.

export class InvalidPayloadError extends Error {
  constructor(channel: string, what: string) {
    super(`IPC ${channel}: ${what}`);
    this.name = 'InvalidPayloadError';
  }
}

const MAX_SERIALIZED_AUTH = 64 * 1024;
export const MAX_OUTBOX_ENTRIES = 500;
const MAX_SCOPE = 300;
// Room names and display names are short on the server (their migrations set the limits); this leaves
// room for characters that take two UTF-16 units each, so anything longer was not written by the renderer.
export const MAX_NOTIFICATION_LABEL = 200;
const MAX_BODY = 500;

function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** True for a well-formed outbox entry (also used by main when it reads entries back from disk). */
export function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return (
    isRecordId(entry.id) &&
    isRecordId(entry.room) &&
    isString(entry.text, 8000) &&
    isString(entry.created, 40) &&
    (entry.state === 'pending' || entry.state === 'failed') &&
    (entry.failure === undefined || isString(entry.failure, 500))
  );
}

/** Validates the arguments of an invoke channel; throws InvalidPayloadError, returns them typed. */
export function validateArgs<C extends InvokeChannel>(channel: C, args: unknown[]): InvokeChannels[C]['args'] {
  const fail = (what: string): never => {
    throw new InvalidPayloadError(channel, what);
  };
  switch (channel) {
    case 'vault:load':
    case 'vault:clear':
    case 'server:get':
    case 'updates:get':
      if (args.length !== 0) fail('takes no arguments');
      break;
    case 'vault:save':
      if (args.length !== 1 || !isString(args[0], MAX_SERIALIZED_AUTH)) fail(`expects one string of at most ${MAX_SERIALIZED_AUTH} characters`);
      break;
    case 'server:set':
      if (args.length !== 1 || !isServerUrl(args[0])) fail(`expects an http: or https: URL without credentials, of at most ${MAX_SERVER_URL} characters`);
      break;
    case 'notify:show': {
      const request = args[0] as Partial<NotificationRequest> | undefined;
      if (
        args.length !== 1 ||
        typeof request !== 'object' ||
        request === null ||
        !isRecordId(request.roomId) ||
        !isString(request.roomLabel, MAX_NOTIFICATION_LABEL) ||
        !isString(request.author, MAX_NOTIFICATION_LABEL) ||
        typeof request.direct !== 'boolean' ||
        !isString(request.body, MAX_BODY)
      ) {
        fail(
          `expects { roomId (a record id), roomLabel (<= ${MAX_NOTIFICATION_LABEL}), author (<= ${MAX_NOTIFICATION_LABEL}), direct (boolean), body (<= ${MAX_BODY}) }`,
        );
      }
      break;
    }
    case 'unread:set':
      if (args.length !== 1 || !Number.isInteger(args[0]) || (args[0] as number) < 0 || (args[0] as number) > 1_000_000) {
        fail('expects a whole number from 0 to 1000000');
      }
      break;
    case 'link:open':
      if (args.length !== 1 || !isString(args[0], 4096)) fail('expects one URL string');
      break;
    case 'outbox:load':
      if (args.length !== 1 || !isString(args[0], MAX_SCOPE) || args[0] === '') fail(`expects one scope string of at most ${MAX_SCOPE} characters`);
      break;
    case 'outbox:save':
      if (args.length !== 2 || !isString(args[0], MAX_SCOPE) || args[0] === '') fail(`expects a scope string of at most ${MAX_SCOPE} characters`);
      if (!Array.isArray(args[1]) || args[1].length > MAX_OUTBOX_ENTRIES || !args[1].every(isOutboxEntry)) {
        fail(`expects at most ${MAX_OUTBOX_ENTRIES} outbox entries { id, room, text, created, state, failure? }`);
      }
      break;
    case 'updates:set':
      if (args.length !== 1 || typeof args[0] !== 'boolean') fail('expects one boolean');
      break;
    default:
      fail('is not a channel of the contract');
  }
  return args as InvokeChannels[C]['args'];
}
