// The users rules, adversarially: public profiles, private emails, accounts only their owner changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let mallory: TestUser;

async function storedUser(id: string): Promise<UsersRecord> {
  return (await server.admin()).collection('users').getOne<UsersRecord>(id);
}

// The smallest valid PNG (1x1), and an SVG carrying script.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

beforeAll(async () => {
  server = await startTestServer();
  [alice, mallory] = await Promise.all([signUp(server, 'alice'), signUp(server, 'mallory')]);
});

afterAll(async () => {
  await server?.stop();
});

describe('signing up', () => {
  const base = (username: string) => ({
    username,
    email: `${username.toLowerCase()}-${Date.now()}@palaver.test`,
    password: 'long-enough-password',
    passwordConfirm: 'long-enough-password',
  });

  it('refuses a username that is taken in any letter case, naming the username field', async () => {
    const result = await refused(anonymous(server).collection('users').create(base(alice.username.toUpperCase())));
    expect(result.status).toBe(400);
    expect(result.data.username?.code).toBe('validation_not_unique');
  });

  it('refuses missing, short, long and ill-formed usernames with a field error', async () => {
    for (const username of ['', 'ab', 'x'.repeat(33), 'has space', 'semi;colon', 'émile']) {
      const result = await refused(anonymous(server).collection('users').create(base(username)));
      expect(result.status, username).toBe(400);
      expect(result.data.username?.code, username).toMatch(/^validation_/);
    }
  });

  it('accepts letters, digits, underscore, dot and dash', async () => {
    const created = await anonymous(server)
      .collection('users')
      .create<UsersRecord>(base(`Ok_name.${Date.now() % 100000}-x`));
    expect(created.username).toMatch(/^Ok_name\./);
  });

  it('refuses a weak password and a mismatched confirmation with field errors', async () => {
    const weak = await refused(
      anonymous(server)
        .collection('users')
        .create({ ...base(`weak${Date.now()}`), password: 'short', passwordConfirm: 'short' }),
    );
    expect(weak.data.password?.code).toMatch(/^validation_/);
    const mismatch = await refused(
      anonymous(server)
        .collection('users')
        .create({ ...base(`mism${Date.now()}`), passwordConfirm: 'something-else-entirely' }),
    );
    expect(mismatch.data.passwordConfirm?.code).toMatch(/^validation_/);
  });

  it('refuses to make an email public at sign-up', async () => {
    const username = `public${Date.now()}`;
    await refused(
      anonymous(server)
        .collection('users')
        .create({ ...base(username), emailVisibility: true }),
    );
    const admin = await server.admin();
    expect(
      await admin.collection('users').getList(1, 1, { filter: admin.filter('username = {:u}', { u: username }) }),
    ).toMatchObject({ totalItems: 0 });
  });

  it('refuses a new account that marks itself verified', async () => {
    const username = `verif${Date.now()}`;
    await refused(
      anonymous(server)
        .collection('users')
        .create<UsersRecord>({ ...base(username), verified: true }),
    );
    const admin = await server.admin();
    expect(
      await admin.collection('users').getList(1, 1, { filter: admin.filter('username = {:u}', { u: username }) }),
    ).toMatchObject({ totalItems: 0 });
  });
});

describe('signing in', () => {
  it('works with the email, with the username, and with the username in another letter case', async () => {
    for (const identity of [alice.email, alice.username, alice.username.toUpperCase()]) {
      const auth = await anonymous(server).collection('users').authWithPassword(identity, alice.password);
      expect(auth.record.id, identity).toBe(alice.id);
    }
  });

  it('gives the same answer for a wrong password and an unknown account', async () => {
    const wrong = await refused(
      anonymous(server).collection('users').authWithPassword(alice.username, 'not-the-password'),
    );
    const unknown = await refused(
      anonymous(server).collection('users').authWithPassword('nobody-at-all', 'not-the-password'),
    );
    expect(wrong.status).toBe(400);
    expect(unknown).toEqual(wrong);
  });
});

