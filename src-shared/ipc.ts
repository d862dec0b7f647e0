// The IPC contract between the main process and the renderer, imported by main (handlers), preload
// (the bridge) and the renderer (its types). Every invoke channel is declared once, in `invoke` below:
// its name, the check main runs on its arguments before any handler sees them, and its result. The
// channel list, the argument and result types, main's handler table, the bridge's type and the preload
// bridge itself are derived from that declaration, so a channel cannot exist without its check.
import {
  isOutboxEntry,
  MAX_ATTACHMENT_BYTES,
  MAX_FILE_NAME,
  MAX_OUTBOX_ENTRIES,
  type OutboxEntry,
} from './outbox-entry.ts';
import { isRecordId } from './record-id.ts';
import { isServerUrl, MAX_SERVER_URL } from './server-address.ts';
import type { ServerList } from './server-list.ts';

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
  /** A thread's reply: its root (a record id), so a click opens that thread beside the room. */
  threadId?: string;
  /** The message (a record id): a click opens the conversation at it (a summary of several opens only the room). */
  messageId?: string;
  /** The server of the message (its address), when several are added: the title names it, a click opens it. */
  server?: string;
}

/** The servers added (src-shared/server-list.ts), and the address the sign-in form offers when there are none. */
export interface ServersState {
  list: ServerList;
  /** The build's default server (or PALAVER_SERVER in a development run). */
  suggested: string;
}

/** What the renderer declares its presence from (lib/presence.svelte.ts): the system's, in Electron. */
export interface PresenceHints {
  /** Seconds since the last keyboard or mouse input anywhere on the computer. */
  idleSeconds: number;
  /** The app's do-not-disturb setting (tray menu). */
  doNotDisturb: boolean;
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

// The outbox entry's format and check have a home of their own; the contract carries them on.
export {
  isOutboxEntry,
  MAX_ATTACHMENT_BYTES,
  MAX_OUTBOX_ENTRIES,
  MAX_OUTBOX_FILES,
  type OutboxEntry,
  type OutboxFile,
} from './outbox-entry.ts';

// ---------------------------------------------------------------------------------------------------
// Argument checks: main never trusts what the renderer sends.

export class InvalidPayloadError extends Error {
  constructor(channel: string, what: string) {
    super(`IPC ${channel}: ${what}`);
    this.name = 'InvalidPayloadError';
  }
}

const MAX_SERIALIZED_AUTH = 64 * 1024;
const MAX_SCOPE = 300;
const MAX_LINK = 4096;
const MAX_UNREAD = 1_000_000;
// Room names and display names are short on the server (their migrations set the limits); this leaves
// room for characters that take two UTF-16 units each, so anything longer was not written by the renderer.
export const MAX_NOTIFICATION_LABEL = 200;
const MAX_BODY = 500;
const MAX_DOWNLOAD_URL = 8192;
const SERVER_RULE = `expects a server address (http: or https:, no credentials, at most ${MAX_SERVER_URL} characters)`;

/** A check of one argument. */
type Guard<T> = (value: unknown) => value is T;

function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

const stringOf =
  (max: number): Guard<string> =>
  (value): value is string =>
    isString(value, max);

const isScope: Guard<string> = (value): value is string => isString(value, MAX_SCOPE) && value !== '';

const isUnreadCount: Guard<number> = (value): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_UNREAD;

const isBoolean: Guard<boolean> = (value): value is boolean => typeof value === 'boolean';

const isFileKey: Guard<string> = (value): value is string => isRecordId(value);

const isFileBytes: Guard<Uint8Array> = (value): value is Uint8Array =>
  value instanceof Uint8Array && value.byteLength <= MAX_ATTACHMENT_BYTES;

const isOutboxEntries: Guard<OutboxEntry[]> = (value): value is OutboxEntry[] =>
  Array.isArray(value) && value.length <= MAX_OUTBOX_ENTRIES && value.every(isOutboxEntry);

function isNotificationRequest(value: unknown): value is NotificationRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Partial<NotificationRequest>;
  return (
    isRecordId(request.roomId) &&
    isString(request.roomLabel, MAX_NOTIFICATION_LABEL) &&
    isString(request.author, MAX_NOTIFICATION_LABEL) &&
    typeof request.direct === 'boolean' &&
    isString(request.body, MAX_BODY) &&
    (request.threadId === undefined || isRecordId(request.threadId)) &&
    (request.messageId === undefined || isRecordId(request.messageId)) &&
    (request.server === undefined || isServerUrl(request.server))
  );
}

/** Checks a channel's whole argument list: true when it is exactly A. */
export interface ArgsCheck<A extends unknown[]> {
  (args: readonly unknown[]): args is A;
  /** What the channel takes, in the words of the error that refuses anything else. */
  readonly rule: string;
}

type Guarded<G extends readonly Guard<unknown>[]> = {
  -readonly [K in keyof G]: G[K] extends Guard<infer T> ? T : never;
};

/** Exactly these arguments, one guard per position, nothing more. */
export function exactly<const G extends readonly Guard<unknown>[]>(rule: string, ...guards: G): ArgsCheck<Guarded<G>> {
  const check = (args: readonly unknown[]): args is Guarded<G> =>
    args.length === guards.length && guards.every((guard, i) => guard(args[i]));
  return Object.assign(check, { rule });
}

