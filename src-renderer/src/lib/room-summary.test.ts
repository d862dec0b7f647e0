import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { roomSummary } from './room-summary.ts';
import type { ChatRoom } from './rooms.ts';

const room = (fields: Partial<ChatRoom>) =>
  ({ id: 'r', name: 'ops', kind: 'private', members: [], invited: [], ...fields }) as ChatRoom;
const bob = { id: 'bob', username: 'bob' } as UsersRecord;

describe('roomSummary', () => {
  it('counts a public room by the server’s memberCount, not the members it shows', () => {
    expect(roomSummary(room({ kind: 'public', members: ['me'], memberCount: 57 }), undefined)).toBe(
      'Public room · 57 members · anyone on this server can read it',
    );
  });

  it('counts a private room’s members and says how many are invited', () => {
    expect(roomSummary(room({ members: ['me'] }), undefined)).toBe('Private room · 1 member');
    expect(roomSummary(room({ members: ['me', 'bob'], invited: ['cy'] }), undefined)).toBe(
      'Private room · 2 members · 1 invited',
    );
  });

  it('names the other person of a direct conversation, and whether they have yet to accept', () => {
    expect(roomSummary(room({ kind: 'direct', members: ['me', 'bob'] }), bob)).toBe('Direct conversation with @bob');
    expect(roomSummary(room({ kind: 'direct', members: ['me'], invited: ['bob'] }), bob)).toBe(
      'Direct conversation with @bob · waiting for them to accept',
    );
    expect(roomSummary(room({ kind: 'direct' }), undefined)).toBe('Direct conversation');
  });
});
