// A soak: N SDK clients in Node (realtime over the eventsource package) chat for a bounded time in a
// public room and in private rooms of different members. Each listens where the app does: the
// server's `palaver/messages` broadcast (backend/room_broadcast.go), not PocketBase's `messages/*`.
// At the end every client has received, over realtime, exactly the messages the server stored in the
// rooms it may see, each with its author: none missing, none twice, and nothing from rooms it may not
// see. Prints the counts.
import type { RecordSubscription } from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessagesRecord, RoomsRecord, UsersRecord } from '../../src-shared/pocketbase-types.ts';
import { MESSAGES_TOPIC } from '../../src-shared/realtime-topics.ts';
import { createRoom, signUp, type TestUser } from '../testing/clients.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

const CLIENTS = Number(process.env.PALAVER_SOAK_CLIENTS ?? 12);
const SECONDS = Number(process.env.PALAVER_SOAK_SECONDS ?? 15);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Client {
  user: TestUser;
  rooms: Set<string>;
  received: string[];
  /** Created events that came without the author expanded (the app shows the author from it). */
  authorless: number;
  sent: number;
  failed: number;
}

it(
  `${CLIENTS} clients chat for ${SECONDS} s; each receives exactly what the server stored for it`,
  { timeout: (SECONDS + 60) * 1000 },
  async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < CLIENTS; i++) users.push(await signUp(server, `soak${i}`));
    const general = await users[0]!.pb.collection('rooms').getFirstListItem<RoomsRecord>('name = "general"');
    // Two private rooms: the even clients, and every third client.
    const evens = users.filter((_, i) => i % 2 === 0);
    const thirds = users.filter((_, i) => i % 3 === 0);
    const evenRoom = await createRoom(
      evens[0]!,
      'private',
      evens.slice(1).map((u) => u.id),
      'soak-evens',
    );
    const thirdRoom = await createRoom(
      thirds[0]!,
      'private',
      thirds.slice(1).map((u) => u.id),
      'soak-thirds',
    );

    const clients: Client[] = users.map((user, i) => ({
      user,
      rooms: new Set([general.id, ...(i % 2 === 0 ? [evenRoom.id] : []), ...(i % 3 === 0 ? [thirdRoom.id] : [])]),
      received: [],
      authorless: 0,
      sent: 0,
      failed: 0,
    }));
    const startedAt = new Date().toISOString().replace('T', ' ');
    for (const client of clients) {
      // As the app subscribes (src-renderer's realtime connection): the topic, no options.
      await client.user.pb.realtime.subscribe(
        MESSAGES_TOPIC,
        (event: RecordSubscription<MessagesRecord & { expand?: { user?: UsersRecord } }>) => {
          if (event.action !== 'create') return;
          client.received.push(event.record.id);
          if (event.record.expand?.user?.id !== event.record.user) client.authorless++;
        },
      );
    }

    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      clients.map(async (client, i) => {
        const rooms = [...client.rooms];
        let n = 0;
        while (Date.now() < deadline) {
          const room = rooms[n % rooms.length]!;
          try {
            await client.user.pb.collection('messages').create({ text: `soak ${i}/${n}`, user: client.user.id, room });
            client.sent++;
          } catch {
            client.failed++;
          }
          n++;
          await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
        }
      }),
    );
    const admin = await server.admin();
    const stored = await admin
      .collection('messages')
      .getFullList<MessagesRecord>({ filter: admin.filter('created >= {:t}', { t: startedAt }), batch: 500 });
    // Let the last events arrive: until every client has as many as it should, or 10 s have passed
    // (then the counts below say who is missing what).
    const expectedCount = (client: Client) => stored.filter((m) => client.rooms.has(m.room)).length;
    const settleBy = Date.now() + 10_000;
    while (Date.now() < settleBy && clients.some((client) => client.received.length < expectedCount(client)))
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // and a moment for any duplicate or foreign event
    const rows = clients.map((client) => {
      const expected = new Set(stored.filter((m) => client.rooms.has(m.room)).map((m) => m.id));
      const got = new Set(client.received);
      const missing = [...expected].filter((id) => !got.has(id)).length;
      const duplicated = client.received.length - got.size;
      const foreign = [...got].filter((id) => !expected.has(id)).length;
      return {
        client: client.user.username,
        sent: client.sent,
        failed: client.failed,
        expected: expected.size,
        received: client.received.length,
        missing,
        duplicated,
        foreign,
        authorless: client.authorless,
      };
    });
    console.table(rows);
    console.log(
      `soak: ${CLIENTS} clients, ${SECONDS} s, sent ${rows.reduce((s, r) => s + r.sent, 0)}, stored ${stored.length}`,
    );

    for (const client of clients) await client.user.pb.realtime.unsubscribe();
    expect(rows.reduce((s, r) => s + r.sent, 0)).toBe(stored.length);
    expect(rows.every((r) => r.failed === 0)).toBe(true);
    for (const row of rows) {
      const { client, missing, duplicated, foreign, authorless } = row;
      expect({ client, missing, duplicated, foreign, authorless }).toEqual({
        client,
        missing: 0,
        duplicated: 0,
        foreign: 0,
        authorless: 0,
      });
    }
  },
);
