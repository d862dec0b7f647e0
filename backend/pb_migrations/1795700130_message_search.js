/// <reference path="../pb_data/types.d.ts" />
// Full-text search of message text (issue 17; the route is backend/search_route.go).
//
// - message_search_rows gives every message a row number of its own, in creation order (created, id), so
//   the index never depends on the messages table's implicit rowid (which VACUUM may renumber). It also
//   holds what deciding whether a match may be shown needs (room, author, created) without reading the
//   message itself.
// - message_search is a contentless FTS5 table (the text is stored once, in messages) whose rowid is that
//   row number. Besides the text it indexes the room and author ids, one token each, so `in:#room` and
//   `from:@someone` are an intersection of doclists in the index rather than a walk of every match.
// - Triggers keep both in the transaction of every insert, text edit and delete, whatever made it (API,
//   Go or JS hooks, the dashboard, the sqlite3 CLI). A contentless table is told what it forgets with
//   the 'delete' command and the values it indexed, which the triggers have as `old`. No
//   contentless_delete (SQLite 3.43+): the benchmarks write data.db with Debian's sqlite3 3.40, triggers
//   firing. An update that leaves the text as it was (reactions, thread summaries) costs nothing.
//
// `backend/bin/pocketbase search rebuild` builds both again from messages (backend/search_index.go).
// The SQL here and there is the same: searchSchema in search_index.go must stay equal to this one
// (with message_search_update as 1795700133_message_search_moves.js replaced it).
const SCHEMA = [
  `CREATE TABLE message_search_rows (
    row INTEGER PRIMARY KEY,
    message TEXT NOT NULL UNIQUE,
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL DEFAULT ''
  )`,
  `CREATE VIRTUAL TABLE message_search USING fts5(
    text, room, user, content='', tokenize='unicode61 remove_diacritics 2'
  )`,
  `CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_rows (message, room, user, created) VALUES (new.id, new.room, new.user, new.created);
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
  `CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, room, user FROM message_search_rows WHERE message = new.id;
  END`,
  `CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    DELETE FROM message_search_rows WHERE message = old.id;
  END`,
];

// Every existing message, oldest first, so row numbers follow creation order.
const BACKFILL = [
  `INSERT INTO message_search_rows (message, room, user, created)
    SELECT id, room, user, created FROM messages ORDER BY created, id`,
  `INSERT INTO message_search (rowid, text, room, user)
    SELECT r.row, m.text, r.room, r.user FROM message_search_rows r JOIN messages m ON m.id = r.message ORDER BY r.row`,
];

const DROP = [
  'DROP TRIGGER IF EXISTS message_search_insert',
  'DROP TRIGGER IF EXISTS message_search_update',
  'DROP TRIGGER IF EXISTS message_search_delete',
  'DROP TABLE IF EXISTS message_search',
  'DROP TABLE IF EXISTS message_search_rows',
];

migrate(
  (app) => {
    for (const sql of [...SCHEMA, ...BACKFILL]) app.db().newQuery(sql).execute();
  },
  (app) => {
    for (const sql of DROP) app.db().newQuery(sql).execute();
  },
);
