// Demo users, rooms and messages for a developer's local server, so the app has something to show on
// first start. Written as the superuser (no rate limits), only into an empty server.
import type PocketBase from 'pocketbase';
import type { RoomsRecord, UsersRecord } from '../src-shared/pocketbase-types.ts';

export const demoPassword = 'palaver-demo';
export const demoUsers = [
  { username: 'alice', name: 'Alice Liddell' },
  { username: 'bob', name: 'Bob Marley' },
  { username: 'carol', name: 'Carol Danvers' },
] as const;

const conversation: Array<
  [user: (typeof demoUsers)[number]['username'], room: 'general' | 'design' | 'direct', text: string]
> = [
  ['alice', 'general', 'Welcome to Palaver! This is the general room: everyone can read it.'],
  ['bob', 'general', 'Hi all 👋'],
  ['carol', 'general', 'Morning! Is the release still on for Friday?'],
  ['alice', 'general', 'Yes. Notes are in the design room, ask Bob for an invite.'],
  ['bob', 'design', 'Only members of this private room see this.'],
  ['alice', 'design', 'Draft plan:\n1. ship the outbox\n2. measure fan-out\n3. installers'],
  ['alice', 'direct', 'Lunch later?'],
  ['bob', 'direct', 'Sure, 12:30 at the usual place.'],
];

/** Seeds the demo data if the server has no users yet; returns whether it did. */
export async function seedDemo(admin: PocketBase): Promise<boolean> {
  if ((await admin.collection('users').getList(1, 1)).totalItems > 0) return false;

  const users = new Map<string, UsersRecord>();
  for (const user of demoUsers) {
    users.set(
      user.username,
      await admin.collection('users').create<UsersRecord>({
        ...user,
        email: `${user.username}@demo.palaver.local`,
        password: demoPassword,
        passwordConfirm: demoPassword,
        verified: true,
      }),
    );
  }
  const id = (username: string) => users.get(username)!.id;
  // As the superuser, members are put in directly (as if they had accepted); carol has an invitation to
  // the design room she has not answered, so the app shows one.
  const rooms = {
    general: await admin.collection('rooms').getFirstListItem<RoomsRecord>('name = "general" && kind = "public"'),
    design: await admin.collection('rooms').create<RoomsRecord>({
      name: 'design',
      kind: 'private',
      owner: id('bob'),
      members: [id('bob'), id('alice')],
      invited: [id('carol')],
    }),
    direct: await admin
      .collection('rooms')
      .create<RoomsRecord>({ name: '', kind: 'direct', owner: id('alice'), members: [id('alice'), id('bob')] }),
  };
  for (const [user, room, text] of conversation) {
    await admin.collection('messages').create({ user: id(user), room: rooms[room].id, text });
  }
  return true;
}
