import { describe, expect, it, vi } from 'vitest';
import type { ChatRoom } from './rooms.ts';
import {
  isApplePlatform,
  roomToward,
  runShortcut,
  shortcutFor,
  sidebarOrder,
  type KeyPress,
} from './keyboard-shortcuts.ts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('opens Jump to with Ctrl+J, and with Cmd+J (not Ctrl+J) on Apple systems', () => {
    expect(shortcutFor(press('j', { ctrlKey: true }), 'elsewhere', false)).toBe('jump');
    expect(shortcutFor(press('J', { ctrlKey: true }), 'elsewhere', false)).toBe('jump');
    expect(shortcutFor(press('j', { metaKey: true }), 'elsewhere', true)).toBe('jump');
    expect(shortcutFor(press('j', { ctrlKey: true }), 'elsewhere', true)).toBeNull();
    expect(shortcutFor(press('j', { metaKey: true }), 'elsewhere', false)).toBeNull();
    expect(shortcutFor(press('j', { ctrlKey: true, shiftKey: true }), 'elsewhere', false)).toBeNull();
    expect(shortcutFor(press('j'), 'elsewhere', false)).toBeNull();
  });

  it('searches messages with Ctrl+K and Ctrl+F (Cmd on Apple systems), which no longer open Jump to', () => {
    for (const key of ['k', 'K', 'f', 'F']) {
      expect(shortcutFor(press(key, { ctrlKey: true }), 'elsewhere', false)).toBe('search');
      expect(shortcutFor(press(key, { metaKey: true }), 'elsewhere', true)).toBe('search');
      expect(shortcutFor(press(key, { ctrlKey: true }), 'elsewhere', true)).toBeNull();
    }
    expect(shortcutFor(press('f', { ctrlKey: true, shiftKey: true }), 'elsewhere', false)).toBeNull();
    expect(shortcutFor(press('f', { ctrlKey: true, altKey: true }), 'elsewhere', false)).toBeNull();
    expect(shortcutFor(press('f'), 'composer', false)).toBeNull();
  });

  it('takes Ctrl+K, Ctrl+F and Ctrl+J from any field, the composer included: no text field uses them', () => {
    for (const place of ['composer', 'text-field'] as const) {
      expect(shortcutFor(press('k', { ctrlKey: true }), place, false)).toBe('search');
      expect(shortcutFor(press('f', { ctrlKey: true }), place, false)).toBe('search');
      expect(shortcutFor(press('j', { ctrlKey: true }), place, false)).toBe('jump');
    }
  });

  it('moves between rooms with Alt+Up/Down, and between unread rooms with Alt+Shift+Up/Down', () => {
    expect(shortcutFor(press('ArrowUp', { altKey: true }), 'elsewhere', false)).toBe('previous-room');
    expect(shortcutFor(press('ArrowDown', { altKey: true }), 'elsewhere', false)).toBe('next-room');
    expect(shortcutFor(press('ArrowUp', { altKey: true, shiftKey: true }), 'elsewhere', false)).toBe('previous-unread');
    expect(shortcutFor(press('ArrowDown', { altKey: true, shiftKey: true }), 'elsewhere', true)).toBe('next-unread');
    expect(shortcutFor(press('ArrowDown'), 'elsewhere', false)).toBeNull();
    expect(shortcutFor(press('ArrowDown', { altKey: true, ctrlKey: true }), 'elsewhere', false)).toBeNull();
    expect(shortcutFor(press('ArrowLeft', { altKey: true }), 'elsewhere', false)).toBeNull();
  });

  it('takes Alt+arrows in the composer but leaves them to other text fields, such as a message being edited', () => {
    expect(shortcutFor(press('ArrowUp', { altKey: true }), 'composer', false)).toBe('previous-room');
    expect(shortcutFor(press('ArrowUp', { altKey: true }), 'text-field', false)).toBeNull();
    expect(shortcutFor(press('ArrowDown', { altKey: true, shiftKey: true }), 'text-field', false)).toBeNull();
  });

  it('fires nothing while a dialog is open or an input method is composing', () => {
    expect(shortcutFor(press('k', { ctrlKey: true }), 'dialog', false)).toBeNull();
    expect(shortcutFor(press('j', { ctrlKey: true }), 'dialog', false)).toBeNull();
    expect(shortcutFor(press('ArrowDown', { altKey: true }), 'dialog', false)).toBeNull();
    expect(shortcutFor(press('k', { ctrlKey: true, isComposing: true }), 'composer', false)).toBeNull();
    expect(shortcutFor(press('ArrowDown', { altKey: true, isComposing: true }), 'composer', false)).toBeNull();
  });

  it('knows Apple systems by their user agent', () => {
    expect(isApplePlatform('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)')).toBe(true);
    expect(isApplePlatform('Mozilla/5.0 (X11; Linux x86_64)')).toBe(false);
    expect(isApplePlatform('Mozilla/5.0 (Windows NT 10.0; Win64; x64)')).toBe(false);
  });
});

