package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
)

// openSearchTestDB is a SQLite database (PocketBase's own driver) with a messages table of the columns
// the index reads and the index of the migration, triggers included.
func openSearchTestDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	mustExec(t, db, "PRAGMA synchronous = OFF") // a test's database outlives no crash
	createSearchTestSchema(t, db)
	return db
}

// createSearchTestSchema makes the columns of messages the search index reads, and the index.
func createSearchTestSchema(t *testing.T, db *sql.DB) {
	t.Helper()
	mustExec(t, db, `CREATE TABLE messages (id TEXT PRIMARY KEY, room TEXT NOT NULL DEFAULT '', user TEXT NOT NULL DEFAULT '',
		text TEXT NOT NULL DEFAULT '', created TEXT NOT NULL DEFAULT '')`)
	for _, statement := range searchSchema {
		mustExec(t, db, statement)
	}
}

func mustExec(t *testing.T, db *sql.DB, statement string, args ...any) {
	t.Helper()
	if _, err := db.Exec(statement, args...); err != nil {
		t.Fatalf("%v in %s", err, statement)
	}
}

// searchRows is what FTS5 alone finds, once every queued change is merged.
func searchRows(t *testing.T, db *sql.DB, match string) []string {
	t.Helper()
	mergeAll(t, db)
	rows, err := db.Query(`SELECT r.message FROM message_search JOIN message_search_rows r ON r.row = message_search.rowid
		WHERE message_search MATCH ? ORDER BY message_search.rowid DESC`, match)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

var spaces = regexp.MustCompile(`\s+`)

// mergeAll moves every queued change into FTS5, as the server's merger does, in batches of 7 rows (so
// that a test crosses batch ends).
func mergeAll(t *testing.T, db *sql.DB) {
	t.Helper()
	x := dbx.NewFromDB(db, "sqlite")
	for {
		tx, err := x.Begin()
		if err != nil {
			t.Fatal(err)
		}
		merged, err := mergeSearchBatch(tx, 7)
		if err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if merged == 0 {
			return
		}
	}
}

// The rebuild command makes the index with the migrations' own statements: the tables of 1795700130
// and 1795700140, the triggers of 1795700140.
func TestSearchSchemaIsTheMigrations(t *testing.T) {
	var sources string
	for _, file := range []string{"pb_migrations/1795700130_message_search.js", "pb_migrations/1795700140_message_search_pending.js",
		"pb_migrations/1795700145_message_search_pairs.js"} {
		source, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sources += spaces.ReplaceAllString(string(source), " ")
	}
	pending, _ := os.ReadFile("pb_migrations/1795700140_message_search_pending.js")
	triggers := regexp.MustCompile("(?s)const TRIGGERS = \\[(.*?)\\];").FindSubmatch(pending)
	if triggers == nil {
		t.Fatal("no TRIGGERS in 1795700140")
	}
	for _, group := range [][]string{searchSchema, searchBackfill[:1], searchDrop} {
		for _, statement := range group {
			if !strings.Contains(sources, spaces.ReplaceAllString(statement, " ")) {
				t.Errorf("the migrations do not contain the statement\n%s", statement)
			}
			if strings.HasPrefix(statement, "CREATE TRIGGER") &&
				!strings.Contains(spaces.ReplaceAllString(string(triggers[1]), " "), spaces.ReplaceAllString(statement, " ")) {
				t.Errorf("the trigger is not 1795700140's\n%s", statement)
			}
		}
	}
}

func TestSearchTriggersAndRebuild(t *testing.T) {
	db := openSearchTestDB(t)
	insert := func(id, room, text, created string) {
		mustExec(t, db, "INSERT INTO messages (id, room, user, text, created) VALUES (?, ?, 'u1', ?, ?)", id, room, text, created)
	}
	insert("m1", "r1", "Crème brûlée recipe", "2026-01-01 00:00:00.000Z")
	insert("m2", "r2", "creme fraiche", "2026-01-02 00:00:00.000Z")
	insert("m3", "r1", "nothing here", "2026-01-03 00:00:00.000Z")
	if got := searchRows(t, db, `text : ("creme")`); strings.Join(got, ",") != "m2,m1" {
		t.Errorf("creme found %v, want m2,m1 (newest first, accents ignored)", got)
	}
	if got := searchRows(t, db, `text : ("creme") AND room : "r1"`); strings.Join(got, ",") != "m1" {
		t.Errorf("creme in r1 found %v, want m1", got)
	}
	mustExec(t, db, "UPDATE messages SET text = 'banana split' WHERE id = 'm1'")
	mustExec(t, db, "UPDATE messages SET created = created WHERE id = 'm2'") // text unchanged: nothing to do
	if got := searchRows(t, db, `text : ("creme")`); strings.Join(got, ",") != "m2" {
		t.Errorf("after the edit, creme found %v, want m2", got)
	}
	if got := searchRows(t, db, `text : ("banana")`); strings.Join(got, ",") != "m1" {
		t.Errorf("after the edit, banana found %v, want m1", got)
	}
	mustExec(t, db, "DELETE FROM messages WHERE id = 'm2'")
	if got := searchRows(t, db, `text : ("creme")`); len(got) != 0 {
		t.Errorf("after the delete, creme found %v", got)
	}

	// Broken by hand, then rebuilt with the rebuild's statements.
	mustExec(t, db, "DELETE FROM message_search_rows")
	mustExec(t, db, "DROP TRIGGER message_search_insert")
	for _, group := range [][]string{searchDrop, searchSchema, searchBackfill} {
		for _, statement := range group {
			mustExec(t, db, statement)
		}
	}
	if got := searchRows(t, db, `text : ("banana" OR "nothing")`); strings.Join(got, ",") != "m3,m1" {
		t.Errorf("after the rebuild, found %v, want m3,m1", got)
	}
	insert("m4", "r1", "banana bread", "2026-01-04 00:00:00.000Z")
	if got := searchRows(t, db, `text : ("banana")`); strings.Join(got, ",") != "m4,m1" {
		t.Errorf("the rebuilt triggers found %v, want m4,m1", got)
	}
	if _, err := db.Exec("INSERT INTO message_search (message_search) VALUES ('integrity-check')"); err != nil {
		t.Errorf("the index fails its integrity check: %v", err)
	}
}

// A message moved to another room or author (by a superuser or the sqlite3 CLI) is found there, and no
// longer where it was.
func TestSearchTriggerFollowsMoves(t *testing.T) {
	db := openSearchTestDB(t)
	mustExec(t, db, "INSERT INTO messages (id, room, user, text, created) VALUES ('m1', 'r1', 'u1', 'moving day', '2026-01-01')")
	mustExec(t, db, "UPDATE messages SET room = 'r2' WHERE id = 'm1'")
	if got := searchRows(t, db, `text : ("moving") AND room : "r1"`); len(got) != 0 {
		t.Errorf("found %v in the old room", got)
	}
	if got := searchRows(t, db, `text : ("moving") AND room : "r2"`); strings.Join(got, ",") != "m1" {
		t.Errorf("found %v in the new room, want m1", got)
	}
	mustExec(t, db, "UPDATE messages SET user = 'u2', text = 'moved day' WHERE id = 'm1'")
	if got := searchRows(t, db, `text : ("moved") AND user : "u2" AND room : "r2"`); strings.Join(got, ",") != "m1" {
		t.Errorf("found %v by the new author, want m1", got)
	}
	if got := searchRows(t, db, `user : "u1" OR text : "moving"`); len(got) != 0 {
		t.Errorf("found %v by the old author or text", got)
	}
	var room, user string
	if err := db.QueryRow("SELECT room, user FROM message_search_rows WHERE message = 'm1'").Scan(&room, &user); err != nil || room != "r2" || user != "u2" {
		t.Errorf("message_search_rows holds %s %s (%v), want r2 u2", room, user, err)
	}
	if _, err := db.Exec("INSERT INTO message_search (message_search) VALUES ('integrity-check')"); err != nil {
		t.Errorf("the index fails its integrity check: %v", err)
	}
}