export const noArgs: ArgsCheck<[]> = exactly('takes no arguments');

/** One invoke channel: the check of its arguments A, and (as a type only) its result R. */
export interface Channel<A extends unknown[], R> {
  readonly check: ArgsCheck<A>;
  /** Never set: carries the result type to handlers and the bridge. */
  readonly result?: R;
}

/** Declares a channel; its check is required and must accept exactly the declared arguments. */
export function channel<A extends unknown[], R>(check: ArgsCheck<A>): Channel<A, R> {
  if (typeof check !== 'function' || typeof check.rule !== 'string')
    throw new TypeError('an IPC channel needs the check of its arguments');
  return { check };
}

// ---------------------------------------------------------------------------------------------------
// The channels the renderer invokes (ipcRenderer.invoke -> ipcMain.handle).

export const invoke = {
  /** The token of one added server (by its address); each server's is kept apart, under its origin. */
  'vault:load': channel<[server: string], VaultLoadResult>(exactly(SERVER_RULE, isServerUrl)),
  'vault:save': channel<[server: string, serialized: string], VaultStatus>(
    exactly(
      `${SERVER_RULE}, then one string of at most ${MAX_SERIALIZED_AUTH} characters`,
      isServerUrl,
      stringOf(MAX_SERIALIZED_AUTH),
    ),
  ),
  'vault:clear': channel<[server: string], void>(exactly(SERVER_RULE, isServerUrl)),
  'servers:get': channel<[], ServersState>(noArgs),
  /**
   * Adds a server (or changes the address of the one of its origin) and opens it. The request guards
   * allow it at once; in Electron the page reloads after the reply so its Content-Security-Policy does.
   */
  'servers:add': channel<[url: string], ServerList>(exactly(SERVER_RULE, isServerUrl)),
  /** Removes a server and its token; the same reload as servers:add takes its origin out of the policy. */
  'servers:remove': channel<[url: string], ServerList>(exactly(SERVER_RULE, isServerUrl)),
  /** Remembers which server is open (the next start opens it). */
  'servers:activate': channel<[url: string], void>(exactly(SERVER_RULE, isServerUrl)),
  'notify:show': channel<[request: NotificationRequest], void>(
    exactly(
      `expects { roomId (a record id), roomLabel (<= ${MAX_NOTIFICATION_LABEL}), author (<= ${MAX_NOTIFICATION_LABEL}), direct (boolean), body (<= ${MAX_BODY}), threadId? (a record id), messageId? (a record id), server? (a server address) }`,
      isNotificationRequest,
    ),
  ),
  'unread:set': channel<[count: number], void>(
    exactly(`expects a whole number from 0 to ${MAX_UNREAD}`, isUnreadCount),
  ),
  'link:open': channel<[url: string], void>(
    exactly(`expects one URL string of at most ${MAX_LINK} characters`, stringOf(MAX_LINK)),
  ),
  /** The outbox of one account on one server ("userId@origin"), kept across restarts by main. */
  'outbox:load': channel<[scope: string], OutboxEntry[]>(
    exactly(`expects one scope string of at most ${MAX_SCOPE} characters`, isScope),
  ),
  'outbox:save': channel<[scope: string, entries: OutboxEntry[]], void>(
    exactly(
      `expects a scope string of at most ${MAX_SCOPE} characters and at most ${MAX_OUTBOX_ENTRIES} outbox entries { id, room, text, created, state, failure? }`,
      isScope,
      isOutboxEntries,
    ),
  ),
  /** Keeps the bytes of an outbox message's file (before the entry naming it is saved). */
  'outbox:put-file': channel<[scope: string, key: string, bytes: Uint8Array], void>(
    exactly(
      `expects a scope string of at most ${MAX_SCOPE} characters, a file key (a record id) and a Uint8Array of at most ${MAX_ATTACHMENT_BYTES} bytes`,
      isScope,
      isFileKey,
      isFileBytes,
    ),
  ),
  /** The bytes kept under a key, or null when they are gone. */
  'outbox:get-file': channel<[scope: string, key: string], Uint8Array | null>(
    exactly(
      `expects a scope string of at most ${MAX_SCOPE} characters and a file key (a record id)`,
      isScope,
      isFileKey,
    ),
  ),
  /**
   * Saves a file of a message (its URL on the current server, with its file token) where the user says in
   * a save dialog opened on the Downloads folder; never opens or runs it. False when the user cancelled.
   */
  'download:file': channel<[url: string, name: string], boolean>(
    exactly(
      `expects a file URL of at most ${MAX_DOWNLOAD_URL} characters and a file name of at most ${MAX_FILE_NAME} characters`,
      stringOf(MAX_DOWNLOAD_URL),
      stringOf(MAX_FILE_NAME),
    ),
  ),
  'updates:get': channel<[], UpdateState>(noArgs),
  /** Turns automatic updates on or off (remembered); off stops checking and cancels a download under way. */
  'updates:set': channel<[enabled: boolean], void>(exactly('expects one boolean', isBoolean)),
  'presence:hints': channel<[], PresenceHints>(noArgs),
} as const;

