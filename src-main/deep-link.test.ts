import { describe, expect, it } from 'vitest';
import { messageLink, roomLink } from '../src-shared/room-link.ts';
import { linkForLog, linkInArgv, MAX_LINK_LENGTH, parseDeepLink } from './deep-link.ts';

const ID = 'a1b2c3d4e5f6g7h';

describe('parseDeepLink with a server', () => {
  it('reads the server of palaver://<host>/room/<id>, with a port, in lower case', () => {
    expect(parseDeepLink(`palaver://chat.example.com/room/${ID}`)).toEqual({
      kind: 'room',
      roomId: ID,
      server: 'chat.example.com',
    });
    expect(parseDeepLink(`palaver://Chat.Example.com:8443/room/${ID}/message/${ID}/`)).toEqual({
      kind: 'message',
      roomId: ID,
      messageId: ID,
      server: 'chat.example.com:8443',
    });
    expect(parseDeepLink(`palaver://127.0.0.1:8090/room/${ID}`)?.server).toBe('127.0.0.1:8090');
    expect(parseDeepLink(`palaver://[::1]:8090/room/${ID}`)?.server).toBe('[::1]:8090');
    expect(parseDeepLink(roomLink(ID, 'chat.example.com'))).toEqual({
      kind: 'room',
      roomId: ID,
      server: 'chat.example.com',
    });
  });

  it('names any server host: one not added is only offered to the person, never opened (link-server.ts)', () => {
    expect(parseDeepLink(`palaver://evil.example/room/${ID}`)?.server).toBe('evil.example');
  });

  it('an old link without a server still opens (on the server open now)', () => {
    expect(parseDeepLink(`palaver://room/${ID}`)).toEqual({ kind: 'room', roomId: ID });
  });

  it('refuses a host that is no server host: credentials, CSP-breaking characters, bad ports, empty', () => {
    for (const link of [
      `palaver://user@chat.example.com/room/${ID}`,
      `palaver://user:pw@chat.example.com/room/${ID}`,
      `palaver://evil;script-src/room/${ID}`,
      `palaver://a_b.example/room/${ID}`,
      `palaver://chat.example.com:0/room/${ID}`,
      `palaver://chat.example.com:70000/room/${ID}`,
      `palaver://chat.example.com:/room/${ID}`,
      `palaver:///room/${ID}`,
      `palaver://room/room/${ID}`,
      `palaver://chat.example.com/room/${ID}?x=1`,
      `palaver://chat.example.com//room/${ID}`,
      `palaver://a/b/room/${ID}`,
    ])
      expect(parseDeepLink(link), link).toBeNull();
  });
});

