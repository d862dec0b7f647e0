import { describe, expect, it } from 'vitest';
import { badgeTotal, serverInitials, serverOfRoom, serverShortcut } from './server-rail.ts';

const press = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('serverShortcut', () => {
  it('Ctrl+1…9 (Cmd on Apple systems) open the first nine servers', () => {
    expect(serverShortcut(press('1', { ctrlKey: true }), false)).toBe(0);
    expect(serverShortcut(press('9', { ctrlKey: true }), false)).toBe(8);
    expect(serverShortcut(press('2', { metaKey: true }), true)).toBe(1);
  });

  it('leaves every other key alone', () => {
    expect(serverShortcut(press('0', { ctrlKey: true }), false)).toBeNull();
    expect(serverShortcut(press('1'), false)).toBeNull();
    expect(serverShortcut(press('1', { metaKey: true }), false)).toBeNull();
    expect(serverShortcut(press('1', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(serverShortcut(press('1', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(serverShortcut({ ...press('1', { ctrlKey: true }), isComposing: true }, false)).toBeNull();
  });
});

describe('serverOfRoom', () => {
  const list = {
    servers: [{ url: 'https://a.example.com' }, { url: 'http://127.0.0.1:8091' }],
    active: 'https://a.example.com',
  };
  it('a room named with its server opens there; without one, on the server open now', () => {
    expect(serverOfRoom('http://127.0.0.1:8091/', list)).toBe('http://127.0.0.1:8091');
    expect(serverOfRoom(undefined, list)).toBe('https://a.example.com');
  });
  it('a server not added opens nothing', () => {
    expect(serverOfRoom('https://evil.example.com', list)).toBeNull();
  });
});

describe('badgeTotal', () => {
  it('sums every server’s badge, ignoring what is not a count', () => {
    expect(badgeTotal([3, 0, 4])).toBe(7);
    expect(badgeTotal([])).toBe(0);
    expect(badgeTotal([2, -1, Number.NaN])).toBe(2);
  });
});

describe('serverInitials', () => {
  it('a name by its start; servers by number by the end of their port, so two on one machine differ', () => {
    expect(serverInitials('https://chat.example.com')).toBe('ch');
    expect(serverInitials('https://www.example.com')).toBe('ex');
    expect(serverInitials('http://127.0.0.1:8090')).toBe('90');
    expect(serverInitials('http://127.0.0.1:8091')).toBe('91');
    expect(serverInitials('http://[::1]:8090')).toBe('90');
    expect(serverInitials('http://192.168.1.20')).toBe('20');
    expect(serverInitials('http://localhost:5173')).toBe('73');
  });
});
