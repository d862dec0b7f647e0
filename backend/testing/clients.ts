// Test clients: real users signed up through the public API (so the users rules are exercised too),
// each with its own SDK instance, plus helpers to assert that a request was refused.
import { EventSource } from 'eventsource';
import PocketBase, { ClientResponseError } from 'pocketbase';
import type { MessagesRecord, RoomsRecord, UsersRecord } from '../../src-shared/pocketbase-types.ts';
import type { TestServer } from './server.ts';

// The SDK's realtime service needs a global EventSource; Node has none.
(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

export interface TestUser {
  pb: PocketBase;
  record: UsersRecord;
  id: string;
  username: string;
  email: string;
  password: string;
}

let sequence = 0;

export function anonymous(server: TestServer): PocketBase {
  const pb = new PocketBase(server.url);
  pb.autoCancellation(false);
  return pb;
}

// Everyone signUp made, by id, so a helper given only an id can act as that person (accept an invitation).
const signedUp = new Map<string, TestUser>();

function person(who: TestUser | string): TestUser {
  const found = typeof who === 'string' ? signedUp.get(who) : who;
  if (!found) throw new Error(`No test user with id ${String(who)}: sign them up with signUp() first`);
  return found;
}

export async function signUp(server: TestServer, prefix = 'user'): Promise<TestUser> {
  sequence += 1;
  const username = `${prefix}_${process.pid}_${sequence}`;
  const email = `${username}@palaver.test`;
  const password = `pw-${username}-secret`;
  const pb = anonymous(server);
  const created = await pb
    .collection('users')
    .create({ username, email, password, passwordConfirm: password, name: prefix });
  // Sign-up only mails the address a confirmation link (backend/email_claims.go); a superuser stands in
  // for that mail here, so test accounts sign in with their email as before.
  await (await server.admin()).collection('users').update(created.id, { email });
  const auth = await pb.collection('users').authWithPassword(email, password);
  const record = auth.record as unknown as UsersRecord;
  const user = { pb, record, id: record.id, username, email, password };
  signedUp.set(user.id, user);
  return user;
}

/**
 * Creates a room as `owner` with `members` in it the only way people now get into a room: the owner
 * invites them and each accepts (POST /api/palaver/rooms/{id}/accept). Members are test users or the ids
 * of users signUp made. Returns the room as the owner then sees it. A direct conversation takes exactly
 * one other person, who sees it (and can accept) only once it has a message: the owner writes the
 * first one, `FIRST_DIRECT_MESSAGE`.
 */
export async function createRoom(
  owner: TestUser,
  kind: RoomsRecord['kind'],
  members: Array<TestUser | string> = [],
  name = `${kind} room ${++sequence}`,
): Promise<RoomsRecord> {
  const room = await invite(owner, kind, members, name);
  if (kind === 'direct' && members.length > 0) await post(owner, room, FIRST_DIRECT_MESSAGE);
  for (const member of members) await accept(person(member), room);
  return members.length === 0 ? room : owner.pb.collection('rooms').getOne<RoomsRecord>(room.id);
}

/** What createRoom's owner writes first in a direct conversation, so that the other person sees it. */
export const FIRST_DIRECT_MESSAGE = 'Hello: this is where our conversation starts.';

/** Creates a room as `owner` (its only member) with `people` invited, who have not answered yet. */
export async function invite(
  owner: TestUser,
  kind: RoomsRecord['kind'],
  people: Array<TestUser | string> = [],
  name = `${kind} room ${++sequence}`,
): Promise<RoomsRecord> {
  const invited = people.map((p) => (typeof p === 'string' ? p : p.id));
  return owner.pb
    .collection('rooms')
    .create<RoomsRecord>({ name, kind, owner: owner.id, members: [owner.id], invited });
}

/** Calls one of the routes by which people change their own place in a room (join, accept, …) as `who`. */
export async function roomAction(
  who: TestUser,
  room: RoomsRecord | string,
  action: 'join' | 'accept' | 'decline' | 'leave' | 'close',
  body: Record<string, unknown> = {},
): Promise<unknown> {
  const id = typeof room === 'string' ? room : room.id;
  return who.pb.send(`/api/palaver/rooms/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    body,
    requestKey: null,
  });
}

/** `person` accepts their invitation to `room` and becomes a member. */
export async function accept(person: TestUser, room: RoomsRecord | string): Promise<unknown> {
  return roomAction(person, room, 'accept');
}

export async function post(author: TestUser, room: RoomsRecord | string, text: string): Promise<MessagesRecord> {
  const roomId = typeof room === 'string' ? room : room.id;
  return author.pb.collection('messages').create<MessagesRecord>({ text, user: author.id, room: roomId });
}

/** Runs a request that must be refused and returns the error's HTTP status and field errors. */
export async function refused(
  request: Promise<unknown>,
): Promise<{ status: number; data: Record<string, { code: string; message: string }> }> {
  try {
    const value = await request;
    throw new Error(`expected the request to be refused, but it succeeded with ${JSON.stringify(value).slice(0, 300)}`);
  } catch (error) {
    if (!(error instanceof ClientResponseError)) throw error;
    return {
      status: error.status,
      data: (error.response?.data ?? {}) as Record<string, { code: string; message: string }>,
    };
  }
}
