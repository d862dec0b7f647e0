/// <reference path="../pb_data/types.d.ts" />
// The words of the search index, for prefix searches (backend/search_rooms.go indexedWordsStarting):
// `deplo*` is searched as the few words of the index that start so, joined by OR, which FTS5 reads newest
// first and stops with the page, where its own prefix search gathers every such word's whole list of
// messages first (bench/README.md). An fts5vocab table stores nothing: it reads message_search's index.
migrate(
  (app) => {
    app.db().newQuery('CREATE VIRTUAL TABLE message_search_terms USING fts5vocab(message_search, row)').execute();
  },
  (app) => {
    app.db().newQuery('DROP TABLE IF EXISTS message_search_terms').execute();
  },
);
