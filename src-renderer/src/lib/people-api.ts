// People by id from the server, for lib/people.svelte.ts: one list request whose filter names every id
// (bound as parameters, never spliced into the filter), no totals, never auto-cancelled.
import type PocketBase from 'pocketbase';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { FetchPeople } from './people.svelte.ts';

export function peopleById(pb: PocketBase): FetchPeople {
  return async (ids) => {
    if (ids.length === 0) return [];
    const params = Object.fromEntries(ids.map((id, index) => [`id${index}`, id]));
    const filter = ids.map((_, index) => `id = {:id${index}}`).join(' || ');
    const list = await pb.collection('users').getList<UsersRecord>(1, ids.length, {
      filter: pb.filter(filter, params),
      skipTotal: true,
      requestKey: null,
    });
    return list.items;
  };
}
