// Message attachments from the attacker's side: what may be attached and when, who may download a
// protected file (and with what), and that a file served back never runs as a page of the server's origin.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordSubscription } from 'pocketbase';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { anonymous, createRoom, refused, roomAction, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

const MB = 1024 * 1024;
// A 1x1 PNG, so that thumbnails can be made from it.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The start of a PNG that declares `width` x `height` pixels: enough for a decoder to size it. */
function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const crc32 = (bytes: Buffer) => {
    let crc = ~0;
    for (const byte of bytes) {
      crc ^= byte;
      for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
    }
    return ~crc >>> 0;
  };
  const ihdr = Buffer.alloc(17);
  ihdr.write('IHDR', 0, 'latin1');
  ihdr.writeUInt32BE(width, 4);
  ihdr.writeUInt32BE(height, 8);
  ihdr.set([8, 6, 0, 0, 0], 12); // 8-bit RGBA, no interlace
  const length = Buffer.alloc(4);
  length.writeUInt32BE(13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(ihdr));
  return new Uint8Array(Buffer.concat([PNG.subarray(0, 8), length, ihdr, crc]));
}

let server: TestServer;
let alice: TestUser; // owns the private room and the direct conversation
let bob: TestUser; // member of both
let mallory: TestUser; // member of neither
let general: RoomsRecord;
let secret: RoomsRecord;
let direct: RoomsRecord;

function textFile(name: string, content = `contents of ${name}`, type = 'text/plain'): File {
  return new File([content], name, { type });
}

function sizedFile(name: string, bytes: number): File {
  return new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' });
}

async function send(author: TestUser, room: RoomsRecord, text: string, files: File[]): Promise<MessagesRecord> {
  return author.pb
    .collection('messages')
    .create<MessagesRecord>({ text, user: author.id, room: room.id, attachments: files });
}

/** The stored name of a message's file by position, failing the test when there is none. */
function fileOf(message: MessagesRecord, index = 0): string {
  const name = message.attachments[index];
  if (name === undefined)
    throw new Error(`message ${message.id} has no file at ${index}: ${message.attachments.join()}`);
  return name;
}

async function stored(id: string): Promise<MessagesRecord> {
  return (await server.admin()).collection('messages').getOne<MessagesRecord>(id);
}

/** Downloads a file the way the app does: the SDK's URL with a file token of `who` (none for null). */
async function download(
  who: TestUser | null,
  message: MessagesRecord,
  name: string,
  query: Record<string, string> = {},
): Promise<Response> {
  const token = who ? await who.pb.files.getToken() : '';
  const url = (who?.pb ?? anonymous(server)).files.getURL(message, name, { ...query, ...(token ? { token } : {}) });
  return fetch(url);
}

/**
 * POSTs a message create announcing a body of `bytes` with Expect: 100-continue and sends none of it: the
 * status is 100 when the server would read such a body, else its refusal. With `edit`, PATCHes that message.
 */
