// The app-wide keyboard shortcuts: which key combination means what, where it may fire, and which room
// a room-moving shortcut leads to. Decided here from plain values, so the rules are tested without a DOM;
// the window's keydown listener (ChatScreen) only hands the event in.
import { sortRooms, type ChatRoom } from './rooms.ts';

export type Shortcut = 'search' | 'jump' | 'previous-room' | 'next-room' | 'previous-unread' | 'next-unread';

/**
 * Where the key was pressed. A modal dialog owns the keyboard; the composer gives up Alt+arrows (they
 * only move the caret by paragraph there); other text fields (editing a message, a search) keep them,
 * since switching rooms there would throw away what is being written.
 */
export type KeyPlace = 'composer' | 'text-field' | 'dialog' | 'elsewhere';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
}

/** Apple's systems use Cmd where the others use Ctrl. */
export function isApplePlatform(userAgent: string): boolean {
  return /Mac|iPhone|iPad|iPod/.test(userAgent);
}

export function shortcutFor(press: KeyPress, place: KeyPlace, apple: boolean): Shortcut | null {
  // A key that finishes an input-method composition belongs to the text being written.
  if (press.isComposing || place === 'dialog') return null;
  const command = apple ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (command && !press.altKey && !press.shiftKey) {
    // Ctrl/Cmd+F too, in place of the browser's find, which sees only the few messages drawn: the
    // search sees every conversation. Ctrl+T would be the usual switcher key, but browsers keep it.
    const key = press.key.toLowerCase();
    if (key === 'k' || key === 'f') return 'search';
    if (key === 'j') return 'jump';
  }
  if (press.altKey && !press.ctrlKey && !press.metaKey && place !== 'text-field') {
    if (press.key === 'ArrowUp') return press.shiftKey ? 'previous-unread' : 'previous-room';
    if (press.key === 'ArrowDown') return press.shiftKey ? 'next-unread' : 'next-room';
  }
  return null;
}

/** The rooms in the order the sidebar shows them: rooms, then direct conversations. */
export function sidebarOrder(rooms: readonly ChatRoom[], selfId: string): string[] {
  const { channels, direct } = sortRooms(rooms, selfId);
  return [...channels, ...direct].map((room) => room.id);
}

/**
 * The room a room-moving shortcut opens, or null to stay. It stops at the ends of the list rather than
 * wrapping around: a room that jumps from the bottom to the top looks like a mistake, and the ends are
 * one Home/End away in the room list. With no room open, down starts at the top and up at the bottom.
 */
export function roomToward(
  shortcut: Exclude<Shortcut, 'jump' | 'search'>,
  order: readonly string[],
  openId: string | null,
  unread: Readonly<Record<string, number>>,
): string | null {
  const down = shortcut === 'next-room' || shortcut === 'next-unread';
  const onlyUnread = shortcut === 'previous-unread' || shortcut === 'next-unread';
  const at = openId === null ? -1 : order.indexOf(openId);
  const start = at >= 0 ? at : down ? -1 : order.length;
  for (let i = start + (down ? 1 : -1); i >= 0 && i < order.length; i += down ? 1 : -1) {
    const id = order[i]!;
    if (!onlyUnread || (unread[id] ?? 0) > 0) return id;
  }
  return null;
}

/** Where in the page an element sits, as far as shortcuts care. */
export function placeOf(target: EventTarget | null): KeyPlace {
  const element = target as Element | null;
  if (!element || typeof element.closest !== 'function') return 'elsewhere';
  if (element.ownerDocument.querySelector('dialog[open]')) return 'dialog';
  if (element.closest('form.composer')) return 'composer';
  if (element.closest('textarea, select, [contenteditable=""], [contenteditable="true"]')) return 'text-field';
  if (element.matches('input') && !element.matches('[type=checkbox], [type=radio], [type=button], [type=submit]'))
    return 'text-field';
  return 'elsewhere';
}

export interface ShortcutTargets {
  /** Puts the keyboard in the `Search messages` field. */
  search(): void;
  /** Opens the `Jump to` dialog. */
  jump(): void;
  /** The rooms in sidebar order, the open one and the unread counts. */
  rooms(): { order: readonly string[]; openId: string | null; unread: Readonly<Record<string, number>> };
  openRoom(id: string): void;
}

const apple = typeof navigator !== 'undefined' && isApplePlatform(navigator.userAgent);

/** The window's keydown listener: acts on a shortcut and keeps the browser from acting on it too. */
export function runShortcut(event: KeyboardEvent, targets: ShortcutTargets): void {
  const shortcut = shortcutFor(event, placeOf(event.target), apple);
  if (!shortcut) return;
  event.preventDefault();
  if (shortcut === 'search') return targets.search();
  if (shortcut === 'jump') return targets.jump();
  const { order, openId, unread } = targets.rooms();
  const next = roomToward(shortcut, order, openId, unread);
  if (next) targets.openRoom(next);
}

/** What the shortcuts need of the chat. */
export interface ChatForShortcuts {
  directory: { listed: readonly ChatRoom[] };
  self: { id: string };
  openRoomId: string | null;
  unread: Readonly<Record<string, number>>;
}

export function chatShortcuts(
  chat: ChatForShortcuts,
  { search, jump }: Pick<ShortcutTargets, 'search' | 'jump'>,
  openRoom: (id: string) => void,
): ShortcutTargets {
  return {
    search,
    jump,
    openRoom,
    rooms: () => ({
      order: sidebarOrder(chat.directory.listed, chat.self.id),
      openId: chat.openRoomId,
      unread: chat.unread,
    }),
  };
}
