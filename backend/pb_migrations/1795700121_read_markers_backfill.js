/// <reference path="../pb_data/types.d.ts" />
// Every member of every room gets a read marker at the room's newest message of its list (not a reply kept
// to its thread), so the first sign-in after the upgrade does not show every old message as unread. Rooms
// without messages get none: no marker and a marker at nothing count the same.
//
// Written with SQL, room by room, not saved record by record: a public room has up to 100,000 members,
// and a save runs every hook and rule for each. The ids are readMarkerId(user, room) as
// src-shared/read-marker-id.ts and backend/read_markers.go compute them (checked by
// backend/tests/read-markers.rules.test.ts); a marker that already exists is kept.
const ID_SPACE = BigInt(36) ** BigInt(15);

function readMarkerId(userId, roomId) {
  const hex = $security.sha256(`${userId}\n${roomId}`);
  return (BigInt(`0x${hex.slice(0, 32)}`) % ID_SPACE).toString(36).padStart(15, '0');
}

migrate(
  (app) => {
    const rooms = arrayOf(new DynamicModel({ id: '' }));
    app.db().newQuery('SELECT id FROM rooms').all(rooms);
    for (const room of rooms) {
      const newest = new DynamicModel({ id: '', created: '' });
      try {
        app
          .db()
          .newQuery(
            `SELECT id, created FROM messages INDEXED BY idx_messages_room_created
             WHERE room = {:room} AND (thread = '' OR thread IS NULL OR alsoInRoom = TRUE)
             ORDER BY created DESC, id DESC LIMIT 1`,
          )
          .bind({ room: room.id })
          .one(newest);
      } catch (_) {
        continue; // no message in the room's list
      }
      const members = arrayOf(new DynamicModel({ user: '' }));
      app
        .db()
        .newQuery(
          `SELECT DISTINCT j.value AS user
           FROM rooms r, json_each(CASE WHEN json_valid(r.members) THEN r.members ELSE '[]' END) j
           WHERE r.id = {:room} AND j.value IN (SELECT id FROM users)`,
        )
        .bind({ room: room.id })
        .all(members);
      for (const member of members) {
        const user = member.user;
        app
          .db()
          .newQuery(
            `INSERT OR IGNORE INTO read_markers (id, user, room, message, readAt)
             VALUES ({:id}, {:user}, {:room}, {:message}, {:readAt})`,
          )
          .bind({ id: readMarkerId(user, room.id), user, room: room.id, message: newest.id, readAt: newest.created })
          .execute();
      }
    }
  },
  () => {
    // The markers go with their collection, which the previous migration's down deletes.
  },
);
