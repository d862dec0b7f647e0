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

export async function signUp(server: TestServer, prefix = 'user'): Promise<TestUser> {
  sequence += 1;
  const username = `${prefix}_${process.pid}_${sequence}`;
  const email = `${username}@palaver.test`;
  const password = `pw-${username}-secret`;
  const pb = anonymous(server);
  await pb.collection('users').create({ username, email, password, passwordConfirm: password, name: prefix });
  const auth = await pb.collection('users').authWithPassword(email, password);
  const record = auth.record as unknown as UsersRecord;
  return { pb, record, id: record.id, username, email, password };
}

export async function createRoom(
  owner: TestUser,
  kind: RoomsRecord['kind'],
  memberIds: string[] = [],
  name = `${kind} room ${++sequence}`,
): Promise<RoomsRecord> {
  return owner.pb
    .collection('rooms')
    .create<RoomsRecord>({ name, kind, owner: owner.id, members: [owner.id, ...memberIds] });
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
