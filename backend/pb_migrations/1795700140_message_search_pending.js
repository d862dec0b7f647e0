/// <reference path="../pb_data/types.d.ts" />
// The search index's writes leave the create path (issue 17's goal: creates within 15 % of no index).
// FTS5 writes a new segment at every commit and merges segments as they pile up: about 0.6 ms of CPU for
// each message created alone in its own transaction (bench/README.md, "Search"). So the triggers no
// longer write FTS5. In the transaction of every insert, edit, move and delete they write two plain
// tables, and the server's merger (backend/search_merge.go) moves them into FTS5 a batch at a time, one
// segment per batch instead of one per message:
//
// - message_search_pending: rows whose current values are not in FTS5 yet (the values: text, room,
//   author). A search evaluates them in Go with the query's own meaning (backend/search_pending.go).
// - message_search_gone: rows whose values FTS5 holds but which were since edited, moved or deleted,
//   with the values FTS5 indexed (its contentless 'delete' command needs them). A search leaves them out
//   of FTS5's matches. The FIRST such values are kept (INSERT OR IGNORE): those are what FTS5 holds.
//
// So a search reads FTS5 minus gone plus pending, in one snapshot: the index is still exact at every
// commit, the pending table being part of it. message_search_rows is still written here (the row number
// is the index's key, given in creation order). Only SQL that Debian's sqlite3 3.40 has: the benchmarks
// write data.db with it, triggers firing. backend/search_index.go (searchSchema, the rebuild) holds the
// same statements; search_index_test.go compares them.
const TABLES = [
  `CREATE TABLE message_search_pending (
    row INTEGER PRIMARY KEY,
    text TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT ''
  )`,
  `CREATE TABLE message_search_gone (
    row INTEGER PRIMARY KEY,
    text TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT ''
  )`,
];

const TRIGGERS = [
  `CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_rows (message, room, user, created) VALUES (new.id, new.room, new.user, new.created);
    INSERT OR REPLACE INTO message_search_pending (row, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
  `CREATE TRIGGER message_search_update AFTER UPDATE OF text, room, user ON messages
    WHEN old.text IS NOT new.text OR old.room IS NOT new.room OR old.user IS NOT new.user BEGIN
    INSERT OR IGNORE INTO message_search_gone (row, text, room, user)
      SELECT r.row, old.text, r.room, r.user FROM message_search_rows r WHERE r.message = old.id
        AND NOT EXISTS (SELECT 1 FROM message_search_pending p WHERE p.row = r.row);
    UPDATE message_search_rows SET room = new.room, user = new.user WHERE message = new.id;
    INSERT OR REPLACE INTO message_search_pending (row, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
  `CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT OR IGNORE INTO message_search_gone (row, text, room, user)
      SELECT r.row, old.text, r.room, r.user FROM message_search_rows r WHERE r.message = old.id
        AND NOT EXISTS (SELECT 1 FROM message_search_pending p WHERE p.row = r.row);
    DELETE FROM message_search_pending WHERE row IN (SELECT row FROM message_search_rows WHERE message = old.id);
    DELETE FROM message_search_rows WHERE message = old.id;
  END`,
];

const DROP_TRIGGERS = [
  'DROP TRIGGER IF EXISTS message_search_insert',
  'DROP TRIGGER IF EXISTS message_search_update',
  'DROP TRIGGER IF EXISTS message_search_delete',
];

// Back to 1795700130/1795700133's triggers, which write FTS5 themselves: what is still pending or gone is
// applied in SQL first (the values as those triggers indexed them).
const APPLY_AND_DROP = [
  `INSERT INTO message_search (message_search, rowid, text, room, user)
    SELECT 'delete', row, text, room, user FROM message_search_gone ORDER BY row`,
  `INSERT INTO message_search (rowid, text, room, user)
    SELECT row, text, room, user FROM message_search_pending ORDER BY row`,
  'DROP TABLE IF EXISTS message_search_pending',
  'DROP TABLE IF EXISTS message_search_gone',
];

const OLD_TRIGGERS = [
  `CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_rows (message, room, user, created) VALUES (new.id, new.room, new.user, new.created);
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
  `CREATE TRIGGER message_search_update AFTER UPDATE OF text, room, user ON messages
    WHEN old.text IS NOT new.text OR old.room IS NOT new.room OR old.user IS NOT new.user BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    UPDATE message_search_rows SET room = new.room, user = new.user WHERE message = new.id;
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, room, user FROM message_search_rows WHERE message = new.id;
  END`,
  `CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    DELETE FROM message_search_rows WHERE message = old.id;
  END`,
];

migrate(
  (app) => {
    for (const sql of [...DROP_TRIGGERS, ...TABLES, ...TRIGGERS]) app.db().newQuery(sql).execute();
  },
  (app) => {
    for (const sql of [...DROP_TRIGGERS, ...APPLY_AND_DROP, ...OLD_TRIGGERS]) app.db().newQuery(sql).execute();
  },
);
