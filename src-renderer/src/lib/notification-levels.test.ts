import { describe, expect, it } from 'vitest';
import { defaultLevel, levelAllows, levelOf, mentions } from './notification-levels.ts';

describe('notification levels', () => {
  it('default to every message in a direct conversation and to mentions in rooms', () => {
    expect([defaultLevel('direct'), defaultLevel('private'), defaultLevel('public')]).toEqual([
      'all',
      'mentions',
      'mentions',
    ]);
  });

  it('take the stored level over the default, room by room', () => {
    const levels = new Map([['room1', 'nothing' as const]]);
    expect(levelOf({ id: 'room1', kind: 'direct' }, levels)).toBe('nothing');
    expect(levelOf({ id: 'room2', kind: 'direct' }, levels)).toBe('all');
    expect(levelOf({ id: 'room2', kind: 'private' }, undefined)).toBe('mentions');
  });

  it('let through every message, only mentions, or nothing', () => {
    expect([levelAllows('all', false), levelAllows('mentions', false), levelAllows('mentions', true)]).toEqual([
      true,
      false,
      true,
    ]);
    expect([levelAllows('nothing', true), levelAllows('nothing', false)]).toEqual([false, false]);
  });

  it('read a mention from the server’s list only, not from the text', () => {
    expect(mentions({ mentions: ['me'] }, 'me')).toBe(true);
    expect(mentions({ mentions: [] }, 'me')).toBe(false);
    expect(mentions({}, 'me')).toBe(false);
  });
});
