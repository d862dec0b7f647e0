import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { appoints, moderates, moderatorPeople, removes } from './moderation.ts';
import type { ChatRoom } from './rooms.ts';

function room(kind: ChatRoom['kind'], moderators: string[] = ['mod'], owner = 'owner'): ChatRoom {
  return { id: 'r', kind, owner, moderators, members: ['owner', 'mod', 'mod2', 'member'] } as ChatRoom;
}

describe('moderation', () => {
  it('lets the owner and moderators moderate, never in a direct conversation, never someone signed out', () => {
    expect(['owner', 'mod', 'member'].map((id) => moderates(room('private'), id))).toEqual([true, true, false]);
    expect(moderates(room('public'), 'mod')).toBe(true);
    expect(moderates(room('direct'), 'owner')).toBe(false);
    expect(moderates(room('direct'), 'mod')).toBe(false);
    // An ownerless room (#general) has owner "": nobody signed in, nor an empty id, owns it.
    expect(moderates(room('public', [], ''), '')).toBe(false);
    expect(moderates(undefined, 'owner')).toBe(false);
    expect(moderates({ kind: 'private', owner: 'owner' } as ChatRoom, 'mod')).toBe(false);
  });

  it('lets only the owner appoint, outside direct conversations', () => {
    expect(['owner', 'mod', 'member'].map((id) => appoints(room('public'), id))).toEqual([true, false, false]);
    expect(appoints(room('direct'), 'owner')).toBe(false);
  });

  it('offers removal in private rooms only: never of oneself or the owner, of a moderator by the owner only', () => {
    const r = room('private', ['mod', 'mod2']);
    expect(['member', 'mod2', 'owner', 'mod'].map((m) => removes(r, 'mod', m))).toEqual([true, false, false, false]);
    expect(['member', 'mod2', 'owner'].map((m) => removes(r, 'owner', m))).toEqual([true, true, false]);
    expect(removes(r, 'member', 'mod')).toBe(false);
    expect(removes(room('public'), 'owner', 'member')).toBe(false);
  });

  it('lists the moderators as expanded, in their order, skipping any not expanded', () => {
    const r = room('private', ['mod2', 'mod', 'gone']);
    r.expand = { moderators: [{ id: 'mod' }, { id: 'mod2' }] as UsersRecord[] };
    expect(moderatorPeople(r).map((p) => p.id)).toEqual(['mod2', 'mod']);
  });
});
