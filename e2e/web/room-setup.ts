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

/** A room owned by `owner` whose `members` have accepted their invitations (or, public, joined it). */
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
  // A public room's members joined it themselves (anyone may); everyone else is invited and accepts.
  for (const member of members) {
    const theirs = await apiAs(server, member);
    await (kind === 'public' ? join(theirs, created.id) : accept(theirs, created.id));
  }
  return { id: created.id, name: room.name, api };
}

/** Accepts an invitation through the server's route, as the invited person. */
export async function accept(api: PocketBase, roomId: string): Promise<void> {
  await api.send(`/api/palaver/rooms/${roomId}/accept`, { method: 'POST', requestKey: null });
}

/** Joins a public room through the server's route, as the person joining: it goes into their room list. */
export async function join(api: PocketBase, roomId: string): Promise<void> {
  await api.send(`/api/palaver/rooms/${roomId}/join`, { method: 'POST', requestKey: null });
}
