// Uploaded files on object storage, against a real S3-compatible server (Versity's versitygw, built from
// its Go module by testing/s3-server.sh) on a loopback port: admin.sh configure refusing a wrong secret
// without saving anything, copying the files already on disk into the bucket and switching, new
// attachments landing in the bucket and not on disk while the file rules stay as they were, and the way
// back to disk refused until the bucket has been copied there.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { repoRoot } from '../../scripts/backend-build.ts';
import { anonymous, createRoom, signUp, type TestUser } from '../testing/clients.ts';
import { freePort, startTestServer, type TestServer } from '../testing/server.ts';

const deployDir = join(repoRoot, 'backend', 'deploy');
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const tools = ['go', 'curl', 'jq'].filter((command) => !has(command));

const BUCKET = 'palaver-files';
const REGION = 'us-east-1';
const ACCESS_KEY = 'palaver-test-access';
const SECRET = 'files-s3-secret-value';
// A 1x1 PNG, so that a thumbnail can be made from it.
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

describe.skipIf(tools.length > 0)(
  `uploaded files in an S3 bucket${tools.length > 0 ? ` (skipped: no ${tools.join(', ')} on this machine)` : ''}`,
  () => {
    let s3Root: string;
    let s3Port: number;
    let s3Server: ChildProcess | undefined;
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let mallory: TestUser;
    let room: RoomsRecord;
    let before: MessagesRecord;

    /** A signed request to the S3 server with curl, as admin.sh makes them. */
    const s3 = (method: string, path: string) => {
      const result = spawnSync(
        'curl',
        [
          '-sS',
          '-X',
          method,
          '--aws-sigv4',
          `aws:amz:${REGION}:s3`,
          '--user',
          `${ACCESS_KEY}:${SECRET}`,
          '-H',
          'x-amz-content-sha256: UNSIGNED-PAYLOAD',
          '-w',
          '\n%{http_code}',
          `http://127.0.0.1:${s3Port}/${path}`,
        ],
        { encoding: 'utf8' },
      );
      const status = Number(result.stdout.slice(result.stdout.lastIndexOf('\n') + 1));
      return { status, body: result.stdout.slice(0, result.stdout.lastIndexOf('\n')) };
    };
    /** Every key in the bucket, listed by the S3 server itself. */
    const bucketKeys = () => {
      const listed = s3('GET', `${BUCKET}?list-type=2`);
      expect(listed.status, listed.body).toBe(200);
      return [...listed.body.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]);
    };
    const filesEnv = (overrides: Record<string, string> = {}) => ({
      PALAVER_URL: server.url,
      PB_SUPERUSER_EMAIL: server.superuser.email,
      PB_SUPERUSER_PASSWORD: server.superuser.password,
      FILES_S3_BUCKET: BUCKET,
      FILES_S3_REGION: REGION,
      FILES_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      FILES_S3_ACCESS_KEY: ACCESS_KEY,
      FILES_S3_SECRET: SECRET,
      FILES_S3_FORCE_PATH_STYLE: 'true',
      ...overrides,
    });
    const admin = (command: string, env: Record<string, string>) => {
      // --env of an empty file: nobody's backend/deploy/admin.env leaks into the test.
      const result = spawnSync('bash', [join(deployDir, 'admin.sh'), '--env', join(s3Root, 'admin.env'), command], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: result.status, out: `${result.stdout}${result.stderr}` };
    };
    const post = (author: TestUser, name: string, content: Uint8Array<ArrayBuffer> | string, type: string) =>
      author.pb.collection('messages').create<MessagesRecord>({
        text: `with ${name}`,
        user: author.id,
        room: room.id,
        attachments: [new File([content], name, { type })],
      });
    const download = async (who: TestUser | null, message: MessagesRecord, query: Record<string, string> = {}) => {
      const token = who ? await who.pb.files.getToken() : '';
      const name = message.attachments[0] ?? '';
      const pb = who?.pb ?? anonymous(server);
      return fetch(pb.files.getURL(message, name, { ...query, ...(token ? { token } : {}) }));
    };
    const keyOf = (message: MessagesRecord) => `${message.collectionId}/${message.id}/${message.attachments[0]}`;
    const storage = async () => (await (await server.admin()).settings.getAll()).s3;

    beforeAll(async () => {
      const built = spawnSync('bash', [join(deployDir, 'testing', 's3-server.sh')], {
        encoding: 'utf8',
        timeout: 900_000,
      });
      if (built.status !== 0) throw new Error(`testing/s3-server.sh failed: ${built.stderr}`);
      s3Root = mkdtempSync(join(tmpdir(), 'palaver-s3-'));
      writeFileSync(join(s3Root, 'admin.env'), '');
      s3Port = await freePort();
      s3Server = spawn(built.stdout.trim(), ['--port', `127.0.0.1:${s3Port}`, '--quiet', 'posix', s3Root], {
        env: { ...process.env, ROOT_ACCESS_KEY: ACCESS_KEY, ROOT_SECRET_KEY: SECRET },
        stdio: 'ignore',
      });
      for (const deadline = Date.now() + 10_000; ;) {
        if ((await fetch(`http://127.0.0.1:${s3Port}/`).catch(() => null)) !== null) break;
        if (Date.now() > deadline) throw new Error('the S3 test server did not answer within 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(s3('PUT', BUCKET).status).toBe(200);

      server = await startTestServer();
      [alice, bob, mallory] = await Promise.all([
        signUp(server, 'alice'),
        signUp(server, 'bob'),
        signUp(server, 'mallory'),
      ]);
      room = await createRoom(alice, 'private', [bob.id]);
      // Stored on the server's disk, before the switch.
      before = await post(alice, 'before.txt', 'written before the switch', 'text/plain');
    }, 900_000);

    afterAll(async () => {
      await server?.stop();
      s3Server?.kill();
      if (s3Root) rmSync(s3Root, { recursive: true, force: true });
    });

    it('a wrong secret is refused before anything is saved, with an error that names what to check', async () => {
      const result = admin('configure', filesEnv({ FILES_S3_SECRET: 'wrong-secret-value', APP_NAME: 'Not saved' }));
      expect(result.code).not.toBe(0);
      expect(result.out).toContain(`writing a test object to s3://${BUCKET}`);
      expect(result.out).toContain('SignatureDoesNotMatch');
      expect(result.out).toContain('check FILES_S3_ACCESS_KEY and FILES_S3_SECRET');
      expect(result.out).toContain('nothing was saved');
      expect(result.out).not.toContain('wrong-secret-value');
      expect((await storage()).enabled).toBe(false);
      expect((await (await server.admin()).settings.getAll()).meta.appName).not.toBe('Not saved');
      expect(bucketKeys()).toEqual([]);
    });

    it('a bucket that does not exist is named as such, and nothing is saved', async () => {
      const result = admin('configure', filesEnv({ FILES_S3_BUCKET: 'no-such-bucket' }));
      expect(result.code).not.toBe(0);
      expect(result.out).toContain('the bucket does not exist');
      expect((await storage()).enabled).toBe(false);
    });

    it('configure copies the files already on disk into the bucket, then switches; no secret is printed', async () => {
      const result = admin('configure', filesEnv());
      expect(result.code, result.out).toBe(0);
      expect(result.out).toContain(`copied 1 files to s3://${BUCKET}`);
      expect(result.out).toContain(`uploaded files in s3://${BUCKET}`);
      expect(result.out).not.toContain(SECRET);
      expect(result.out).not.toContain(server.superuser.password);
      expect(await storage()).toMatchObject({ enabled: true, bucket: BUCKET, forcePathStyle: true });
      expect(bucketKeys()).toContain(keyOf(before));
      // Served from the bucket now, to a member as before.
      const read = await download(bob, before);
      expect(read.status).toBe(200);
      expect(await read.text()).toBe('written before the switch');
    });

    it('a new attachment is stored in the bucket and not on disk; a member reads it, others get nothing', async () => {
      const message = await post(alice, 'pixel.png', PNG, 'image/png');
      expect(bucketKeys()).toContain(keyOf(message));
      expect(existsSync(join(server.dataDir, 'storage', message.collectionId, message.id))).toBe(false);

      const read = await download(bob, message);
      expect(read.status).toBe(200);
      expect(new Uint8Array(await read.arrayBuffer())).toEqual(PNG);
      expect((await download(bob, message, { thumb: '480x360f' })).status).toBe(200);
      // Someone outside the room with a token of their own, and nobody signed in, get nothing.
      expect((await download(mallory, message)).status).toBe(404);
      expect((await download(null, message)).status).toBe(404);
      expect((await download(bob, message)).headers.get('cache-control')).toContain('private');
    });

    it('running configure again copies nothing and keeps the bucket; `admin.sh files` finds every file served', () => {
      const again = admin('configure', filesEnv());
      expect(again.code, again.out).toBe(0);
      expect(again.out).not.toContain('copied');
      const report = admin('files', filesEnv());
      expect(report.code, report.out).toBe(0);
      expect(report.out).toContain('all 2 files are served');
    });

    it('without FILES_S3_BUCKET the files stay in the bucket; back to disk only once the bucket is copied there', async () => {
      const unset = { FILES_S3_BUCKET: '', FILES_S3_SECRET: '' };
      const kept = admin('configure', filesEnv(unset));
      expect(kept.code, kept.out).toBe(0);
      expect(kept.out).toContain(`uploaded files in s3://${BUCKET}`);
      expect((await storage()).enabled).toBe(true);

      // pb_data/storage has only the file from before the switch: the new one would be lost.
      const refused = admin('configure', filesEnv({ ...unset, FILES_BACK_TO_DISK: 'yes' }));
      expect(refused.code).not.toBe(0);
      expect(refused.out).toContain("1 files are not in the server's pb_data/storage");
      expect((await storage()).enabled).toBe(true);

      // What the operator does on the server (README): the bucket's objects into pb_data/storage.
      for (const entry of readdirSync(join(s3Root, BUCKET)).filter((name) => !name.startsWith('.')))
        cpSync(join(s3Root, BUCKET, entry), join(server.dataDir, 'storage', entry), { recursive: true });
      const back = admin('configure', filesEnv({ ...unset, FILES_BACK_TO_DISK: 'yes' }));
      expect(back.code, back.out).toBe(0);
      expect(back.out).toContain("uploaded files on the server's disk again");
      expect((await storage()).enabled).toBe(false);
      expect((await download(bob, before)).status).toBe(200);
    });

    it(
      'files sent while configure copies and switches are each in the new bucket or named by it, never lost unsaid',
      { timeout: 60_000 },
      async () => {
        expect(s3('PUT', 'palaver-files-2').status).toBe(200);
        const env = filesEnv({ FILES_S3_BUCKET: 'palaver-files-2' });
        const run = spawn('bash', [join(deployDir, 'admin.sh'), '--env', join(s3Root, 'admin.env'), 'configure'], {
          env: { ...process.env, ...env },
        });
        let out = '';
        run.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        run.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => run.on('exit', resolve));
        let running = true;
        void exited.then(() => (running = false));
        // People keep sending files (two or three a second) for as long as the switch takes: before, during and after it.
        const sent: MessagesRecord[] = [];
        while (running) {
          sent.push(await post(alice, `during-${sent.length}.txt`, `sent ${sent.length}`, 'text/plain'));
          await new Promise((r) => setTimeout(r, 400));
        }
        const code = await exited;
        expect(sent.length).toBeGreaterThan(3);
        expect(out).not.toContain(SECRET);

        const unnamed: string[] = [];
        const named: string[] = [];
        for (const message of sent) {
          if ((await download(bob, message)).status === 200) continue;
          (out.includes(`pb_data/storage/${keyOf(message)}`) ? named : unnamed).push(keyOf(message));
        }
        expect(unnamed).toEqual([]);
        // configure succeeds exactly when nothing had to be named.
        expect(code === 0, out).toBe(named.length === 0);
        expect((await storage()).bucket).toBe('palaver-files-2');
      },
    );
  },
);