function statusForAnnouncedBody(
  target: TestServer,
  who: TestUser,
  bytes: number,
  edit?: MessagesRecord,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${target.url}/api/collections/messages/records${edit ? `/${edit.id}` : ''}`, {
      method: edit ? 'PATCH' : 'POST',
      headers: {
        Authorization: who.pb.authStore.token,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(bytes),
        Expect: '100-continue',
      },
    });
    // 100 Continue: the server is ready to read a body of that size.
    req.on('continue', () => {
      resolve({ status: 100, body: '' });
      req.destroy();
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
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

describe('sending', () => {
  it('takes a message of files only, and lists their names to readers', async () => {
    const message = await send(alice, secret, '', [textFile('notes.txt'), textFile('log.txt')]);
    expect(message.text).toBe('');
    expect(message.attachments).toHaveLength(2);
    // Stored names keep the original name with a random suffix: readers see which file is which.
    expect(fileOf(message)).toMatch(/^notes_\w+\.txt$/);
    const seen = await bob.pb.collection('messages').getOne<MessagesRecord>(message.id);
    expect(seen.attachments).toEqual(message.attachments);
  });

  it('describes each file from what the server saw, whatever the client claimed: name as sent, bytes, sniffed type, pixels', async () => {
    const png = new File([pngHeader(640, 480)], 'Screen shot 1.png', { type: 'image/png' });
    const disguised = new File(['<html><script>alert(1)</script></html>'], 'photo.jpg', { type: 'image/jpeg' });
    const message = await alice.pb.collection('messages').create<MessagesRecord>({
      text: '',
      user: alice.id,
      room: secret.id,
      attachments: [png, disguised],
      attachmentInfo: { 'forged.png': { name: 'forged.png', size: 1, type: 'image/png', width: 1, height: 1 } },
    });
    const seen = await bob.pb.collection('messages').getOne<MessagesRecord>(message.id);
    const info = seen.attachmentInfo as Record<string, { name: string; size: number; type: string; width?: number }>;
    expect(Object.keys(info).sort()).toEqual([...message.attachments].sort());
    expect(info[fileOf(message, 0)]).toEqual({
      name: 'Screen shot 1.png',
      size: png.size,
      type: 'image/png',
      width: 640,
      height: 480,
    });
    // Named and declared a JPEG, sniffed as HTML: the room view must not treat it as an image.
    expect(info[fileOf(message, 1)]?.type).toMatch(/^text\/html/);
    expect(info[fileOf(message, 1)]?.width).toBeUndefined();

    // An edit cannot rewrite the description; removing a file removes its entry.
    const edited = await alice.pb.collection('messages').update<MessagesRecord>(message.id, {
      'attachments-': [fileOf(message, 1)],
      attachmentInfo: { [fileOf(message, 0)]: { name: 'invoice.pdf', size: 5, type: 'application/pdf' } },
    });
    expect(edited.attachmentInfo).toEqual({ [fileOf(message, 0)]: info[fileOf(message, 0)] });
  });

  it('refuses a message with neither text nor a file on the text field, blank or control-only text included', async () => {
    for (const text of ['', '  \n\t ', ' \u0000\u202E ']) {
      const result = await refused(send(alice, general, text, []));
      expect(result.status).toBe(400);
      expect(result.data.text?.code).toBe('validation_message_empty');
      expect(result.data.text?.message).toMatch(/attach a file/);
    }
  });

  it('refuses more than ten files, naming the attachments field', async () => {
    const files = Array.from({ length: 11 }, (_, i) => textFile(`f${i}.txt`));
    const result = await refused(send(alice, general, 'eleven', files));
    expect(result.status).toBe(400);
    expect(result.data.attachments?.code).toBe('validation_too_many_files');
  });

  it('accepts two files of exactly 25 MB in one request and refuses one byte more', async () => {
    // Fifty MB is over PocketBase's default body limit of 32 MB: the route's limit follows the field.
    const big = await send(alice, general, 'two big ones', [sizedFile('a.bin', 25 * MB), sizedFile('b.bin', 25 * MB)]);
    expect(big.attachments).toHaveLength(2);
    const result = await refused(send(alice, general, 'too big', [sizedFile('c.bin', 25 * MB + 1)]));
    expect(result.status).toBe(400);
    expect(result.data.attachments?.code).toBe('validation_file_size_limit');

    // Ten files of 25 MB with the form around them fit the route's body limit; more is refused unread.
    // PocketBase adds every field's largest value to the limit: each JSON field's maxSize too
    // (attachmentInfo's 20,000 bytes, and the server-kept summaries of threads and reactions).
    const messagesFields = (await (await server.admin()).collections.getOne('messages')).fields;
    const jsonLimits = messagesFields
      .filter((f) => f.type === 'json')
      .reduce((sum, f) => sum + ((f.maxSize as number) || 1 << 20), 0);
    const routeLimit = 282 * MB + jsonLimits;
    expect((await statusForAnnouncedBody(server, alice, routeLimit)).status).toBe(100);
    expect((await statusForAnnouncedBody(server, alice, routeLimit + 1)).status).toBe(413);
    // An edit never adds a file, so it keeps PocketBase's default 32 MB however large the field allows.
    const mine = await send(alice, general, 'editable', [textFile('small.txt')]);
    expect((await statusForAnnouncedBody(server, alice, 32 * MB, mine)).status).toBe(100);
    expect((await statusForAnnouncedBody(server, alice, 32 * MB + 1, mine)).status).toBe(413);
  });
  it('refuses an image that would take gigabytes to decode for a thumbnail, whatever its name', async () => {
    const bomb = new File([pngHeader(30000, 30000)], 'holiday.txt', { type: 'text/plain' });
    const result = await refused(send(mallory, general, 'small file, huge picture', [bomb]));
    expect(result.status).toBe(400);
    expect(result.data.attachments?.code).toBe('validation_image_too_large');
    expect(result.data.attachments?.message).toContain('30000x30000');
    // A large photo still passes: the limit is on pixels, not on what a camera makes.
    const photo = new File([pngHeader(8000, 6000)], 'photo.png', { type: 'image/png' });
    expect((await send(mallory, general, 'photo', [photo])).attachments).toHaveLength(1);
  });

  it('refuses such an image as an avatar too, which is thumbnailed the same way', async () => {
    const bomb = new File([pngHeader(30000, 30000)], 'me.png', { type: 'image/png' });
    const result = await refused(mallory.pb.collection('users').update(mallory.id, { avatar: bomb }));
    expect(result.status).toBe(400);
    expect(result.data.avatar?.code).toBe('validation_image_too_large');
  });
});

describe('the operator sets the size limit with PALAVER_ATTACHMENT_MAX_MB', () => {
  it('applies it at start: ten files at the limit pass, one byte over is refused, a larger body gets 413', async () => {
    const small = await startTestServer({ env: { PALAVER_ATTACHMENT_MAX_MB: '1' } });
    try {
      const admin = await small.admin();
      const field = (await admin.collections.getOne('messages')).fields.find((f) => f.name === 'attachments');
      expect(field?.maxSize).toBe(MB);

      const carol = await signUp(small, 'carol');
      expect((await carol.pb.send('/api/palaver/limits', {})).attachmentMaxBytes).toBe(MB);
      const room = await carol.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
      const ten = Array.from({ length: 10 }, (_, i) => sizedFile(`p${i}.bin`, MB));
      expect((await send(carol, room, 'ten at the limit', ten)).attachments).toHaveLength(10);
      const over = await refused(send(carol, room, 'over', [sizedFile('q.bin', MB + 1)]));
      expect(over.data.attachments?.code).toBe('validation_file_size_limit');
      expect(over.data.attachments?.message).toContain(String(MB));

      // The body limit is PocketBase's 32 MB plus ten files of the limit: a request announcing more is
      // answered 413 before any of its body is read (the client asks first, as a large upload should).
      const announced = await statusForAnnouncedBody(small, carol, 43 * MB);
      expect(announced.status).toBe(413);
      expect(announced.body).toMatch(/too large/i);
    } finally {
      await small.stop();
    }
  });

  it('stops the server with a message naming the variable when the value is not a size', async () => {
    await expect(startTestServer({ env: { PALAVER_ATTACHMENT_MAX_MB: '25MB' } })).rejects.toThrow(
      /PALAVER_ATTACHMENT_MAX_MB="25MB": set it to a whole number of megabytes/,
    );
  });
});

describe('GET /api/palaver/limits', () => {
  it('tells a signed-in account the size and count limits, so the app refuses a file before uploading it', async () => {
    const limits = await bob.pb.send<{ attachmentMaxBytes: number; attachmentMaxFiles: number }>(
      '/api/palaver/limits',
      {},
    );
    expect(limits).toEqual({ attachmentMaxBytes: 25 * MB, attachmentMaxFiles: 10 });
    const refusal = await refused(anonymous(server).send('/api/palaver/limits', {}));
    expect(refusal.status).toBe(401);
  });
});

describe('editing', () => {
  it('lets the author remove a file, and never add, replace or borrow one', async () => {
    const message = await send(alice, secret, 'two files', [textFile('report.txt'), textFile('extra.txt')]);
    const [report, extra] = [fileOf(message, 0), fileOf(message, 1)];
    const other = await send(bob, secret, 'another', [textFile('other.txt')]);
    const messages = alice.pb.collection('messages');

    const attempts: Array<[string, Record<string, unknown>, string]> = [
      ['a file appended', { 'attachments+': textFile('smuggled.txt') }, 'validation_attachments_fixed'],
      ['a whole new list', { attachments: [textFile('new.txt')] }, 'validation_attachments_fixed'],
      [
        'a same-named replacement',
        { 'attachments-': [report], 'attachments+': textFile('report.txt') },
        'validation_attachments_fixed',
      ],
      ["another message's file by name", { 'attachments+': fileOf(other) }, 'validation_invalid_file'],
    ];
    for (const [what, body, code] of attempts) {
      const result = await refused(messages.update(message.id, body));
      expect(result.status, what).toBe(400);
      expect(result.data.attachments?.code, what).toBe(code);
      expect((await stored(message.id)).attachments, what).toEqual([report, extra]);
    }

    // Someone else cannot even remove one.
    expect((await refused(bob.pb.collection('messages').update(message.id, { 'attachments-': [report] }))).status).toBe(
      404,
    );

    const after = await messages.update<MessagesRecord>(message.id, { 'attachments-': [report] });
    expect(after.attachments).toEqual([extra]);
    expect((await download(bob, message, report)).status).toBe(404);
    expect((await download(bob, message, extra)).status).toBe(200);
  });

  it("deletes a message's files with it", async () => {
    const message = await send(alice, secret, 'short-lived', [textFile('gone.txt')]);
    expect((await download(bob, message, fileOf(message))).status).toBe(200);
    await alice.pb.collection('messages').delete(message.id);
    expect((await download(bob, message, fileOf(message))).status).toBe(404);
    expect((await download(alice, message, fileOf(message))).status).toBe(404);
  });

  it('refuses removing the last file of a message without text, and allows blanking text that has a file', async () => {
    const filesOnly = await send(alice, general, '', [textFile('only.txt')]);
    const result = await refused(
      alice.pb.collection('messages').update(filesOnly.id, { 'attachments-': filesOnly.attachments }),
    );
    expect(result.data.text?.code).toBe('validation_message_empty');
    expect((await stored(filesOnly.id)).attachments).toEqual(filesOnly.attachments);

    const both = await send(alice, general, 'caption', [textFile('pic.txt')]);
    expect((await alice.pb.collection('messages').update<MessagesRecord>(both.id, { text: '  ' })).text).toBe('');
  });
});

describe('downloading a protected file', () => {
  it('serves it to the members of a private room or direct conversation with their file token only', async () => {
    for (const room of [secret, direct]) {
      const message = await send(alice, room, 'for members', [textFile('plan.txt', 'the plan')]);
      const name = fileOf(message);
      for (const member of [alice, bob]) {
        const response = await download(member, message, name);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('the plan');
      }
      // The URL without a token, a forged token, a stranger's own token: nothing, and no hint it exists.
      expect((await download(null, message, name)).status).toBe(404);
      expect((await download(null, message, name, { token: 'forged.token.value' })).status).toBe(404);
      expect((await download(mallory, message, name)).status).toBe(404);
      // A signed-in session token is not a file token.
      expect((await download(null, message, name, { token: mallory.pb.authStore.token })).status).toBe(404);
      expect((await download(null, message, name, { token: bob.pb.authStore.token })).status).toBe(404);
    }
  });

  it('stops serving a member the moment they leave, with the token they already had', async () => {
    const carol = await signUp(server, 'carol');
    const room = await createRoom(alice, 'private', [carol.id]);
    const message = await send(alice, room, 'before you go', [textFile('keep.txt')]);
    const token = await carol.pb.files.getToken();
    const url = carol.pb.files.getURL(message, fileOf(message), { token });
    expect((await fetch(url)).status).toBe(200);
    await roomAction(carol, room, 'leave');
    expect((await fetch(url)).status).toBe(404);
  });

  it("serves a public room's files to every signed-in account, and to nobody signed out", async () => {
    const message = await send(alice, general, 'for all', [textFile('public.txt', 'hello all')]);
    const response = await download(mallory, message, fileOf(message));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello all');
    expect((await download(null, message, fileOf(message))).status).toBe(404);
  });

  it("serves nothing for a forged file name: another message's file on this URL, or a path that climbs", async () => {
    const secretMessage = await send(alice, secret, 'private', [textFile('secret.txt', 'classified')]);
    const publicMessage = await send(mallory, general, 'mine', [textFile('mine.txt')]);
    const secretName = fileOf(secretMessage);
    const token = await mallory.pb.files.getToken();
    const base = `${server.url}/api/files/messages`;
    const forged = [
      `${base}/${publicMessage.id}/${secretName}`,
      `${base}/${publicMessage.id}/..%2F${secretMessage.id}%2F${secretName}`,
      `${base}/${publicMessage.id}/%2E%2E%2F${secretMessage.id}%2F${secretName}`,
      `${base}/${publicMessage.id}/..%5C${secretMessage.id}%5C${secretName}`,
      `${base}/${encodeURIComponent(`${publicMessage.id}/../${secretMessage.id}`)}/${secretName}`,
    ];
    for (const url of forged) {
      const response = await fetch(`${url}?token=${token}`);
      expect(response.status, url).not.toBe(200);
      expect(await response.text(), url).not.toContain('classified');
    }
  });
});

describe('served so that nothing runs', () => {
  it('sends SVG and HTML as sandboxed downloads that the browser may not sniff into something else', async () => {
    const svg = textFile(
      'drawing.svg',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
      'image/svg+xml',
    );
    const html = textFile(
      'page.html',
      '<html><body><script>alert(document.cookie)</script></body></html>',
      'text/html',
    );
    const message = await send(mallory, general, 'open me', [svg, html]);
    for (const name of message.attachments) {
      const response = await download(bob, message, name);
      expect(response.status, name).toBe(200);
      const headers = response.headers;
      // Saved, never shown as a page; and were it shown, the sandbox gives it an opaque origin with
      // scripts off, so it could not read the app's storage or call the API as the reader.
      expect(headers.get('content-disposition'), name).toMatch(/^attachment; filename=/);
      expect(headers.get('content-security-policy'), name).toContain('sandbox');
      expect(headers.get('content-security-policy'), name).toContain("default-src 'none'");
      expect(headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(headers.get('cache-control'), name).toMatch(/^private/);
    }
    const types = await Promise.all(message.attachments.map(async (n) => (await download(bob, message, n)).headers));
    expect(types[0]?.get('content-type')).toBe('image/svg+xml');
    expect(types[1]?.get('content-type')).toMatch(/^text\/html/);
  });

  it('runs none of their script in Chromium, opened at their URL or embedded in a page of the server', async () => {
    const script = "console.log('attachment script ran')";
    const svg = textFile(
      'ran.svg',
      `<svg xmlns="http://www.w3.org/2000/svg"><script>${script}</script></svg>`,
      'image/svg+xml',
    );
    const html = textFile('ran.html', `<html><body><script>${script}</script></body></html>`, 'text/html');
    const message = await send(mallory, general, 'look', [svg, html]);
    const token = await bob.pb.files.getToken();
    const urls = message.attachments.map((name) => bob.pb.files.getURL(message, name, { token }));

    const browser = await chromium.launch({ executablePath: process.env.PALAVER_CHROMIUM ?? '/usr/bin/chromium' });
    try {
      const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
      const logs: string[] = [];
      page.on('console', (entry) => logs.push(entry.text()));
      for (const url of urls) {
        // Opened directly, as from a link someone was sent: Chromium downloads it and shows nothing.
        const opened = await page.goto(url).catch((error: unknown) => String(error));
        expect(opened, url).toMatch(/Download is starting/);
      }
      // Embedded in a page of the server's own origin, every way a page can embed a file.
      await page.goto(`${server.url}/api/health`);
      const frames = urls
        .map((u) => `<iframe src="${u}"></iframe><object data="${u}"></object><embed src="${u}"><img src="${u}">`)
        .join('');
      await page.setContent(`${frames}<script>console.log('control ran')</script>`, { waitUntil: 'load' });
      await page.waitForTimeout(500);
      expect(logs).toContain('control ran');
      expect(logs).not.toContain('attachment script ran');
    } finally {
      await browser.close();
    }
  });

  it("makes the room view's thumbnail as soon as an image is stored, before anyone asks for it", async () => {
    const message = await send(alice, secret, '', [
      new File([PNG], 'dot.png', { type: 'image/png' }),
      textFile('a.txt'),
    ]);
    const [image, text] = [fileOf(message, 0), fileOf(message, 1)];
    const folder = join(server.dataDir, 'storage', message.collectionId, message.id);
    const thumb = join(folder, `thumbs_${image}`, `480x360f_${image}`);
    const deadline = Date.now() + 5000;
    while (!existsSync(thumb) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(thumb), 'the thumbnail is on disk without a request').toBe(true);
    // Only that size, only of images: the lightbox's is made when first opened, a text file has none.
    expect(existsSync(join(folder, `thumbs_${image}`, `1600x1200f_${image}`))).toBe(false);
    expect(existsSync(join(folder, `thumbs_${text}`))).toBe(false);
  });

  it('shows images inline and makes the declared thumbnails, under the same protection', async () => {
    const message = await send(alice, secret, '', [new File([PNG], 'dot.png', { type: 'image/png' })]);
    const name = fileOf(message);
    const original = await download(bob, message, name);
    expect(original.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(original.headers.get('content-security-policy')).toContain('sandbox');
    for (const thumb of ['480x360f', '1600x1200f']) {
      const response = await download(bob, message, name, { thumb });
      expect(response.status, thumb).toBe(200);
      expect(response.headers.get('content-disposition'), thumb).toContain(`${thumb}_${name}`);
      expect((await download(mallory, message, name, { thumb })).status, thumb).toBe(404);
    }
  });
});

describe('realtime', () => {
  it('carries the file names on palaver/messages, so nobody fetches the message to show them', async () => {
    const events: Array<RecordSubscription<MessagesRecord>> = [];
    const unsubscribe = await bob.pb.realtime.subscribe(MESSAGES_TOPIC, (event) =>
      events.push(event as RecordSubscription<MessagesRecord>),
    );
    try {
      const message = await send(alice, secret, '', [textFile('live.txt'), textFile('also.txt')]);
      const deadline = Date.now() + 5000;
      while (!events.some((e) => e.record.id === message.id) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const event = events.find((e) => e.record.id === message.id);
      expect(event?.action).toBe('create');
      expect(event?.record.attachments).toEqual(message.attachments);
    } finally {
      await unsubscribe();
    }
  });
});
