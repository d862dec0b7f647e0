import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { insertMention, mentionQueryAt, mentionSource, rankPeople } from './mention-typing.ts';
import type { ChatRoom } from './rooms.ts';

const person = (id: string, username: string, name = '') => ({ id, username, name }) as UsersRecord;

describe('mentionQueryAt', () => {
  const at = (typed: string) => mentionQueryAt(typed.replace('|', ''), typed.indexOf('|'));

  it('finds the @name the caret is at the end of, from its @', () => {
    expect(at('hi @bo|')).toEqual({ start: 3, query: 'bo' });
    expect(at('@|')).toEqual({ start: 0, query: '' });
    expect(at('(@bob.sm|')).toEqual({ start: 1, query: 'bob.sm' });
    expect(at('line\n@al|')).toEqual({ start: 5, query: 'al' });
  });

  it('reads the caret inside a name as the name typed so far', () => {
    expect(at('@bo| there')).toEqual({ start: 0, query: 'bo' });
  });

  it('offers nothing inside a word, an address or after a space', () => {
    expect(at('mail bob@exa|')).toBeNull();
    expect(at('é@bo|')).toBeNull();
    expect(at('@@bo|')).toBeNull();
    expect(at('@bob |')).toBeNull();
    expect(at('plain text|')).toBeNull();
  });

  it('offers nothing in code, closed or still being typed', () => {
    expect(at('`@bo|')).toBeNull();
    expect(at('```\n@bo|')).toBeNull();
    expect(at('`x` @bo|')).toEqual({ start: 4, query: 'bo' });
  });
});

describe('rankPeople', () => {
  const bob = person('b', 'bob');
  const bobby = person('y', 'bobby');
  const rob = person('r', 'rob_bo', 'Robert Bonnet');
  const ann = person('a', 'ann', 'Ann Bolt');
  const me = person('m', 'bo_me');

  it('puts usernames that start with the query first, then a word of the name, then the rest', () => {
    expect(rankPeople([rob, ann, bobby, bob, me], 'bo', 'm').map((p) => p.username)).toEqual([
      'bob',
      'bobby',
      'ann',
      'rob_bo',
    ]);
  });

  it('never offers oneself, nor anyone twice, and stops at the limit', () => {
    expect(rankPeople([me, bob, bob], '', 'm')).toEqual([bob]);
    expect(rankPeople([bob, bobby, ann], '', 'm', 2)).toHaveLength(2);
  });

  it('matches in any letter case and leaves out those who do not match', () => {
    expect(rankPeople([bob, ann], 'BOB', 'm')).toEqual([bob]);
    expect(rankPeople([bob, ann], 'zed', 'm')).toEqual([]);
  });
});

describe('insertMention', () => {
  it('replaces the typed @name with the username and a space, the caret after it', () => {
    expect(insertMention('hi @bo', { start: 3, query: 'bo' }, 6, 'bobby')).toEqual({
      text: 'hi @bobby ',
      caret: 10,
    });
  });

  it('takes the rest of a name the caret was inside, reuses a space after it and adds none before punctuation', () => {
    expect(insertMention('@bo there', { start: 0, query: 'b' }, 2, 'bob')).toEqual({ text: '@bob there', caret: 5 });
    expect(insertMention('@bo,ok', { start: 0, query: 'bo' }, 3, 'bob')).toEqual({ text: '@bob,ok', caret: 4 });
  });
});

describe('mentionSource', () => {
  const search = async () => [];
  it("filters a private room's members here, and searches the server for a public room's", () => {
    const members = [person('a', 'ann'), person('b', 'bob')];
    const room = { id: 'r', kind: 'private', members: ['a', 'b'], expand: { members } } as unknown as ChatRoom;
    expect(mentionSource(room, search)).toEqual({ local: members });
    expect(mentionSource({ ...room, kind: 'public' }, search)).toEqual({ search });
  });
});