describe('parseDeepLink', () => {
  it('opens the room of palaver://room/<id>, with or without a trailing slash', () => {
    expect(parseDeepLink(`palaver://room/${ID}`)).toEqual({ kind: 'room', roomId: ID });
    expect(parseDeepLink(`palaver://room/${ID}/`)).toEqual({ kind: 'room', roomId: ID });
    expect(parseDeepLink('palaver://room/000000000000000')).toEqual({ kind: 'room', roomId: '000000000000000' });
  });

  it('reads the link the renderer writes', () => {
    expect(parseDeepLink(roomLink(ID))).toEqual({ kind: 'room', roomId: ID });
  });

  it('ignores the case of the scheme and the host, as URLs do, but not of the id', () => {
    expect(parseDeepLink(`PALAVER://ROOM/${ID}`)).toEqual({ kind: 'room', roomId: ID });
    expect(parseDeepLink(`Palaver://Room/${ID}/`)).toEqual({ kind: 'room', roomId: ID });
    expect(parseDeepLink(`palaver://room/${ID.toUpperCase()}`)).toBeNull();
  });

  it('refuses other forms of the same link', () => {
    for (const link of [
      `palaver:room/${ID}`,
      `palaver:/room/${ID}`,
      `palaver:///room/${ID}`,
      `palaver:////room/${ID}`,
      `palaver://room//${ID}`,
      `palaver://room/${ID}//`,
      `palaver://room/${ID}/messages`,
      `palaver://room/${ID}/${ID}`,
      `palaver://rooms/${ID}`,
      `palaver://room`,
      `palaver://room/`,
      `palaver://`,
      `palaver:`,
      `palaver://${ID}`,
      `palaver://room.${ID}`,
    ]) {
      expect(parseDeepLink(link), link).toBeNull();
    }
  });

  it('refuses other schemes, and lookalikes of this one', () => {
    for (const link of [
      `https://room/${ID}`,
      `http://palaver/room/${ID}`,
      `file:///room/${ID}`,
      `javascript:alert(1)//palaver://room/${ID}`,
      `palavers://room/${ID}`,
      `xpalaver://room/${ID}`,
      `palaver+https://room/${ID}`,
      ` palaver://room/${ID}`,
      `\u0000palaver://room/${ID}`,
      `pаlaver://room/${ID}`, // Cyrillic а
      `palaver\\\\room\\${ID}`,
      `palaver:\\\\room\\${ID}`,
    ]) {
      expect(parseDeepLink(link), link).toBeNull();
    }
  });

  it('refuses credentials, ports and host tricks', () => {
    for (const link of [
      `palaver://user@room/${ID}`,
      `palaver://user:pass@room/${ID}`,
      `palaver://room@evil.example/${ID}`,
      `palaver://room:80/${ID}`,
      `palaver://room:/${ID}`,
      `palaver://room.evil.example/${ID}`,
      `palaver://[::1]/${ID}`,
    ]) {
      expect(parseDeepLink(link), link).toBeNull();
    }
  });

  it('refuses queries, fragments and anything after the id', () => {
    for (const link of [
      `palaver://room/${ID}?`,
      `palaver://room/${ID}#`,
      `palaver://room/${ID}?server=https://evil.example`,
      `palaver://room/${ID}#top`,
      `palaver://room/${ID}/?x=1`,
      `palaver://room?id=${ID}`,
      `palaver://room/?${ID}`,
      `palaver://room/#${ID}`,
      `palaver://room/${ID};x`,
      `palaver://room/${ID}@evil`,
      `palaver://room/${ID}:8090`,
    ]) {
      expect(parseDeepLink(link), link).toBeNull();
    }
  });

  it('refuses ids that are not exactly 15 of a-z0-9, however they are spelled', () => {
    for (const link of [
      `palaver://room/${ID.slice(0, 14)}`,
      `palaver://room/${ID}a`,
      `palaver://room/${ID.slice(0, 14)}_`,
      `palaver://room/${ID.slice(0, 14)}-`,
      `palaver://room/${ID.slice(0, 14)}.`,
      `palaver://room/%61${ID.slice(1)}`,
      `palaver://room/${ID.slice(0, 12)}%2e`,
      `palaver://room/%2F${ID}`,
      `palaver://room/..%2F${ID}`,
      `palaver://room/../room/${ID}`,
      `palaver://room/./${ID}`,
      `palaver://room/${ID.slice(0, 14)}\u00e9`,
      `palaver://room/${ID.slice(0, 14)}\uff41`, // fullwidth a
      `palaver://room/${ID.slice(0, 14)}\u0430`, // Cyrillic a
      `palaver://room/${ID.slice(0, 14)}\u200b`, // zero-width space
      `palaver://room/${ID}\u200b`,
      `palaver://room/\u202e${ID}`,
    ]) {
      expect(parseDeepLink(link), link).toBeNull();
    }
  });

  it('refuses whitespace and control characters anywhere', () => {
    for (const link of [
      `palaver://room/${ID}\n`,
      `palaver://room/${ID}\r\n`,
      `palaver://room/${ID}\nx`,
      `palaver://room/${ID} `,
      `palaver://room/ ${ID}`,
      `palaver://room/${ID}\t`,
      `palaver://room/${ID}\u0000`,
      `palaver://room/${ID}/\n`,
      `palaver://ro\u0000om/${ID}`,
      `palaver:// room/${ID}`,
    ]) {
      expect(parseDeepLink(link), JSON.stringify(link)).toBeNull();
    }
  });

  it('refuses over-long input without looking at it', () => {
    expect(parseDeepLink(`palaver://room/${ID}/`.padEnd(MAX_LINK_LENGTH + 1, '/'))).toBeNull();
    expect(parseDeepLink(`palaver://room/${'a'.repeat(1_000_000)}`)).toBeNull();
    // Many slashes are not a catastrophic-backtracking trap either.
    expect(parseDeepLink(`palaver://room/${'/'.repeat(MAX_LINK_LENGTH - 15)}`)).toBeNull();
  });

  it('refuses what is not a string', () => {
    for (const value of [
      undefined,
      null,
      42,
      {},
      [`palaver://room/${ID}`],
      { toString: () => `palaver://room/${ID}` },
      new URL(`palaver://room/${ID}`),
    ]) {
      expect(parseDeepLink(value), String(value)).toBeNull();
    }
  });
});