describe('profiles', () => {
  it('are public to signed-in people: anyone signed in can list username, name and avatar, but never an email', async () => {
    const list = await mallory.pb.collection('users').getFullList<UsersRecord>();
    const listed = list.find((u) => u.id === alice.id);
    expect(listed?.username).toBe(alice.username);
    for (const user of list.filter((u) => u.id !== mallory.id)) expect(user).not.toHaveProperty('email');
    const seenByMallory = await mallory.pb.collection('users').getOne<UsersRecord>(alice.id);
    expect(seenByMallory).not.toHaveProperty('email');
    // The owner does see their own email.
    expect((await alice.pb.collection('users').getOne<UsersRecord>(alice.id)).email).toBe(alice.email);
  });

  it('cannot be searched or sorted by email or verification state, directly or through a relation', async () => {
    for (const pb of [anonymous(server), mallory.pb]) {
      for (const query of [
        { filter: `email = "${alice.email}"` },
        { filter: 'email ~ "palaver.test"' },
        { filter: 'email:lower ~ "alice"' },
        { filter: 'verified = true' },
        { filter: '@collection.users.email ~ "a"' },
        { sort: 'email' },
        { sort: '-email,id' },
        { sort: 'verified' },
      ]) {
        const result = await refused(pb.collection('users').getList(1, 50, query));
        expect([400, 403], JSON.stringify(query)).toContain(result.status);
      }
      // Ordering messages by their authors' emails would leak them just the same.
      expect((await refused(pb.collection('messages').getList(1, 50, { sort: 'user.email' }))).status).toBe(400);
      expect((await refused(pb.collection('rooms').getList(1, 50, { filter: 'owner.verified = true' }))).status).toBe(
        400,
      );
    }
    // A quoted word is text, not a field: searching messages for "email" works.
    expect(
      await mallory.pb.collection('messages').getList(1, 5, { filter: 'text ~ "email" || text ~ \'verified\'' }),
    ).toMatchObject({ page: 1 });
    // A superuser may.
    const admin = await server.admin();
    expect(
      (await admin.collection('users').getList(1, 1, { filter: admin.filter('email = {:e}', { e: alice.email }) }))
        .totalItems,
    ).toBe(1);
  });

  it('show the verification state to the account owner only', async () => {
    expect(await mallory.pb.collection('users').getOne(alice.id)).not.toHaveProperty('verified');
    expect(await alice.pb.collection('users').getOne(alice.id)).toHaveProperty('verified', false);
    const auth = await anonymous(server).collection('users').authWithPassword(alice.email, alice.password);
    expect(auth.record).toHaveProperty('verified', false);
    expect(auth.record).toHaveProperty('email', alice.email);
  });

  it('can be changed by their owner: name and avatar (served with thumbnails)', async () => {
    const form = new FormData();
    form.append('name', 'Alice A.');
    form.append('avatar', new Blob([png], { type: 'image/png' }), 'me.png');
    const updated = await alice.pb.collection('users').update<UsersRecord>(alice.id, form);
    expect(updated.name).toBe('Alice A.');
    const thumb = await fetch(anonymous(server).files.getURL(updated, updated.avatar, { thumb: '80x80' }));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
  });

  it('refuses an SVG or oversized avatar with a field error', async () => {
    for (const [bytes, type, name] of [
      [svg, 'image/svg+xml', 'x.svg'],
      [Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]), 'image/png', 'big.png'],
    ] as const) {
      const form = new FormData();
      form.append('avatar', new Blob([bytes], { type }), name);
      const result = await refused(mallory.pb.collection('users').update(mallory.id, form));
      expect(result.data.avatar?.code, name).toMatch(/^validation_/);
    }
    expect((await storedUser(mallory.id)).avatar).toBe('');
  });

  it('refuses changes and deletion by anyone but the owner', async () => {
    for (const pb of [mallory.pb, anonymous(server)]) {
      await refused(pb.collection('users').update(alice.id, { name: 'hacked' }));
      await refused(pb.collection('users').update(alice.id, { username: 'hacked_name' }));
      await refused(pb.collection('users').delete(alice.id));
    }
    const stored = await storedUser(alice.id);
    expect([stored.name, stored.username]).toEqual(['Alice A.', alice.username]);
  });

  it("refuses a change of another user's email, password or verification state", async () => {
    const admin = await server.admin();
    const before = await storedUser(alice.id);
    await refused(mallory.pb.collection('users').update(alice.id, { email: 'mallory-owns@palaver.test' }));
    await refused(
      mallory.pb
        .collection('users')
        .update(alice.id, { password: 'new-password-123', passwordConfirm: 'new-password-123' }),
    );
    await refused(mallory.pb.collection('users').update(alice.id, { verified: true }));
    expect(await admin.collection('users').getOne<UsersRecord>(alice.id)).toEqual(before);
    // The old password still works, so nothing about the account changed.
    expect((await anonymous(server).collection('users').authWithPassword(alice.email, alice.password)).record.id).toBe(
      alice.id,
    );
  });

  it("refuses making one's own email public, or marking oneself verified", async () => {
    await refused(mallory.pb.collection('users').update(mallory.id, { emailVisibility: true }));
    await mallory.pb
      .collection('users')
      .update(mallory.id, { verified: true })
      .catch(() => undefined);
    const stored = await storedUser(mallory.id);
    expect(stored.emailVisibility).toBe(false);
    expect(stored.verified).toBe(false);
    const seen = await alice.pb.collection('users').getOne<UsersRecord>(mallory.id);
    expect(seen).not.toHaveProperty('email');
  });

  it("requires the old password to change one's own password", async () => {
    await refused(
      mallory.pb
        .collection('users')
        .update(mallory.id, { password: 'brand-new-password', passwordConfirm: 'brand-new-password' }),
    );
    await refused(
      mallory.pb.collection('users').update(mallory.id, {
        password: 'brand-new-password',
        passwordConfirm: 'brand-new-password',
        oldPassword: 'wrong-old-password',
      }),
    );
    expect(
      (await anonymous(server).collection('users').authWithPassword(mallory.email, mallory.password)).record.id,
    ).toBe(mallory.id);
  });

  it('lets a user delete their own account, and their messages go with it', async () => {
    const leaving = await signUp(server, 'leaving');
    const general = await leaving.pb.collection('rooms').getFirstListItem('name = "general"');
    const message = await leaving.pb.collection('messages').create({ text: 'bye', user: leaving.id, room: general.id });
    await leaving.pb.collection('users').delete(leaving.id);
    expect((await refused(storedUser(leaving.id))).status).toBe(404);
    expect((await refused((await server.admin()).collection('messages').getOne(message.id))).status).toBe(404);
  });
});

