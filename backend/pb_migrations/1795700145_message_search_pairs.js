/// <reference path="../pb_data/types.d.ts" />
// Word pairs in the search index (issue 17's phrase goal; backend/search_pairs.go): message_search gets a
// fourth column, `pairs`, holding one token for each two adjacent words of a message, and a phrase is
// searched as the phrase of its pairs on that column (backend/search_query.go), one short list of the
// index instead of every position of each of its words over the whole history (bench/README.md,
// "Search": a phrase of two common words took 15 ms of FTS5 matching at 1M messages).
//
// SQL cannot cut words into pairs (the triggers run in the sqlite3 CLI too), so the pairs are computed in
// Go by the merger (backend/search_merge.go, searchIndexValues): FTS5 is made again empty with the new
// column, nothing is left to forget (message_search_gone emptied), and every message is queued in
// message_search_pending, which the merger moves into FTS5 a batch at a time once the server runs
// (searches meanwhile read the newest queued rows in Go, and say there may be more). An FTS5 column can
// only be added by making the table again. message_search_terms (fts5vocab, 1795700132) is made again
// with it. backend/search_index.go (searchSchema, the rebuild) holds the same table; search_index_test.go
// compares them.
const VOCAB = 'CREATE VIRTUAL TABLE message_search_terms USING fts5vocab(message_search, row)';

const WITH_PAIRS = `CREATE VIRTUAL TABLE message_search USING fts5(
    text, room, user, pairs, content='', tokenize='unicode61 remove_diacritics 2'
  )`;

// As 1795700130 made it: the merger of 1795700140 fills it again.
const WITHOUT_PAIRS = `CREATE VIRTUAL TABLE message_search USING fts5(
    text, room, user, content='', tokenize='unicode61 remove_diacritics 2'
  )`;

const REQUEUE = [
  'DELETE FROM message_search_gone',
  `INSERT OR REPLACE INTO message_search_pending (row, text, room, user)
    SELECT r.row, m.text, r.room, r.user FROM message_search_rows r JOIN messages m ON m.id = r.message`,
];

function remake(app, table) {
  for (const sql of [
    'DROP TABLE IF EXISTS message_search_terms',
    'DROP TABLE IF EXISTS message_search',
    table,
    VOCAB,
    ...REQUEUE,
  ]) {
    app.db().newQuery(sql).execute();
  }
}

migrate(
  (app) => remake(app, WITH_PAIRS),
  (app) => remake(app, WITHOUT_PAIRS),
);
