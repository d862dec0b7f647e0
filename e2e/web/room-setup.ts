// Setting the stage for a room with several people now that nobody is put into a room by someone else:
// the owner creates it with the others invited, and each of them accepts, as the server requires.
import type PocketBase from 'pocketbase';
import type { TestServer } from '../../backend/testing/server.ts';
import { apiAs, type Account } from '../fixtures.ts';

export interface SetUpRoom {
  id: string;
  name: string;
  /** The owner's SDK client, to post or change the room as them. */
  api: PocketBase;
}

/** A room owned by `owner` whose `members` have accepted their invitations. */
export async function roomWith(
  server: TestServer,
  owner: Account,
  members: readonly Account[],
  room: { name: string; kind?: 'public' | 'private' },
): Promise<SetUpRoom> {
  const api = await apiAs(server, owner);
  const kind = room.kind ?? 'private';
  const created = await api.collection('rooms').create({
    name: room.name,
    kind,
    owner: owner.id,
    members: [owner.id],
    invited: kind === 'public' ? [] : members.map((m) => m.id),
  });
  for (const member of members) {
    const theirs = await apiAs(server, member);
    if (kind !== 'public') await accept(theirs, created.id);
  }
  return { id: created.id, name: room.name, api };
}

/** Accepts an invitation through the server's route, as the invited person. */
export async function accept(api: PocketBase, roomId: string): Promise<void> {
  await api.send(`/api/palaver/rooms/${roomId}/accept`, { method: 'POST', requestKey: null });
}
