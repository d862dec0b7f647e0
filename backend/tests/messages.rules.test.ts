// The messages rules, adversarially: every allowed action succeeds, every forbidden attempt is refused
// and leaves the data as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser; // owns the private room
let bob: TestUser; // member of the private room
let mallory: TestUser; // member of nothing
let general: RoomsRecord;
let secret: RoomsRecord;
let direct: RoomsRecord;

async function storedMessage(id: string): Promise<MessagesRecord> {
  return (await server.admin()).collection('messages').getOne<MessagesRecord>(id);
}

async function messageCount(roomId: string): Promise<number> {
  const admin = await server.admin();
  return (await admin.collection('messages').getList(1, 1, { filter: admin.filter('room = {:roomId}', { roomId }) }))
    .totalItems;
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, mallory] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'mallory'),
  ]);
  general = await alice.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
  secret = await createRoom(alice, 'private', [bob.id]);
  direct = await createRoom(alice, 'direct', [bob.id]);
});

afterAll(async () => {
  await server?.stop();
});

describe('reading', () => {
  it('lets anyone signed in read the messages of a public room, and nobody signed out', async () => {
    const message = await post(alice, general, 'hello everyone');
    const list = await mallory.pb
      .collection('messages')
      .getFullList<MessagesRecord>({ filter: `room = "${general.id}"` });
    expect(list.map((m) => m.id)).toContain(message.id);
    expect((await mallory.pb.collection('messages').getOne<MessagesRecord>(message.id)).text).toBe('hello everyone');

    const guest = anonymous(server);
    expect(await guest.collection('messages').getFullList({ filter: `room = "${general.id}"` })).toEqual([]);
    expect((await refused(guest.collection('messages').getOne(message.id))).status).toBe(404);
  });

  it('shows the messages of a private room and a direct conversation to their members only', async () => {
    const inSecret = await post(alice, secret, 'private plans');
    const inDirect = await post(bob, direct, 'just between us');

    for (const member of [alice, bob]) {
      const visible = await member.pb
        .collection('messages')
        .getFullList<MessagesRecord>({ filter: `room = "${secret.id}" || room = "${direct.id}"` });
      expect(visible.map((m) => m.id)).toEqual(expect.arrayContaining([inSecret.id, inDirect.id]));
    }
    for (const outsider of [mallory.pb, anonymous(server)]) {
      const all = await outsider.collection('messages').getFullList<MessagesRecord>();
      expect(all.map((m) => m.id)).not.toContain(inSecret.id);
      expect(all.map((m) => m.id)).not.toContain(inDirect.id);
      expect((await refused(outsider.collection('messages').getOne(inSecret.id))).status).toBe(404);
      expect((await refused(outsider.collection('messages').getOne(inDirect.id))).status).toBe(404);
      // Filtering on the room's fields does not open a side door either.
      const byKind = await outsider
        .collection('messages')
        .getFullList({ filter: 'room.kind = "private" || room.kind = "direct"' });
      expect(byKind).toHaveLength(0);
    }
  });

  it('expands the author of a message without revealing their email', async () => {
    await post(bob, general, 'who wrote this?');
    const [message] = await mallory.pb
      .collection('messages')
      .getFullList<MessagesRecord & { expand: { user: Record<string, unknown> } }>({
        filter: `room = "${general.id}" && user = "${bob.id}"`,
        expand: 'user',
      });
    expect(message?.expand.user.username).toBe(bob.username);
    expect(message?.expand.user).not.toHaveProperty('email');
  });

  it("cannot pick out messages by their authors' verification state, even behind a comment", async () => {
    const verified = await signUp(server, 'verified');
    await (await server.admin()).collection('users').update(verified.id, { verified: true });
    await post(verified, general, 'from a verified account');
    // `//` starts a comment in PocketBase's filter language, so the quotes in it are no strings and the
    // condition between the two comments is live.
    for (const filter of [
      `room = "${general.id}" // "\n && user.verified = true // "`,
      `strftime('%d', // "\n user.verified) = "25" // "`,
      'user.email:lower ~ "verified"',
      'room.owner.verified = true || room.members.email ~ "a"',
    ]) {
      const result = await refused(mallory.pb.collection('messages').getList(1, 50, { filter }));
      expect(result.status, filter).toBe(400);
      expect(result.data.filter?.code, filter).toBe('validation_private_field');
    }
    for (const sort of ['user.verified', '-created,user.email:lower']) {
      const result = await refused(mallory.pb.collection('messages').getList(1, 50, { sort }));
      expect(result.data.sort?.code, sort).toBe('validation_private_field');
    }
  });
});