describe('parseDeepLink for a message (issue 17)', () => {
  const MSG = 'z9y8x7w6v5u4t3s';
  const message = { kind: 'message', roomId: ID, messageId: MSG };

  it('opens the room at the message of palaver://room/<id>/message/<id>, with or without a trailing slash', () => {
    expect(parseDeepLink(`palaver://room/${ID}/message/${MSG}`)).toEqual(message);
    expect(parseDeepLink(`palaver://room/${ID}/message/${MSG}/`)).toEqual(message);
    expect(parseDeepLink(`PALAVER://ROOM/${ID}/message/${MSG}`)).toEqual(message);
  });

  it('reads the link the renderer writes, at the length it promises', () => {
    expect(messageLink(ID, MSG)).toBe(`palaver://room/${ID}/message/${MSG}`);
    expect(parseDeepLink(messageLink(ID, MSG))).toEqual(message);
    expect(`${messageLink(ID, MSG)}/`).toHaveLength(55);
  });

  it('refuses hostile and near-miss forms', () => {
    for (const link of [
      `palaver://room/${ID}/message/`,
      `palaver://room/${ID}/message`,
      `palaver://room/${ID}/message//`,
      `palaver://room/${ID}/message/${MSG}//`,
      `palaver://room/${ID}/message//${MSG}`,
      `palaver://room/${ID}//message/${MSG}`,
      `palaver://room//message/${MSG}`,
      `palaver://room/message/${MSG}`,
      `palaver://message/${MSG}`,
      `palaver://room/${ID}/messages/${MSG}`,
      `palaver://room/${ID}/MESSAGE/${MSG}`,
      `palaver://room/${ID}/Message/${MSG}`,
      `palaver://room/${ID}/thread/${MSG}`,
      `palaver://room/${ID}/msg/${MSG}`,
      `palaver://room/${ID}/message/${MSG.toUpperCase()}`,
      `palaver://room/${ID}/message/${MSG}a`,
      `palaver://room/${ID}/message/${MSG.slice(0, 14)}`,
      `palaver://room/${ID}/message/${MSG}/x`,
      `palaver://room/${ID}/message/${MSG}/message/${MSG}`,
      `palaver://room/${ID}/message/${MSG}?`,
      `palaver://room/${ID}/message/${MSG}?server=https://evil.example`,
      `palaver://room/${ID}/message/${MSG}#top`,
      `palaver://room/${ID}/message/${MSG};x`,
      `palaver://room/${ID}/message/${MSG}@evil`,
      `palaver://room/${ID}/message/../${MSG}`,
      `palaver://room/${ID}/message/..%2F${MSG}`,
      `palaver://room/${ID}/message/%7a${MSG.slice(1)}`,
      `palaver://room/${ID}/message/${MSG}\n`,
      `palaver://room/${ID}/message/${MSG} `,
      `palaver://room/${ID}/message/ ${MSG}`,
      `palaver://room/${ID}/message/${MSG}\u0000`,
      `palaver://room/${ID}/message/\u202e${MSG}`,
      `palaver://room/${ID}/message/${MSG.slice(0, 14)}\u0430`,
      `palaver://room/${ID}/me\u0455sage/${MSG}`, // Cyrillic s
      `palaver://room/${ID}%2Fmessage%2F${MSG}`,
      `palaver://room/${ID}\\message\\${MSG}`,
      `palaver://user@room/${ID}/message/${MSG}`,
      `palaver://room:80/${ID}/message/${MSG}`,
      `palaver:room/${ID}/message/${MSG}`,
      `palaver:///room/${ID}/message/${MSG}`,
      `palaver://room/${ID.slice(0, 14)}/message/${MSG}`,
      `palaver://room/${ID}/message/${MSG}`.padEnd(MAX_LINK_LENGTH + 1, '/'),
    ]) {
      expect(parseDeepLink(link), JSON.stringify(link)).toBeNull();
    }
  });
});

