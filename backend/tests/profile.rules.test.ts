// Profiles from the attacker's side: nobody but the owner changes a name or a picture, and a name or a
// picture the server would not show as typed is refused with an error on its field, never stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let alice: TestUser;
let mallory: TestUser;

// The smallest valid PNG (1x1).
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

async function stored(id: string): Promise<UsersRecord> {
  return (await server.admin()).collection('users').getOne<UsersRecord>(id);
}

function avatarForm(bytes: Buffer, type: string, filename: string): FormData {
  const form = new FormData();
  form.append('avatar', new Blob([Uint8Array.from(bytes)], { type }), filename);
  return form;
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, mallory] = await Promise.all([signUp(server, 'alice'), signUp(server, 'mallory')]);
  await alice.pb.collection('users').update(alice.id, avatarForm(png, 'image/png', 'alice.png'));
});

afterAll(async () => {
  await server?.stop();
});

describe("someone else's profile", () => {
  it('cannot be renamed, given a picture or lose its picture, signed in as another account or signed out', async () => {
    const before = await stored(alice.id);
    expect(before.avatar).not.toBe('');
    for (const pb of [mallory.pb, anonymous(server)]) {
      await refused(pb.collection('users').update(alice.id, { name: 'Alice (official)' }));
      await refused(pb.collection('users').update(alice.id, avatarForm(png, 'image/png', 'swap.png')));
      await refused(pb.collection('users').update(alice.id, { avatar: null }));
      await refused(pb.collection('users').update(alice.id, { 'avatar-': [before.avatar] }));
    }
    const after = await stored(alice.id);
    expect([after.name, after.avatar]).toEqual([before.name, before.avatar]);
  });
});

describe('a display name', () => {
  it('longer than 64 characters is refused on the name field; 64 are fine, counted as characters', async () => {
    const result = await refused(mallory.pb.collection('users').update(mallory.id, { name: 'm'.repeat(65) }));
    expect(result.status).toBe(400);
    expect(result.data.name?.code).toBe('validation_max_text_constraint');
    const longest = 'é'.repeat(64);
    expect((await mallory.pb.collection('users').update<UsersRecord>(mallory.id, { name: longest })).name).toBe(
      longest,
    );
  });

  it('with control or text-direction characters is refused on the name field, at sign-up and later', async () => {
    await mallory.pb.collection('users').update(mallory.id, { name: 'Mallory' });
    for (const name of ['admin\u0000', 'ad\u001bmin', 'evil\u202Egnp.exe', 'a\u2066b\u2069', 'c1\u0085\u0090']) {
      const result = await refused(mallory.pb.collection('users').update(mallory.id, { name }));
      expect(result.status, JSON.stringify(name)).toBe(400);
      expect(result.data.name?.code, JSON.stringify(name)).toBe('validation_name_characters');
      expect(result.data.name?.message, JSON.stringify(name)).toMatch(/control|direction/);
    }
    expect((await stored(mallory.id)).name).toBe('Mallory');

    const username = `ctl_${Date.now() % 100000}`;
    const created = await refused(
      anonymous(server)
        .collection('users')
        .create({
          username,
          email: `${username}@palaver.test`,
          password: 'long-enough-password',
          passwordConfirm: 'long-enough-password',
          name: 'support\u202Eteam',
        }),
    );
    expect(created.data.name?.code).toBe('validation_name_characters');
  });

  it('pasted with a tab or line break is kept as one line with spaces', async () => {
    const saved = await mallory.pb.collection('users').update<UsersRecord>(mallory.id, { name: ' Mal\tlory\nM. ' });
    expect(saved.name).toBe('Mal lory M.');
  });
});

describe('an avatar', () => {
  it('that is not an image, whatever its name and type say, is refused on the avatar field', async () => {
    for (const [bytes, type, filename] of [
      [Buffer.from('just some text, not a picture'), 'image/png', 'fake.png'],
      [Buffer.from('%PDF-1.4\n%âãÏÓ\n'), 'image/jpeg', 'doc.jpg'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'text/html', 'page.html'],
    ] as const) {
      const result = await refused(
        mallory.pb.collection('users').update(mallory.id, avatarForm(bytes, type, filename)),
      );
      expect(result.status, filename).toBe(400);
      expect(result.data.avatar?.code, filename).toBe('validation_invalid_mime_type');
    }
    expect((await stored(mallory.id)).avatar).toBe('');
  });

  it('over 2 MB is refused on the avatar field', async () => {
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024 + 1 - png.length)]);
    const result = await refused(
      mallory.pb.collection('users').update(mallory.id, avatarForm(big, 'image/png', 'big.png')),
    );
    expect(result.data.avatar?.code).toBe('validation_file_size_limit');
    expect((await stored(mallory.id)).avatar).toBe('');
  });

  it('can be replaced and removed by its owner', async () => {
    const first = await mallory.pb
      .collection('users')
      .update<UsersRecord>(mallory.id, avatarForm(png, 'image/png', 'a.png'));
    expect(first.avatar).toMatch(/\.png$/);
    const removed = await mallory.pb.collection('users').update<UsersRecord>(mallory.id, { avatar: null });
    expect(removed.avatar).toBe('');
  });
});
