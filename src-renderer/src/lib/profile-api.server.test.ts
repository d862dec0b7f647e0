// Saving a profile against a real PocketBase: the form's limits are the server's, a name and a picture
// are stored together, a picture is removed, and what the server refuses comes back on its field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../../../backend/testing/clients.ts';
import { startTestServer, type TestServer } from '../../../backend/testing/server.ts';
import { saveProfile } from './profile-api.ts';
import { AVATAR_MAX_BYTES, AVATAR_TYPES, NAME_MAX } from './profile-form.ts';

let server: TestServer;
let alice: TestUser;
let mallory: TestUser;

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

beforeAll(async () => {
  server = await startTestServer();
  [alice, mallory] = await Promise.all([signUp(server, 'alice'), signUp(server, 'mallory')]);
});

afterAll(async () => {
  await server?.stop();
});

describe('the profile form', () => {
  it("checks the server's own limits", async () => {
    const users = await (await server.admin()).collections.getOne('users');
    const field = (name: string) =>
      users.fields.find((f: { name: string }) => f.name === name) as Record<string, unknown>;
    expect(field('name').max).toBe(NAME_MAX);
    expect(field('avatar').maxSize).toBe(AVATAR_MAX_BYTES);
    expect(field('avatar').mimeTypes).toEqual(AVATAR_TYPES);
  });
});

describe('saveProfile', () => {
  it('stores a tidied name and a picture together, then removes the picture', async () => {
    const result = await saveProfile(alice.pb, alice.id, {
      name: '  Alice\tA. ',
      avatar: new File([png], 'me.png', { type: 'image/png' }),
    });
    if (!('saved' in result)) throw new Error(result.problem.message);
    expect(result.saved.name).toBe('Alice A.');
    expect(result.saved.avatar).toMatch(/\.png$/);
    // The client's signed-in record follows, so a reload of the token does not bring the old name back.
    expect(alice.pb.authStore.record?.name).toBe('Alice A.');

    const removed = await saveProfile(alice.pb, alice.id, { name: 'Alice A.', avatar: null });
    expect('saved' in removed && removed.saved.avatar).toBe('');
  });

  it("returns the server's refusals on their fields", async () => {
    const name = await saveProfile(alice.pb, alice.id, { name: 'admin\u202Eexe' });
    expect('problem' in name && name.problem.fields.name).toMatch(/text direction/);
    const picture = await saveProfile(alice.pb, alice.id, {
      name: 'Alice',
      avatar: new File(['not a picture'], 'fake.png', { type: 'image/png' }),
    });
    expect('problem' in picture && picture.problem.fields.avatar).toBe(
      '“fake.png” is not a JPEG, PNG, GIF or WebP picture inside, whatever its name says. Choose another.',
    );
    // Neither reached the stored profile.
    expect((await alice.pb.collection('users').getOne(alice.id)).name).toBe('Alice A.');
  });

  it("cannot save someone else's profile", async () => {
    const result = await saveProfile(mallory.pb, alice.id, { name: 'Alice (official)' });
    expect('problem' in result && result.problem.status).toBe(404);
  });
});
