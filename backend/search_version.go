package main

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The version of what Go puts into FTS5. The merger computes the pairs column (searchIndexValues,
// searchPairs, searchTokens, foldRune) again when it tells the contentless FTS5 table to forget a row,
// and FTS5 forgets a row only when given exactly the values it indexed. So if that output ever changes
// (a fix to the tokenizer, a table of SQLite's folds made again from a newer SQLite), the rows merged
// before keep their old pair tokens for good: an edited message found by its old phrase, a reused row
// number found by a deleted message's phrase. Instead, the version the index was built with is stored
// (message_search_version, migration 1795700150), and a server whose version differs makes FTS5 again
// empty and queues every message, as migration 1795700145 did (reindexSearchIfTokenizerChanged).

// searchTokenizerRevision counts the changes to the output of searchTokens, foldRune, searchPairToken
// and searchPairs (and to what searchIndexValues gives). Bump it with ANY such change, however small:
// a server of the new build then re-indexes every message at its start. A regenerated
// search_fold_table.go needs no bump: its digest is in the version.
//
// 2: tokens cut and folded by SQLite's own table (search_fold.go), no longer by Go's Unicode tables.
const searchTokenizerRevision = 2

// searchIndexVersion is this build's version of the values Go gives FTS5: the revision of the code and
// the digest of the table of unicode61's folds it reads (search_fold_table.go).
func searchIndexVersion() string {
	return fmt.Sprintf("tokens %d; unicode61 table %s", searchTokenizerRevision, searchFoldTableDigest)
}

// searchVersionTable is migration 1795700150's table: one row, the version FTS5's values were made with.
const searchVersionTable = `CREATE TABLE message_search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL
  )`

// searchTermsVocab is migration 1795700132/1795700145's list of the index's terms, made again with it.
const searchTermsVocab = "CREATE VIRTUAL TABLE message_search_terms USING fts5vocab(message_search, row)"

// searchVersionUnrecorded names, in the log, the version of an index built before migration 1795700150.
const searchVersionUnrecorded = "unrecorded"

// storeSearchIndexVersion records version as the one FTS5's values were made with.
func storeSearchIndexVersion(db dbx.Builder, version string) error {
	_, err := db.NewQuery("INSERT OR REPLACE INTO message_search_version (id, version) VALUES (1, {:version})").
		Bind(dbx.Params{"version": version}).Execute()
	return err
}

// reindexSearchIfTokenizerChanged compares the stored version with current, on db, which must be a write
// transaction; when they differ it makes FTS5 again empty, empties message_search_gone (nothing is left
// for FTS5 to forget), queues every message as pending (the merger indexes them with current's values)
// and stores current. It answers the old version and how many messages it queued; 0 when nothing changed.
//
// No row (migration 1795700150 makes the table empty: JavaScript cannot know Go's version) means an
// index whose version was never recorded. If FTS5 holds no row and nothing is gone, nothing in it was
// made by any build: what is pending is plain text, which this build will tokenize. That is the case of
// a new database, and of one migrated by 1795700145 (which queued every message) in the same start, so
// this version is stored without a re-index. Otherwise FTS5 was filled by an unknown build, and it is
// re-indexed: once, and safe whatever that build was.
func reindexSearchIfTokenizerChanged(db dbx.Builder, current string) (string, int, error) {
	// The write lock first (a write that changes nothing): see mergeSearchBatch.
	if _, err := db.NewQuery("DELETE FROM message_search_version WHERE id < 0").Execute(); err != nil {
		return "", 0, fmt.Errorf("%w (taking the database's write lock to check the search index's version)", err)
	}
	var stored string
	err := db.NewQuery("SELECT version FROM message_search_version WHERE id = 1").Row(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var filled bool
		if err := db.NewQuery(`SELECT EXISTS (SELECT 1 FROM message_search_docsize)
			OR EXISTS (SELECT 1 FROM message_search_gone)`).Row(&filled); err != nil {
			return "", 0, err
		}
		if !filled {
			return "", 0, storeSearchIndexVersion(db, current)
		}
		stored = searchVersionUnrecorded
	case err != nil:
		return "", 0, err
	case stored == current:
		return stored, 0, nil
	}
	fts := ""
	for _, statement := range searchSchema {
		if strings.HasPrefix(statement, "CREATE VIRTUAL TABLE message_search ") {
			fts = statement
		}
	}
	for _, statement := range []string{
		"DROP TABLE IF EXISTS message_search_terms",
		"DROP TABLE IF EXISTS message_search",
		fts,
		searchTermsVocab,
		"DELETE FROM message_search_gone",
		// as migration 1795700145's REQUEUE
		`INSERT OR REPLACE INTO message_search_pending (row, text, room, user)
    SELECT r.row, m.text, r.room, r.user FROM message_search_rows r JOIN messages m ON m.id = r.message`,
	} {
		if _, err := db.NewQuery(statement).Execute(); err != nil {
			return stored, 0, fmt.Errorf("%w (in %.60q, re-indexing the messages for a changed tokenizer)", err, statement)
		}
	}
	queued := 0
	if err := db.NewQuery("SELECT count(*) FROM message_search_pending").Row(&queued); err != nil {
		return stored, 0, err
	}
	return stored, queued, storeSearchIndexVersion(db, current)
}

// checkSearchIndexVersion re-indexes, in one transaction, when the index was made by another tokenizer
// (reindexSearchIfTokenizerChanged), and says so in the log; it answers the notice, "" when nothing
// changed. The server calls it at its start before its merger runs (a merge of old values with new
// tokens is what must not happen), `search merge` before it merges.
func checkSearchIndexVersion(app core.App) (string, error) {
	current := searchIndexVersion()
	old, queued := "", 0
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		old, queued, err = reindexSearchIfTokenizerChanged(tx.DB(), current)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("search: could not check the search index against this build's tokenizer (%s), or re-index it (nothing changed): %w. "+
			"Stop every other program writing the database and start again, or run `pocketbase search rebuild`", current, err)
	}
	if old == "" || old == current {
		return "", nil
	}
	notice := searchReindexNotice(old, current, queued)
	app.Logger().Info(notice)
	return notice, nil
}

// searchReindexNotice is what the log says of a re-index for a changed tokenizer.
func searchReindexNotice(old, current string, queued int) string {
	return fmt.Sprintf("search: the tokenizer changed (%s → %s): re-indexing %d messages; until the merger is done, searches look at the newest %d of them and say there may be more",
		old, current, queued, searchPendingScanCap)
}