describe('signed out', () => {
  it('lists no accounts and shows none, not even by id', async () => {
    const guest = anonymous(server);
    const list = await guest.collection('users').getList(1, 50);
    expect(list.items).toEqual([]);
    expect(list.totalItems).toBe(0);
    expect((await refused(guest.collection('users').getOne(alice.id))).status).toBe(404);
    // Filters do not open a side door: the rule applies before them.
    expect((await guest.collection('users').getList(1, 50, { filter: `id = "${alice.id}"` })).items).toEqual([]);
  });

  it('can still sign up and then sign in', async () => {
    const guest = anonymous(server);
    const username = `newcomer${Date.now() % 100000}`;
    const password = 'newcomer-password-1';
    const email = `${username}@palaver.test`;
    await guest.collection('users').create({ username, email, password, passwordConfirm: password });
    const auth = await guest.collection('users').authWithPassword(username, password);
    expect(auth.record.username).toBe(username);
    // Now signed in, the same client sees the others.
    expect((await guest.collection('users').getOne<UsersRecord>(alice.id)).username).toBe(alice.username);
  });
});

describe('the privacy check, read the way the server reads a filter', () => {
  // The attacks below try to pick this account out from the others by its verification state.
  let verifiedOne: TestUser;
  beforeAll(async () => {
    verifiedOne = await signUp(server, 'verified');
    await (await server.admin()).collection('users').update(verifiedOne.id, { verified: true });
  });

  // PocketBase's filter language has `//` line comments. A quote inside a comment is no string to the
  // server, so a check that matches quotes takes the live condition between two comments for text.
  const behindComments = (condition: string) => `id != "" // "\n && ${condition} // "`;

  it('refuses a condition on verification hidden between comments', async () => {
    for (const condition of ['verified = true', 'email ~ "palaver"', '@collection.users.verified = true']) {
      const result = await refused(
        mallory.pb.collection('users').getList(1, 50, { filter: behindComments(condition) }),
      );
      expect(result.status, condition).toBe(400);
      expect(result.data.filter?.code, condition).toBe('validation_private_field');
    }
  });

  it('refuses a private field passed to a function, also behind a comment', async () => {
    for (const filter of [
      // Julian day 1 is the 25th, day 0 the 24th: this picks out verified accounts.
      `strftime('%d', // "\n verified) = "25" // "`,
      "strftime('%d', verified) = '25'",
      "strftime('%Y-%m', created, email) != ''",
      "geoDistance(0, 0, 0, strftime('%d', verified:lower)) > 0",
    ]) {
      const result = await refused(mallory.pb.collection('users').getList(1, 50, { filter }));
      expect(result.status, filter).toBe(400);
      expect(result.data.filter?.code, filter).toBe('validation_private_field');
    }
  });

  it('refuses a private field in any repeated sort or filter parameter, not only the one the server reads', async () => {
    const url = (query: string) => `${server.url}/api/collections/users/records?${query}`;
    for (const query of ['sort=id&sort=verified', 'filter=id!%3D""&filter=verified%3Dtrue', 'sort=+id,-verified']) {
      const response = await fetch(url(query), { headers: { Authorization: mallory.pb.authStore.token } });
      expect(response.status, query).toBe(400);
    }
  });

  it('still lets people search names, sort by public fields and search text for the words', async () => {
    const found = await mallory.pb.collection('users').getList<UsersRecord>(1, 50, {
      filter: `username = "${verifiedOne.username}" && name != "email" // a comment naming verified is fine`,
      sort: '-created,username',
    });
    expect(found.items.map((u) => u.id)).toEqual([verifiedOne.id]);
    expect(found.items[0]).not.toHaveProperty('verified');
  });
});
