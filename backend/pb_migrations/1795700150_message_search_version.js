/// <reference path="../pb_data/types.d.ts" />
// The version of the search index's tokenizer (backend/search_version.go): the merger computes the
// `pairs` column in Go (1795700145) again when it tells the contentless FTS5 table to forget a row, and
// FTS5 forgets a row only when given exactly the values it indexed; so after a change of Go's tokens (a
// fix, a Go or golang.org/x/text upgrade with new Unicode tables) the server must index every message
// again. This table holds the version the index was made with, one row.
//
// Made EMPTY: JavaScript cannot know the Go build's version. The server, at its start, reads no row as
// "never recorded": if FTS5 holds nothing yet (a new database, or 1795700145 queued every message in this
// same start) it stores its own version, and otherwise it re-indexes every message once and stores it.
const TABLE = `CREATE TABLE message_search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL
  )`;

migrate(
  (app) => {
    app.db().newQuery(TABLE).execute();
  },
  (app) => {
    app.db().newQuery('DROP TABLE IF EXISTS message_search_version').execute();
  },
);