describe('roomToward', () => {
  const order = ['a', 'b', 'c', 'd'];

  it('goes to the room above or below the open one and stops at the ends', () => {
    expect(roomToward('next-room', order, 'b', {})).toBe('c');
    expect(roomToward('previous-room', order, 'b', {})).toBe('a');
    expect(roomToward('next-room', order, 'd', {})).toBeNull();
    expect(roomToward('previous-room', order, 'a', {})).toBeNull();
  });

  it('starts at the top going down and at the bottom going up when no listed room is open', () => {
    expect(roomToward('next-room', order, null, {})).toBe('a');
    expect(roomToward('previous-room', order, null, {})).toBe('d');
    expect(roomToward('next-room', order, 'gone', {})).toBe('a');
    expect(roomToward('next-room', [], null, {})).toBeNull();
  });

  it('skips rooms with nothing unread for the unread shortcuts', () => {
    const unread = { a: 2, c: 0, d: 5 };
    expect(roomToward('next-unread', order, 'b', unread)).toBe('d');
    expect(roomToward('previous-unread', order, 'd', unread)).toBe('a');
    expect(roomToward('previous-unread', order, 'a', unread)).toBeNull();
    expect(roomToward('next-unread', order, 'd', unread)).toBeNull();
  });
});

describe('sidebarOrder', () => {
  it('lists rooms first and direct conversations after them, as the sidebar does', () => {
    const room = (id: string, kind: ChatRoom['kind'], name: string, members: unknown[] = []) =>
      ({ id, kind, name, expand: { members } }) as unknown as ChatRoom;
    const rooms = [
      room('dm', 'direct', '', [{ id: 'x', username: 'adam', name: '' }]),
      room('z', 'public', 'zebra'),
      room('p', 'private', 'apple'),
    ];
    expect(sidebarOrder(rooms, 'me')).toEqual(['p', 'z', 'dm']);
  });
});

describe('runShortcut', () => {
  const targets = () => ({
    search: vi.fn(),
    jump: vi.fn(),
    openRoom: vi.fn(),
    rooms: () => ({ order: ['a', 'b'], openId: 'a', unread: {} }),
  });
  const event = (init: Partial<KeyPress>) =>
    ({ ...press('x'), ...init, target: null, preventDefault: vi.fn() }) as unknown as KeyboardEvent;

  it('acts on a shortcut and keeps the browser from acting on it too', () => {
    const t = targets();
    const next = event({ key: 'ArrowDown', altKey: true });
    runShortcut(next, t);
    expect(t.openRoom).toHaveBeenCalledWith('b');
    expect(next.preventDefault).toHaveBeenCalled();
    runShortcut(event({ key: 'j', ctrlKey: true }), t);
    expect(t.jump).toHaveBeenCalledOnce();
    // Ctrl+F: the search, not the browser's find (which would see only the messages drawn).
    const find = event({ key: 'f', ctrlKey: true });
    runShortcut(find, t);
    expect(t.search).toHaveBeenCalledOnce();
    expect(find.preventDefault).toHaveBeenCalled();
  });

  it('leaves every other key alone', () => {
    const t = targets();
    const plain = event({ key: 'ArrowDown' });
    runShortcut(plain, t);
    expect(plain.preventDefault).not.toHaveBeenCalled();
    expect(t.openRoom).not.toHaveBeenCalled();
  });
});
