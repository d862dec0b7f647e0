package main

import (
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
)

// reindexAt runs reindexSearchIfTokenizerChanged for version in its own transaction, as the server's
// start does.
func reindexAt(t *testing.T, db *sql.DB, version string) (string, int) {
	t.Helper()
	tx, err := dbx.NewFromDB(db, "sqlite").Begin()
	if err != nil {
		t.Fatal(err)
	}
	old, queued, err := reindexSearchIfTokenizerChanged(tx, version)
	if err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return old, queued
}

func storedSearchVersion(t *testing.T, db *sql.DB) string {
	t.Helper()
	var version string
	if err := db.QueryRow("SELECT version FROM message_search_version WHERE id = 1").Scan(&version); err != nil {
		t.Fatal(err)
	}
	return version
}

func countRows(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// legacyToken is a pair token that version A's tokenizer gave row and version B's gives no row.
func legacyToken(row int64) string { return searchPairToken("legacy", fmt.Sprint(row)) }

// mergeAsVersionA moves the pending rows into FTS5 as a build of another tokenizer would have: the
// pairs column holds one token more, which this build's searchIndexValues never give.
func mergeAsVersionA(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query("SELECT row, text, room, user FROM message_search_pending ORDER BY row")
	if err != nil {
		t.Fatal(err)
	}
	var queued []searchQueued
	for rows.Next() {
		var q searchQueued
		if err := rows.Scan(&q.Row, &q.Text, &q.Room, &q.User); err != nil {
			t.Fatal(err)
		}
		queued = append(queued, q)
	}
	rows.Close()
	for _, q := range queued {
		mustExec(t, db, "INSERT INTO message_search (rowid, text, room, user, pairs) VALUES (?, ?, ?, ?, ?)",
			q.Row, q.Text, q.Room, q.User, strings.TrimSpace(searchPairs(q.Text)+" "+legacyToken(q.Row)))
	}
	mustExec(t, db, "DELETE FROM message_search_pending")
}

func legacyTerms(t *testing.T, db *sql.DB) int {
	t.Helper()
	return countRows(t, db, "SELECT count(*) FROM message_search_terms WHERE term >= '\uE000legacy\uE000' AND term < '\uE000legacy\uE001'")
}

// An index built by a tokenizer A, the stored version then differing from this build's B at the start:
// FTS5 is made again from every message with B's values (checkSearchQueues compares every term of
// every row with searchIndexValues), nothing of A is left, and edits after it leave no old tokens.
func TestSearchReindexForChangedTokenizer(t *testing.T) {
	db := openSearchTestDB(t)
	mustExec(t, db, searchVersionTable)
	mustExec(t, db, searchTermsVocab)
	random := rand.New(rand.NewSource(23))
	insertCorpus(t, db, random, 0, 200)
	mergeAsVersionA(t, db)
	mustExec(t, db, "INSERT INTO message_search_version (id, version) VALUES (1, 'A')")
	if n := legacyTerms(t, db); n != 200 {
		t.Fatalf("version A's index holds %d legacy tokens, want 200", n)
	}

	// The mechanism this guards against: merged with B's values, an edit leaves A's token behind.
	mustExec(t, db, "UPDATE messages SET text = 'edited under version B' WHERE id = 'm0000'")
	mergeAll(t, db)
	if n := legacyTerms(t, db); n != 200 {
		t.Fatalf("merging an edit of a row of version A with B's values left %d legacy tokens, want 200 (the old row's kept)", n)
	}
	// queued but not merged when the server stops: gone rows hold A's values
	mustExec(t, db, "UPDATE messages SET text = 'edited again' WHERE id IN ('m0001', 'm0002')")
	mustExec(t, db, "DELETE FROM messages WHERE id = 'm0003'")
	if countRows(t, db, "SELECT count(*) FROM message_search_gone") != 3 {
		t.Fatal("the edits and the delete queued no gone rows")
	}

	old, queued := reindexAt(t, db, "B")
	if old != "A" || queued != 199 {
		t.Errorf("the re-index answered old %q and %d queued, want A and 199 (every message)", old, queued)
	}
	if got := storedSearchVersion(t, db); got != "B" {
		t.Errorf("stored version %q after the re-index, want B", got)
	}
	if gone, pending := countRows(t, db, "SELECT count(*) FROM message_search_gone"),
		countRows(t, db, "SELECT count(*) FROM message_search_pending"); gone != 0 || pending != 199 {
		t.Errorf("after the re-index %d gone and %d pending, want 0 and 199", gone, pending)
	}
	if n := countRows(t, db, "SELECT count(*) FROM message_search_docsize"); n != 0 {
		t.Errorf("FTS5 still holds %d rows after the re-index", n)
	}
	mergeAll(t, db)
	checkSearchQueues(t, db)
	if n := legacyTerms(t, db); n != 0 {
		t.Errorf("%d legacy tokens of version A left after the re-index", n)
	}

	// Edits, moves and deletes after it: FTS5 forgets exactly what it holds.
	changeCorpus(t, db, random)
	mergeAll(t, db)
	checkSearchQueues(t, db)

	// The same version at the next start: nothing happens.
	before := countRows(t, db, "SELECT count(*) FROM message_search_docsize")
	if old, queued := reindexAt(t, db, "B"); old != "B" || queued != 0 {
		t.Errorf("the same version re-indexed (old %q, %d queued)", old, queued)
	}
	if n := countRows(t, db, "SELECT count(*) FROM message_search_docsize"); n != before || before == 0 {
		t.Errorf("FTS5 holds %d rows, %d before an unchanged start", n, before)
	}
}

// No stored version (the migration makes the table empty): with nothing in FTS5, this build's version
// is stored and nothing queued again; with rows in FTS5 (made by a build that recorded nothing), every
// message is queued again.
func TestSearchVersionNeverRecorded(t *testing.T) {
	db := openSearchTestDB(t)
	mustExec(t, db, searchVersionTable)
	insertCorpus(t, db, rand.New(rand.NewSource(29)), 0, 60)
	if old, queued := reindexAt(t, db, "B"); old != "" || queued != 0 {
		t.Errorf("an index with nothing merged re-indexed (old %q, %d queued)", old, queued)
	}
	if got := storedSearchVersion(t, db); got != "B" {
		t.Errorf("stored %q, want B", got)
	}
	if n := countRows(t, db, "SELECT count(*) FROM message_search_pending"); n != 60 {
		t.Errorf("%d pending, want the 60 messages untouched", n)
	}

	mergeAsVersionA(t, db)
	mustExec(t, db, "DELETE FROM message_search_version")
	if old, queued := reindexAt(t, db, "B"); old != searchVersionUnrecorded || queued != 60 {
		t.Errorf("an index of an unrecorded version answered old %q and %d queued, want %q and 60", old, queued, searchVersionUnrecorded)
	}
	mergeAll(t, db)
	checkSearchQueues(t, db)
	if got := storedSearchVersion(t, db); got != "B" {
		t.Errorf("stored %q, want B", got)
	}
}

// The version names the code's revision and the table of folds; the statements are the migrations'.
func TestSearchVersionIsTheMigrations(t *testing.T) {
	version := searchIndexVersion()
	for _, part := range []string{fmt.Sprintf("tokens %d", searchTokenizerRevision), "unicode61 table " + searchFoldTableDigest} {
		if !strings.Contains(version, part) {
			t.Errorf("the version %q does not name %q", version, part)
		}
	}
	for file, statement := range map[string]string{
		"pb_migrations/1795700150_message_search_version.js": searchVersionTable,
		"pb_migrations/1795700145_message_search_pairs.js":   searchTermsVocab,
	} {
		source, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(spaces.ReplaceAllString(string(source), " "), spaces.ReplaceAllString(statement, " ")) {
			t.Errorf("%s does not hold\n%s", file, statement)
		}
	}
}
