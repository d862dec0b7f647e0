import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { People, PEOPLE_PER_REQUEST } from './people.svelte.ts';

function person(id: string, updated = '2026-01-01 00:00:00.000Z'): UsersRecord {
  return {
    id,
    collectionId: 'u',
    collectionName: 'users',
    verified: true,
    name: `Name ${id}`,
    avatar: '',
    created: updated,
    updated,
    username: id,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('People', () => {
  it('asks once for everyone wanted in the same moment, in batches, and never again for the known', async () => {
    const requests: string[][] = [];
    const people = new People(async (ids) => {
      requests.push([...ids]);
      return ids.map((id) => person(id));
    });
    const many = Array.from({ length: PEOPLE_PER_REQUEST + 5 }, (_, i) => `p${i}`);
    people.want(many.slice(0, 10));
    people.want(many);
    people.want(['p1']);
    await settle();
    expect(requests.map((r) => r.length)).toEqual([PEOPLE_PER_REQUEST, 5]);
    expect(people.get('p54')?.name).toBe('Name p54');
    people.want(many);
    await settle();
    expect(requests).toHaveLength(2);
  });

  it('does not ask for people it met with their messages, and keeps the newest copy of each', async () => {
    const requests: string[][] = [];
    const people = new People(async (ids) => {
      requests.push([...ids]);
      return [];
    });
    people.met([person('a', '2026-01-02 00:00:00.000Z'), undefined]);
    people.met([{ ...person('a', '2026-01-01 00:00:00.000Z'), name: 'Old name' }]);
    people.want(['a']);
    await settle();
    expect(requests).toEqual([]);
    expect(people.get('a')?.name).toBe('Name a');
    people.met([{ ...person('a', '2026-01-03 00:00:00.000Z'), name: 'Renamed' }]);
    expect(people.get('a')?.name).toBe('Renamed');
  });

  it('asks again after a failed request, but not for someone the server did not return', async () => {
    let fail = true;
    const requests: string[][] = [];
    const people = new People(async (ids) => {
      requests.push([...ids]);
      if (fail) throw new Error('offline');
      return ids.filter((id) => id !== 'gone').map((id) => person(id));
    });
    people.want(['a', 'gone']);
    await settle();
    expect(people.get('a')).toBeUndefined();
    fail = false;
    people.want(['a', 'gone']);
    await settle();
    expect(people.get('a')?.id).toBe('a');
    people.want(['gone']);
    await settle();
    expect(requests).toEqual([
      ['a', 'gone'],
      ['a', 'gone'],
    ]);
  });
});
