// The server binary: runs from any directory with Palaver's migrations and hooks, can be pointed at
// other ones, carries its version, ships production settings, and its schema matches the client types.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendDir, pinnedPocketBaseVersion, serverBinary } from '../../scripts/backend-build.ts';
import { generateTypes, readSchema, typesFile } from '../../scripts/backend-types.ts';
import { anonymous, refused, signUp } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

describe('the server binary', () => {
  it('says which PocketBase and which Palaver it is', () => {
    const result = spawnSync(serverBinary, ['--version'], { encoding: 'utf8', cwd: tmpdir() });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(pinnedPocketBaseVersion().slice(1));
    expect(result.stdout).toMatch(/palaver \d+\.\d+\.\d+/);
  });

  it('applies backend/pb_migrations and loads backend/pb_hooks when started from another directory', async () => {
    // The harness starts every server with cwd = the temp dir, so this is the ordinary path.
    const server = await startTestServer();
    try {
      const user = await signUp(server);
      const general = await user.pb.collection('rooms').getFirstListItem('name = "general"');
      expect(general).toMatchObject({ kind: 'public' });
      // A hook (pb_hooks/messages.pb.js) is running: text is trimmed.
      const message = await user.pb
        .collection('messages')
        .create({ text: '  hooked  ', user: user.id, room: general.id });
      expect(message.text).toBe('hooked');
    } finally {
      await server.stop();
    }
  });

  it('finds its migrations next to its folder even when the checkout lives in the temp dir', async () => {
    // PocketBase's own "is this go run?" guess looks at the temp dir, which a clone in /tmp also matches.
    const checkout = mkdtempSync(join(tmpdir(), 'palaver-checkout-'));
    mkdirSync(join(checkout, 'bin'));
    copyFileSync(serverBinary, join(checkout, 'bin', 'pocketbase'));
    cpSync(join(backendDir, 'pb_migrations'), join(checkout, 'pb_migrations'), { recursive: true });
    cpSync(join(backendDir, 'pb_hooks'), join(checkout, 'pb_hooks'), { recursive: true });
    const server = await startTestServer({ binary: join(checkout, 'bin', 'pocketbase') });
    try {
      const admin = await server.admin();
      expect(await admin.collection('rooms').getFirstListItem('name = "general"')).toMatchObject({
        kind: 'public',
      });
    } finally {
      await server.stop();
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('lets a client on another origin read the server clock (the Date header)', async () => {
    const server = await startTestServer();
    try {
      const response = await fetch(`${server.url}/api/health`, { headers: { Origin: 'app://palaver' } });
      expect(response.headers.get('access-control-expose-headers')).toContain('Date');
      expect(response.headers.get('date')).toBeTruthy();
    } finally {
      await server.stop();
    }
  });

  it('takes other migrations and hooks directories when told to', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'palaver-empty-'));
    const server = await startTestServer({
      rateLimits: 'production',
      serveArgs: ['--migrationsDir', empty, '--hooksDir', empty],
    });
    try {
      expect((await refused(anonymous(server).collection('rooms').getList())).status).toBe(404);
    } finally {
      await server.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('production settings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimits: 'production' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('are applied by the settings migration', async () => {
    const settings = await (await server.admin()).settings.getAll();
    expect(settings.meta).toMatchObject({ appName: 'Palaver', hideControls: true });
    expect(settings.batch.enabled).toBe(false);
    expect(settings.rateLimits.enabled).toBe(true);
    const labels = (settings.rateLimits.rules as Array<{ label: string }>).map((r) => r.label);
    expect(labels).toEqual(expect.arrayContaining(['*:auth', 'users:create', '*:create', '/api/']));
  });

  it('stop password guessing: the 11th sign-in attempt within a minute is answered 429', async () => {
    const pb = anonymous(server);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      statuses.push((await refused(pb.collection('users').authWithPassword('someone', `guess-${attempt}`))).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('stop account spam: the 6th sign-up within a minute is answered 429, and nothing is created', async () => {
    const pb = anonymous(server);
    const attempt = (i: number) =>
      pb.collection('users').create({
        username: `spam_${i}`,
        email: `spam${i}@palaver.test`,
        password: 'spam-password-1',
        passwordConfirm: 'spam-password-1',
      });
    for (let i = 0; i < 5; i++) await attempt(i);
    expect((await refused(attempt(5))).status).toBe(429);
    const admin = await server.admin();
    expect((await admin.collection('users').getList(1, 1, { filter: 'username = "spam_5"' })).totalItems).toBe(0);
  });
});

describe('client record types', () => {
  it('src-shared/pocketbase-types.ts matches the schema the migrations produce (else run `npm run backend:types`)', async () => {
    const server = await startTestServer();
    try {
      expect(readFileSync(typesFile, 'utf8')).toBe(generateTypes(await readSchema(server.url, server.superuser)));
    } finally {
      await server.stop();
    }
  });
});
