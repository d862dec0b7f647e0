// Message search from the attacker's side (backend/search_*.go, migrations 1795700130-1795700133): only
// signed-in callers; only messages they may read by the messages list rule (outsiders and removed members
// find nothing of a private room, a direct conversation or their thread replies), never by people they
// blocked; the index follows every create, edit, move and delete (also from the sqlite3 CLI) and is
// rebuilt by `search rebuild`; filters, paging and refusals; FTS5 syntax in a query is text, answered 200
// or 400, never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord } from '../../src-shared/pocketbase-types.ts';
import { anonymous, createRoom, invite, post, refused, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

interface SearchItem extends MessagesRecord {
  matches: Array<[number, number]>;
  expand: { user: Record<string, unknown>; room: { id: string; name: string; kind: string } };
}
interface SearchAnswer {
  page: number;
  perPage: number;
  totalItems: number;
  more: boolean;
  filters: {
    room: { id: string; name: string; kind: string } | null;
    from: { id: string; username: string; name: string } | null;
    before: string;
    after: string;
  };
  items: SearchItem[];
}

let server: TestServer;
let alice: TestUser; // owns the rooms
let bob: TestUser; // member of `secret` and of the direct conversation with alice
let carol: TestUser; // member of `secret` until removed
let mallory: TestUser; // member of nothing of alice's
let dave: TestUser; // someone bob blocks
let lobby: RoomsRecord; // public
let secret: RoomsRecord; // private: alice, bob, carol
let direct: RoomsRecord; // alice and bob

let words = 0;
/** A word no other test writes. */
function word(): string {
  words += 1;
  return `zq${process.pid.toString(36)}x${words}`;
}

function search(who: TestUser, query: Record<string, string | number>): Promise<SearchAnswer> {
  const params = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return who.pb.send<SearchAnswer>('/api/palaver/search', { query: params, requestKey: null });
}

async function found(who: TestUser, q: string, extra: Record<string, string | number> = {}): Promise<string[]> {
  return (await search(who, { q, ...extra })).items.map((item) => item.id);
}

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol, mallory, dave] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'carol'),
    signUp(server, 'mallory'),
    signUp(server, 'dave'),
  ]);
  lobby = await createRoom(alice, 'public', [], `lobby ${word()}`);
  secret = await createRoom(alice, 'private', [bob, carol], `secret plans ${word()}`);
  direct = await createRoom(alice, 'direct', [bob]);
});

afterAll(async () => {
  await server?.stop();
});

