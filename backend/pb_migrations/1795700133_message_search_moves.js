/// <reference path="../pb_data/types.d.ts" />
// The search index follows a message that changes room or author (issue 17's review): the app never
// moves one, but a superuser (the dashboard, the API) or the sqlite3 CLI may, and message_search_rows and
// the FTS5 row kept the room and author of when it was written, so `in:#room`, `from:@someone` and the
// first check of who may read a match went by the old ones (backend/search_results.go checks the
// message's own room and author again before showing it). message_search_update now also fires on
// `UPDATE OF room, user`: it tells FTS5 to forget the row with the values it indexed, writes the new
// room and author into message_search_rows, and indexes the row again. Messages moved before this
// migration are mended the same way. backend/search_index.go (searchSchema, the rebuild) holds the same
// trigger; search_index_test.go compares them.
const UPDATE_TRIGGER = `CREATE TRIGGER message_search_update AFTER UPDATE OF text, room, user ON messages
    WHEN old.text IS NOT new.text OR old.room IS NOT new.room OR old.user IS NOT new.user BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    UPDATE message_search_rows SET room = new.room, user = new.user WHERE message = new.id;
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, room, user FROM message_search_rows WHERE message = new.id;
  END`;

// Before: only text edits (migration 1795700130).
const OLD_TRIGGER = `CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, room, user FROM message_search_rows WHERE message = new.id;
  END`;

const MOVED = `FROM message_search_rows r JOIN messages m ON m.id = r.message
    WHERE r.room IS NOT m.room OR r.user IS NOT m.user`;

const MEND = [
  `INSERT INTO message_search (message_search, rowid, text, room, user) SELECT 'delete', r.row, m.text, r.room, r.user ${MOVED}`,
  `INSERT INTO message_search (rowid, text, room, user) SELECT r.row, m.text, m.room, m.user ${MOVED}`,
  `UPDATE message_search_rows SET
    room = (SELECT room FROM messages WHERE id = message_search_rows.message),
    user = (SELECT user FROM messages WHERE id = message_search_rows.message)
    WHERE row IN (SELECT r.row ${MOVED})`,
];

migrate(
  (app) => {
    app.db().newQuery('DROP TRIGGER IF EXISTS message_search_update').execute();
    app.db().newQuery(UPDATE_TRIGGER).execute();
    for (const sql of MEND) app.db().newQuery(sql).execute();
  },
  (app) => {
    app.db().newQuery('DROP TRIGGER IF EXISTS message_search_update').execute();
    app.db().newQuery(OLD_TRIGGER).execute();
  },
);
