import { describe, expect, it } from 'vitest';
import { addServer, EMPTY_SERVER_LIST } from '../src-shared/server-list.ts';
import { parseDeepLink } from './deep-link.ts';
import { linkServer } from './link-server.ts';

const ID = 'a1b2c3d4e5f6g7h';
const list = addServer(addServer(EMPTY_SERVER_LIST, 'https://chat.example.com'), 'http://127.0.0.1:8091');

const of = (url: string) => linkServer(parseDeepLink(url)!, list);

describe('linkServer', () => {
  it('an old link opens on the server open now', () => {
    expect(of(`palaver://room/${ID}`)).toEqual({ kind: 'open', server: null });
  });

  it('a link naming an added server opens there, by host and port', () => {
    expect(of(`palaver://chat.example.com/room/${ID}`)).toEqual({ kind: 'open', server: 'https://chat.example.com' });
    expect(of(`palaver://127.0.0.1:8091/room/${ID}`)).toEqual({ kind: 'open', server: 'http://127.0.0.1:8091' });
  });

  it('a server not added is only offered: https, or http on this computer or its network', () => {
    expect(of(`palaver://other.example.com/room/${ID}`)).toEqual({
      kind: 'offer',
      server: 'https://other.example.com',
    });
    // Another port of an added host is another server.
    expect(of(`palaver://127.0.0.1:8092/room/${ID}`)).toEqual({ kind: 'offer', server: 'http://127.0.0.1:8092' });
  });
});
