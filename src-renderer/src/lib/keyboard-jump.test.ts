import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { foldForMatch, jumpCandidate, rankJump, unjoinedCandidates, type JumpCandidate } from './keyboard-jump.ts';
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

describe('public rooms not joined', () => {
  const listed = [
    jumpCandidate(room('j1', 'private', 'Product design'), 'Product design'),
    jumpCandidate(room('j2', 'public', 'general'), '#general'),
  ];
  const entries = [
    { room: room('j2', 'public', 'general'), joined: true },
    { room: room('u1', 'public', 'design-review'), joined: false },
    { room: room('u2', 'public', 'garden'), joined: false },
    // Joined from elsewhere since the browse list was fetched: the sidebar already has it.
    { room: room('j1', 'public', 'Product design'), joined: false },
  ];
  const unjoined = unjoinedCandidates(entries, listed, (r) => `#${r.name}`);
  const all = [...listed, ...unjoined];

  it('offers only the public rooms that are not in the sidebar, marked not joined', () => {
    expect(unjoined).toEqual([
      { id: 'u1', kind: 'public', label: '#design-review', terms: ['design-review'], joined: false },
      { id: 'u2', kind: 'public', label: '#garden', terms: ['garden'], joined: false },
    ]);
    expect(listed.every((candidate) => candidate.joined)).toBe(true);
  });

  it('puts every joined match first, even one that only contains the text, then the rooms not joined', () => {
    expect(ids(rankJump(all, ''))).toEqual(['j1', 'j2', 'u1', 'u2']);
    // design-review starts with the text, Product design only has a word that does: joined still wins.
    expect(ids(rankJump(all, 'design'))).toEqual(['j1', 'u1']);
    // Among the rooms not joined, the usual order: starts with, then a word, then contains.
    expect(
      ids(
        rankJump(
          [...unjoined, jumpCandidate(room('u3', 'public', 'big-garden'), '#big-garden', undefined, false)],
          'gar',
        ),
      ),
    ).toEqual(['u2', 'u3']);
    expect(ids(rankJump(all, 'g'))).toEqual(['j2', 'j1', 'u2', 'u1']);
  });
});
