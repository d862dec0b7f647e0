import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { foldForMatch, jumpCandidate, rankJump, type JumpCandidate } from './keyboard-jump.ts';
import type { ChatRoom } from './rooms.ts';

const room = (id: string, kind: ChatRoom['kind'], name: string) => ({ id, kind, name }) as unknown as ChatRoom;
const person = (username: string, name = '') => ({ id: `u-${username}`, username, name }) as unknown as UsersRecord;
const ids = (found: JumpCandidate[]) => found.map((c) => c.id);

describe('jumpCandidate', () => {
  it('matches a room by its name and a direct conversation by the person’s name and username', () => {
    expect(jumpCandidate(room('g', 'public', 'general'), '#general').terms).toEqual(['general']);
    expect(jumpCandidate(room('d', 'direct', ''), 'Bob (@bob)', person('bob', 'Bob Marley')).terms).toEqual([
      'Bob Marley',
      'bob',
    ]);
    expect(jumpCandidate(room('d', 'direct', ''), 'carol', person('carol')).terms).toEqual(['carol']);
    expect(jumpCandidate(room('d', 'direct', ''), 'Direct conversation').terms).toEqual(['Direct conversation']);
  });
});

describe('rankJump', () => {
  const candidates = [
    jumpCandidate(room('1', 'public', 'design-review'), '#design-review'),
    jumpCandidate(room('2', 'private', 'Product design'), 'Product design'),
    jumpCandidate(room('3', 'public', 'general'), '#general'),
    jumpCandidate(room('4', 'private', 'Redesign'), 'Redesign'),
    jumpCandidate(room('5', 'direct', ''), 'Désirée (@dee)', person('dee', 'Désirée')),
    jumpCandidate(room('6', 'direct', ''), 'Adam (@adam_design)', person('adam_design', 'Adam')),
  ];

  it('offers everything, in the order given, for an empty query', () => {
    expect(ids(rankJump(candidates, ''))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(ids(rankJump(candidates, '   '))).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('puts names that start with the text first, then a word that starts with it, then any that contain it', () => {
    expect(ids(rankJump(candidates, 'design'))).toEqual(['1', '2', '6', '4']);
  });

  it('ignores letter case, accents, a leading # or @, and leaves out what does not match', () => {
    expect(ids(rankJump(candidates, 'DESIR'))).toEqual(['5']);
    expect(ids(rankJump(candidates, '#gen'))).toEqual(['3']);
    expect(ids(rankJump(candidates, '@dee'))).toEqual(['5']);
    expect(ids(rankJump(candidates, 'zzz'))).toEqual([]);
    expect(foldForMatch('  Éclair ')).toBe('eclair');
  });

  it('finds a person by their username when their chosen name differs', () => {
    expect(ids(rankJump(candidates, 'adam_d'))).toEqual(['6']);
  });
});