export type InvokeChannel = keyof typeof invoke;
export type InvokeArgs<C extends InvokeChannel> = (typeof invoke)[C] extends Channel<infer A, unknown> ? A : never;
export type InvokeResult<C extends InvokeChannel> = (typeof invoke)[C] extends Channel<unknown[], infer R> ? R : never;

export const invokeChannels = Object.freeze(Object.keys(invoke) as InvokeChannel[]);

/** Checks the arguments of an invoke channel; throws InvalidPayloadError, returns them typed. */
export function validateArgs<C extends InvokeChannel>(name: C, args: readonly unknown[]): InvokeArgs<C> {
  const declared: Channel<unknown[], unknown> | undefined = Object.hasOwn(invoke, name) ? invoke[name] : undefined;
  if (declared === undefined) throw new InvalidPayloadError(name, 'is not a channel of the contract');
  if (!declared.check(args)) throw new InvalidPayloadError(name, declared.check.rule);
  return args as InvokeArgs<C>;
}

// ---------------------------------------------------------------------------------------------------
// The bridge: window.palaver in Electron (src-preload/api.ts), the web bridge in a browser.

/** Where each invoke channel sits on window.palaver: a channel name is a method, a group is an object. */
export interface BridgeLayout {
  readonly [name: string]: InvokeChannel | BridgeLayout;
}

export const bridgeLayout = {
  vault: { load: 'vault:load', save: 'vault:save', clear: 'vault:clear' },
  servers: { get: 'servers:get', add: 'servers:add', remove: 'servers:remove', activate: 'servers:activate' },
  notify: 'notify:show',
  setUnreadCount: 'unread:set',
  openExternal: 'link:open',
  outbox: { load: 'outbox:load', save: 'outbox:save', putFile: 'outbox:put-file', getFile: 'outbox:get-file' },
  downloadFile: 'download:file',
  updates: { get: 'updates:get', set: 'updates:set' },
  presenceHints: 'presence:hints',
} as const satisfies BridgeLayout;

/** The methods a layout describes: each calls its channel with its arguments and resolves to its result. */
export type BridgeMethods<L> = {
  -readonly [K in keyof L]: L[K] extends InvokeChannel
    ? (...args: InvokeArgs<L[K]>) => Promise<InvokeResult<L[K]>>
    : BridgeMethods<L[K]>;
};

type ChannelsIn<L> = { [K in keyof L]: L[K] extends InvokeChannel ? L[K] : ChannelsIn<L[K]> }[keyof L];
type OffTheBridge = Exclude<InvokeChannel, ChannelsIn<typeof bridgeLayout>>;
// Fails to compile, naming the channel, when a declared channel has no place on the bridge.
const everyChannelOnTheBridge: [OffTheBridge] extends [never] ? true : OffTheBridge = true;
void everyChannelOnTheBridge;

/** The API the preload exposes as `window.palaver`, and the web build implements without Electron. */
export interface PalaverBridge extends BridgeMethods<typeof bridgeLayout> {
  readonly kind: 'electron' | 'web';
  /**
   * A room to open: a notification was clicked or a palaver:// link was opened. In Electron a room asked
   * for while nothing listened (at start, or while signed out) goes to the first listener. A thread
   * reply's notification also names the thread (its root's id) to open beside the room; a notification
   * of one message and a palaver://room/<id>/message/<id> link name the message to open the room at
   * (lib/message-jump.ts). Arguments left out are not passed: a room alone is `listener(roomId)`. The
   * fourth is the server (its address) when a notification or a link named one.
   */
  onOpenRoom(listener: (roomId: string, threadId?: string, messageId?: string, server?: string) => void): () => void;
  onSignOutRequested(listener: () => void): () => void;
}

// ---------------------------------------------------------------------------------------------------
// Events main sends to the renderer (webContents.send -> ipcRenderer.on).

export interface EventChannels {
  /**
   * A notification was clicked, or a palaver://room/<id> link was opened (src-main/deep-link.ts); a
   * thread reply's notification also names its thread (links never do); a notification of one message,
   * and a palaver://room/<id>/message/<id> link, name the message.
   */
  'room:open': { roomId: string; threadId?: string; messageId?: string; server?: string };
  /** "Sign out" was chosen in the tray menu. */
  'session:sign-out': Record<string, never>;
}

export type EventChannel = keyof EventChannels;

/**
 * What onOpenRoom's listener is called with for a room to open: what was not asked for is not passed, so
 * a room alone is `(roomId)`, a thread `(roomId, threadId)`, a message `(roomId, threadId?, messageId)`.
 */
export function roomOpenArguments(room: EventChannels['room:open']): [string, string?, string?, string?] {
  const { roomId, threadId, messageId, server } = room;
  if (server !== undefined) return [roomId, threadId, messageId, server];
  if (messageId !== undefined) return [roomId, threadId, messageId];
  return threadId === undefined ? [roomId] : [roomId, threadId];
}

export const eventChannels = ['room:open', 'session:sign-out'] as const satisfies readonly EventChannel[];