describe('linkInArgv', () => {
  it('finds the link a first instance was started with (packaged and unpackaged)', () => {
    expect(linkInArgv(['C:\\Program Files\\Palaver\\Palaver.exe', `palaver://room/${ID}/`])).toBe(
      `palaver://room/${ID}/`,
    );
    expect(linkInArgv(['/usr/lib/electron/electron', '/home/me/palaver', `palaver://room/${ID}`])).toBe(
      `palaver://room/${ID}`,
    );
  });

  it('finds it among the switches Chromium adds to a second instance', () => {
    const argv = [
      'C:\\Program Files\\Palaver\\Palaver.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13350000000000000',
      `palaver://room/${ID}`,
      '--flag-switches-begin',
    ];
    expect(linkInArgv(argv)).toBe(`palaver://room/${ID}`);
  });

  it('skips switches, even when their value looks like a link', () => {
    expect(linkInArgv(['/opt/Palaver/palaver', `--open=palaver://room/${ID}`, `-palaver://room/${ID}`])).toBeNull();
    expect(linkInArgv(['/opt/Palaver/palaver', `--open=palaver://room/${ID}`, '--', `palaver://room/${ID}`])).toBe(
      `palaver://room/${ID}`,
    );
  });

  it('returns the first palaver: argument as it is, valid or not, so an invalid one can be reported', () => {
    expect(linkInArgv(['/opt/Palaver/palaver', 'palaver:room/nope', `palaver://room/${ID}`])).toBe('palaver:room/nope');
    expect(linkInArgv(['/opt/Palaver/palaver', `PALAVER://room/${ID}`])).toBe(`PALAVER://room/${ID}`);
  });

  it('finds nothing without a palaver: argument', () => {
    expect(linkInArgv([])).toBeNull();
    expect(linkInArgv(['/opt/Palaver/palaver'])).toBeNull();
    expect(
      linkInArgv([
        '/opt/Palaver/palaver',
        '--user-data-dir=/tmp/x',
        'https://example.com',
        'palaverx://room/a',
        'palave',
      ]),
    ).toBeNull();
    expect(linkInArgv([undefined, 42, null] as unknown[])).toBeNull();
  });
});

describe('linkForLog', () => {
  it('quotes, shortens and escapes what could forge or reorder a log line', () => {
    expect(linkForLog(`palaver://room/${ID}`)).toBe(`"palaver://room/${ID}"`);
    expect(linkForLog('palaver://x\nPalaver: forged line')).toBe('"palaver://x\\nPalaver: forged line"');
    expect(linkForLog('palaver://\u202eevil')).toBe('"palaver://\\u202eevil"');
    expect(linkForLog('x'.repeat(1000))).toBe(`"${'x'.repeat(200)}..."`);
  });
});
