import { describe, expect, it } from 'vitest';
import {
  activateServer,
  addServer,
  allowedOrigins,
  EMPTY_SERVER_LIST,
  findServer,
  isServerList,
  MAX_SERVERS,
  removeServer,
  serverLabel,
} from './server-list.ts';

const A = 'https://a.example.com';
const B = 'http://127.0.0.1:8091';
const C = 'https://c.example.com/pb';

describe('server list', () => {
  it('adds in order, opens what was added, and names each by host', () => {
    let list = addServer(EMPTY_SERVER_LIST, `${A}/`);
    list = addServer(list, B);
    list = addServer(list, C, { activate: false });
    expect(list).toEqual({ servers: [{ url: A }, { url: B }, { url: C }], active: B });
    expect(list.servers.map((entry) => serverLabel(entry.url))).toEqual([
      'a.example.com',
      '127.0.0.1:8091',
      'c.example.com',
    ]);
    expect(isServerList(list)).toBe(true);
  });

  it('one entry per origin: adding the same origin again replaces its address in place', () => {
    const list = addServer(addServer(addServer(EMPTY_SERVER_LIST, A), B), `${A}/other`);
    expect(list.servers).toEqual([{ url: `${A}/other` }, { url: B }]);
    expect(findServer(list, 'https://A.example.com')?.url).toBe(`${A}/other`);
  });

  it('refuses what could not be written into a CSP, credentials, other schemes, and a list past the limit', () => {
    for (const bad of ['http://evil;script-src', 'https://u:p@a.example.com', 'file:///etc', 'javascript:1', 42, null])
      expect(addServer(EMPTY_SERVER_LIST, bad)).toBe(EMPTY_SERVER_LIST);
    let list = EMPTY_SERVER_LIST;
    for (let n = 0; n < MAX_SERVERS + 3; n++) list = addServer(list, `https://s${n}.example.com`);
    expect(list.servers).toHaveLength(MAX_SERVERS);
    expect(isServerList({ servers: [{ url: A }, { url: `${A}/x` }], active: A })).toBe(false);
    expect(isServerList({ servers: [{ url: A }], active: B })).toBe(false);
    expect(isServerList({ servers: [{ url: `${A}/` }], active: `${A}/` })).toBe(false);
  });

  it('removing the open server opens its neighbour; removing the last leaves none', () => {
    const list = addServer(addServer(addServer(EMPTY_SERVER_LIST, A), B), C);
    expect(removeServer(activateServer(list, B), B)).toEqual({ servers: [{ url: A }, { url: C }], active: A });
    expect(removeServer(activateServer(list, A), A).active).toBe(B);
    expect(removeServer(list, A).active).toBe(C);
    expect(removeServer(addServer(EMPTY_SERVER_LIST, A), A)).toEqual({ servers: [], active: null });
    expect(activateServer(list, 'https://unknown.example.com')).toBe(list);
  });

  it('allows exactly the origins of the servers added', () => {
    const list = addServer(addServer(EMPTY_SERVER_LIST, A), C);
    expect(allowedOrigins(list)).toEqual([A, 'https://c.example.com']);
    expect(allowedOrigins(removeServer(list, A))).toEqual(['https://c.example.com']);
  });
});
