import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { multipartBody, postBody } from './multipart.ts';

const file = { field: 'attachments', name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from([0, 13, 10, 255, 45]) };

describe('multipartBody', () => {
  it('is read back by a standard form-data parser: every field, and the file byte for byte', async () => {
    const body = multipartBody({ room: 'r1', text: 'a photo: ünïcode' }, file);
    const form = await new Response(Buffer.concat(body.parts), {
      headers: { 'content-type': body.contentType },
    }).formData();
    expect(form.get('room')).toBe('r1');
    expect(form.get('text')).toBe('a photo: ünïcode');
    const sent = form.get('attachments') as File;
    expect(sent.name).toBe('photo.jpg');
    expect(sent.type).toBe('image/jpeg');
    expect(Buffer.from(await sent.arrayBuffer())).toEqual(file.data);
  });

  it('sends the file as given, without copying it, and counts its length', () => {
    const body = multipartBody({}, file);
    expect(body.parts[1]).toBe(file.data);
    expect(body.length).toBe(Buffer.concat(body.parts).length);
  });

  it('refuses names that would break the part headers', () => {
    expect(() => multipartBody({}, { ...file, name: 'a"b.jpg' })).toThrow(/file name "a\\"b.jpg" holds a quote/);
    expect(() => multipartBody({ 'x\r\ny': '1' }, file)).toThrow(/field/);
  });
});

describe('postBody', () => {
  it('posts the body with its length and type, and reads the answer', async () => {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        res.end(
          JSON.stringify({
            length: req.headers['content-length'],
            type: req.headers['content-type'],
            got: Buffer.concat(chunks).length,
          }),
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = multipartBody({ a: 'b' }, file);
      const posted = await postBody(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, body);
      expect(posted.status).toBe(200);
      expect(JSON.parse(posted.body)).toEqual({
        length: String(body.length),
        type: body.contentType,
        got: body.length,
      });
      expect(posted.ms).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