describe('posting', () => {
  it('lets a signed-in user post in a public room as themselves, and members post in their rooms', async () => {
    const inPublic = await post(mallory, general, 'hi from a non-member of anything');
    expect(inPublic.user).toBe(mallory.id);
    expect((await post(bob, secret, 'member reply')).room).toBe(secret.id);
    expect((await post(bob, direct, 'direct reply')).room).toBe(direct.id);
  });

  it('refuses a post from someone signed out', async () => {
    const before = await messageCount(general.id);
    const result = await refused(
      anonymous(server).collection('messages').create({ text: 'anon', user: alice.id, room: general.id }),
    );
    expect([400, 403]).toContain(result.status);
    expect(await messageCount(general.id)).toBe(before);
  });

  it('refuses a post that claims to be from another user', async () => {
    const before = await messageCount(general.id);
    await refused(mallory.pb.collection('messages').create({ text: 'I am alice', user: alice.id, room: general.id }));
    expect(await messageCount(general.id)).toBe(before);
  });

  it('refuses a post into a private room or direct conversation by a non-member', async () => {
    for (const room of [secret, direct]) {
      const before = await messageCount(room.id);
      await refused(post(mallory, room, 'let me in'));
      expect(await messageCount(room.id)).toBe(before);
    }
  });

  it('refuses a post into a room that does not exist, naming the room field', async () => {
    const result = await refused(post(alice, 'doesnotexist123', 'into the void'));
    expect(result.status).toBe(400);
  });

  it('trims the text, and refuses empty, blank and over-long text with a field error on "text"', async () => {
    const trimmed = await post(alice, general, '   padded   \n');
    expect(trimmed.text).toBe('padded');
    expect((await post(alice, general, ` ${'x'.repeat(2000)} `)).text).toHaveLength(2000);

    const before = await messageCount(general.id);
    for (const text of ['', '   \n\t ', 'y'.repeat(2001)]) {
      const result = await refused(post(alice, general, text));
      expect(result.status).toBe(400);
      expect(result.data.text?.code).toMatch(/^validation_/);
      expect(result.data.text?.message).toBeTruthy();
    }
    expect(await messageCount(general.id)).toBe(before);
  });

  it('keeps line breaks inside a message', async () => {
    expect((await post(alice, general, 'line one\nline two')).text).toBe('line one\nline two');
  });

  it('ignores a forged creation time', async () => {
    const message = await alice.pb.collection('messages').create<MessagesRecord>({
      text: 'from the past?',
      user: alice.id,
      room: general.id,
      created: '2001-01-01 00:00:00.000Z',
    });
    expect(message.created.startsWith('2001')).toBe(false);
  });

  it('accepts a client-chosen record id once and refuses the same id again', async () => {
    const id = `c${Date.now().toString(36)}abcdefgh`.slice(0, 15);
    await alice.pb.collection('messages').create({ id, text: 'first try', user: alice.id, room: general.id });
    const again = await refused(
      alice.pb.collection('messages').create({ id, text: 'first try', user: alice.id, room: general.id }),
    );
    expect(again.status).toBe(400);
    expect(again.data.id?.code).toBe('validation_not_unique');
    expect((await storedMessage(id)).text).toBe('first try');
  });
});