describe('who finds what', () => {
  it('answers 401 signed out, whatever the query', async () => {
    const response = await fetch(`${server.url}/api/palaver/search?q=hello`);
    expect(response.status).toBe(401);
    expect((await refused(anonymous(server).send('/api/palaver/search', { query: { q: '' } }))).status).toBe(401);
  });

  it('finds a private room and a direct conversation for their members only; removed members lose them', async () => {
    const w = word();
    const inSecret = await post(alice, secret, `the ${w} is in the secret room`);
    const inDirect = await post(bob, direct, `and ${w} in our conversation`);
    const inLobby = await post(alice, lobby, `${w} for everyone`);
    expect((await found(bob, w)).sort()).toEqual([inSecret.id, inDirect.id, inLobby.id].sort());
    expect((await found(alice, w)).sort()).toEqual([inSecret.id, inDirect.id, inLobby.id].sort());
    expect(await found(carol, w)).toEqual(expect.arrayContaining([inSecret.id, inLobby.id]));
    expect(await found(carol, w)).not.toContain(inDirect.id);
    expect(await found(mallory, w)).toEqual([inLobby.id]);
    // by id too: a room one cannot read is refused the same as one that does not exist
    const outsider = await refused(search(mallory, { q: w, room: secret.id }));
    expect(outsider.status).toBe(400);
    const nowhere = await refused(search(mallory, { q: w, room: 'aaaaaaaaaaaaaaa' }));
    expect(nowhere.data.room?.message).toBe(outsider.data.room?.message);

    await alice.pb.collection('rooms').update(secret.id, { 'members-': carol.id });
    expect(await found(carol, w)).toEqual([inLobby.id]);
    expect((await refused(search(carol, { q: `in:#"${secret.name}" ${w}` }))).data.room?.code).toBe('invalid_query');
  });

  it('finds nothing of a private room for someone only invited to it, until they accept', async () => {
    const w = word();
    const room = await invite(alice, 'private', [mallory]);
    const message = await post(alice, room, `invitation ${w}`);
    expect(await found(mallory, w)).toEqual([]);
    expect((await refused(search(mallory, { q: w, room: room.id }))).status).toBe(400);
    await mallory.pb.send(`/api/palaver/rooms/${room.id}/accept`, { method: 'POST', requestKey: null });
    expect(await found(mallory, w)).toEqual([message.id]);
  });

  it('never returns messages by people the caller blocked, and still does to others', async () => {
    const w = word();
    const byDave = await post(dave, lobby, `${w} from dave`);
    const byAlice = await post(alice, lobby, `${w} from alice`);
    await bob.pb.collection('blocks').create({ user: bob.id, blocked: dave.id });
    expect(await found(bob, w)).toEqual([byAlice.id]);
    expect((await found(mallory, w)).sort()).toEqual([byDave.id, byAlice.id].sort());
  });

  it("refuses a direct conversation's id to an outsider, and shows none of its messages", async () => {
    const w = word();
    await post(alice, direct, `between us ${w}`);
    const outsider = await refused(search(mallory, { q: w, room: direct.id }));
    expect(outsider).toMatchObject({ status: 400, data: { room: { code: 'invalid_query' } } });
    expect(await found(mallory, w)).toEqual([]);
    expect(await found(bob, w, { room: direct.id })).toHaveLength(1);
  });

  it('finds nothing from someone the caller blocked, even asked for by id or name', async () => {
    const w = word();
    const byDave = await post(dave, lobby, `${w} written by dave`);
    await carol.pb.collection('blocks').create({ user: carol.id, blocked: dave.id });
    expect(await found(carol, w, { from: dave.id })).toEqual([]);
    expect(await found(carol, `${w} from:@${dave.username}`)).toEqual([]);
    expect(await found(mallory, w, { from: dave.id })).toEqual([byDave.id]);
  });

  it("finds nothing of a private room's thread replies for an outsider", async () => {
    const w = word();
    const root = await post(alice, secret, 'a private question');
    const reply = await bob.pb
      .collection('messages')
      .create<MessagesRecord>({ text: `a private answer ${w}`, user: bob.id, room: secret.id, thread: root.id });
    expect(await found(bob, w)).toEqual([reply.id]);
    expect(await found(mallory, w)).toEqual([]);
    expect(await found(mallory, `${w} from:@${bob.username}`)).toEqual([]);
  });

  it('follows a message a superuser moved to another room: not found by readers of its old room', async () => {
    const w = word();
    const message = await post(alice, lobby, `moving ${w}`);
    expect(await found(mallory, w)).toEqual([message.id]);
    const admin = await server.admin();
    await admin.collection('messages').update(message.id, { room: secret.id });
    const outsider = await search(mallory, { q: w });
    expect(outsider).toMatchObject({ totalItems: 0, items: [] });
    expect(await found(mallory, w, { room: lobby.id })).toEqual([]);
    const [hit] = (await search(bob, { q: w, room: secret.id })).items;
    expect(hit).toMatchObject({ id: message.id, room: secret.id, expand: { room: { id: secret.id } } });
  });
});

describe('the index follows every change', () => {
  it('finds an edited message by its new text, not its old', async () => {
    const [before, after] = [word(), word()];
    const message = await post(alice, lobby, `first ${before}`);
    expect(await found(bob, before)).toEqual([message.id]);
    await alice.pb.collection('messages').update(message.id, { text: `second ${after}` });
    expect(await found(bob, before)).toEqual([]);
    const [hit] = (await search(bob, { q: after })).items;
    expect(hit?.id).toBe(message.id);
    expect(hit?.text).toBe(`second ${after}`);
  });

  it('forgets a deleted message, and a deleted room', async () => {
    const w = word();
    const message = await post(alice, lobby, `gone ${w}`);
    expect(await found(bob, w)).toEqual([message.id]);
    await alice.pb.collection('messages').delete(message.id);
    expect(await found(bob, w)).toEqual([]);

    const room = await createRoom(alice, 'private', [bob]);
    await post(bob, room, `doomed ${w}`);
    expect(await found(bob, w)).toHaveLength(1);
    await alice.pb.collection('rooms').delete(room.id);
    expect(await found(bob, w)).toEqual([]);
  });

  it('finds thread replies, with their thread', async () => {
    const w = word();
    const root = await post(alice, lobby, 'a question');
    const reply = await bob.pb
      .collection('messages')
      .create<MessagesRecord>({ text: `an answer: ${w}`, user: bob.id, room: lobby.id, thread: root.id });
    const [hit] = (await search(carol, { q: w })).items;
    expect(hit).toMatchObject({ id: reply.id, thread: root.id, alsoInRoom: false, room: lobby.id });
  });
});
