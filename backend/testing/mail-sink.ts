// A tiny SMTP server on a free loopback port that keeps every mail it is given, so tests can read what
// the server sent (links, tokens) without a mail server. Enough SMTP for Go's net/smtp: no TLS, no auth.
import { createServer, type Server, type Socket } from 'node:net';

export interface SunkMail {
  from: string;
  to: string[];
  /** The message as sent, headers and body, with quoted-printable soft breaks and escapes decoded. */
  text: string;
}

export interface MailSink {
  port: number;
  mails: SunkMail[];
  /** The first mail to `address` from the `since`-th on (see `mails.length`), waiting up to `ms` for it. */
  next(address: string, since?: number, ms?: number): Promise<SunkMail>;
  stop(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startMailSink(): Promise<MailSink> {
  const mails: SunkMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    let data: string[] | undefined;
    let mail: SunkMail = { from: '', to: [], text: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 palaver-test-sink');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line !== '.') {
            data.push(line.startsWith('..') ? line.slice(1) : line);
            continue;
          }
          mails.push({ ...mail, text: decodeQuotedPrintable(data.join('\r\n')) });
          data = undefined;
          mail = { from: '', to: [], text: '' };
          reply('250 kept');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        const path = /<([^>]*)>/.exec(line)?.[1] ?? '';
        if (verb === 'MAIL') mail.from = path;
        if (verb === 'RCPT') mail.to.push(path);
        if (verb === 'DATA') data = [];
        reply(verb === 'DATA' ? '354 go on' : verb === 'QUIT' ? '221 bye' : '250 ok');
        if (verb === 'QUIT') socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the mail sink did not get a port');

  return {
    port: address.port,
    mails,
    async next(to, since = 0, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = mails.slice(since).find((m) => m.to.includes(to));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail reached ${to} within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