describe('editing', () => {
  it('lets the author change the text, which marks the message as edited', async () => {
    const message = await post(bob, general, 'tpyo');
    await new Promise((r) => setTimeout(r, 5));
    const edited = await bob.pb.collection('messages').update<MessagesRecord>(message.id, { text: 'typo' });
    expect(edited.text).toBe('typo');
    expect(edited.editedAt > edited.created).toBe(true);
  });

  it('keeps the edited time itself: a forged one is ignored, and only a change of text sets it', async () => {
    const forged = '2030-01-01 00:00:00.000Z';
    const message = await bob.pb
      .collection('messages')
      .create<MessagesRecord>({ room: general.id, user: bob.id, text: 'fresh', editedAt: forged });
    expect(message.editedAt).toBe('');
    const untouched = await bob.pb.collection('messages').update<MessagesRecord>(message.id, { editedAt: forged });
    expect(untouched.editedAt).toBe('');
    // The cleaning trims the text: the same words with spaces around them change nothing.
    const same = await bob.pb.collection('messages').update<MessagesRecord>(message.id, { text: '  fresh  ' });
    expect(same.editedAt).toBe('');
    const edited = await bob.pb.collection('messages').update<MessagesRecord>(message.id, { text: 'fresher' });
    expect(edited.editedAt).not.toBe('');
    const again = await bob.pb.collection('messages').update<MessagesRecord>(message.id, { editedAt: forged });
    expect(again.editedAt).toBe(edited.editedAt);
  });

  it('refuses edits by anyone but the author', async () => {
    const message = await post(bob, secret, 'mine');
    for (const other of [alice.pb, mallory.pb, anonymous(server)]) {
      const result = await refused(other.collection('messages').update(message.id, { text: 'not yours' }));
      expect([400, 403, 404]).toContain(result.status);
    }
    expect((await storedMessage(message.id)).text).toBe('mine');
  });

  it('refuses to change the author or the room of a message', async () => {
    const message = await post(bob, secret, 'stays put');
    await refused(bob.pb.collection('messages').update(message.id, { user: alice.id }));
    await refused(bob.pb.collection('messages').update(message.id, { room: general.id }));
    await refused(bob.pb.collection('messages').update(message.id, { text: 'moved', room: general.id }));
    const stored = await storedMessage(message.id);
    expect([stored.user, stored.room, stored.text]).toEqual([bob.id, secret.id, 'stays put']);
  });

  it('refuses an edit that empties the text', async () => {
    const message = await post(bob, general, 'keep me');
    const result = await refused(bob.pb.collection('messages').update(message.id, { text: '  ' }));
    expect(result.data.text?.code).toMatch(/^validation_/);
    expect((await storedMessage(message.id)).text).toBe('keep me');
  });

  it('refuses edits by an author who is no longer a member of the private room', async () => {
    const room = await createRoom(alice, 'private', [mallory.id]);
    const message = await post(mallory, room, 'before I left');
    await alice.pb.collection('rooms').update(room.id, { 'members-': mallory.id });
    await refused(mallory.pb.collection('messages').update(message.id, { text: 'rewritten after leaving' }));
    expect((await storedMessage(message.id)).text).toBe('before I left');
  });
});

describe('deleting', () => {
  it('lets the author delete their message', async () => {
    const message = await post(alice, general, 'oops');
    await alice.pb.collection('messages').delete(message.id);
    expect((await refused(storedMessage(message.id))).status).toBe(404);
  });

  // The room's owner and moderators delete others' messages: moderators.rules.test.ts.
  it('refuses deletion by anyone else, a fellow member included, but lets a superuser delete', async () => {
    const message = await post(alice, secret, 'delete me if you can');
    for (const other of [bob.pb, mallory.pb, anonymous(server)]) {
      await refused(other.collection('messages').delete(message.id));
    }
    expect((await storedMessage(message.id)).text).toBe('delete me if you can');
    await (await server.admin()).collection('messages').delete(message.id);
    expect((await refused(storedMessage(message.id))).status).toBe(404);
  });
});
