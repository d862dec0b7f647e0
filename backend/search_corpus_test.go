package main

import (
	"database/sql"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

// A corpus of messages and queries, and a check of everything the index holds, for the tests of pending
// rows (search_pending_test.go), of the merger (search_merge_test.go) and of the tokenizer's version
// (search_version_test.go). The queries must give the same answer (ids, order, ranking lengths, more)
// whether the messages are all pending (evaluated in Go), all merged (FTS5), or edited, moved and
// deleted since they were merged (FTS5 minus gone, plus pending).

var pendingCorpusWords = []string{
	"alpha", "beta", "gamma", "delta", "café", "CAFE", "Crème", "brûlée", "naïve", "deploy", "deployed",
	"deployment", "rollback", "prod", "x-ray", "snake_case", "Straße", "日本語", "ünïcödé", "42", "v2.1",
	// letters Go's Unicode tables fold or cut otherwise than unicode61 (search_fold.go): the micro sign
	// (μ), the final sigma (σ), ǣ (itself), the long s (s), a New Tai Lue vowel (no letter to unicode61)
	"µm", "λόγος", "Ǣsc", "ſoft", "ᦀᦰᦂ",
}

var pendingQueries = []struct{ q, room, from, before, after string }{
	{q: "alpha"}, {q: "cafe"}, {q: "CAFÉ crème"}, {q: "alpha beta"}, {q: `"alpha beta"`}, {q: `"rollback prod"`},
	{q: "depl*"}, {q: "dep*"}, {q: `"rollback pro"*`}, {q: "alpha -beta"}, {q: `beta -"gamma delta"`},
	{q: "-alpha beta"}, {q: "xray"}, {q: "x-ray"}, {q: "snake_case"}, {q: "strasse"}, {q: "straße"},
	{q: "日本語"}, {q: "unicode"}, {q: "42"}, {q: "v2"}, {q: "nothingmatches"},
	{q: "alpha", room: "r2"}, {q: "beta", from: "u2"}, {q: "gamma", room: "r1", from: "u1"},
	{q: "delta", before: "2026-03-01"}, {q: "delta", after: "2026-02-01"},
	{q: "deploy*", after: "2026-01-20", before: "2026-04-01"}, {q: "moved"}, {q: "edited"},
	{q: "μm"}, {q: "µm"}, {q: "λογοσ"}, {q: "ǣsc"}, {q: "soft"}, {q: "ᦂ"}, {q: `"ᦀ ᦂ"`},
}

type pendingAnswer struct {
	Items []string
	More  bool
}

// searchAll runs every corpus query against db in one snapshot each, as the route does.
func searchAll(t *testing.T, db *sql.DB) []pendingAnswer {
	t.Helper()
	x := dbx.NewFromDB(db, "sqlite")
	readable := map[string]string{"r1": "public", "r2": "private", "r3": "public"} // not r4
	blocked := []string{"u4"}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var answers []pendingAnswer
	for _, query := range pendingQueries {
		parsed, err := parseSearchQuery(query.q)
		if err != nil {
			t.Fatal(err)
		}
		req := searchRequest{}
		if req.Terms, err = distinctSearchTerms(parsed.Terms); err != nil {
			t.Fatal(err)
		}
		if query.room != "" {
			req.Room = &searchRoom{ID: query.room}
		}
		if query.from != "" {
			req.From = &searchPerson{ID: query.from}
		}
		if _, req.BeforeBound, err = searchDate("before", query.before, "", 0); err != nil {
			t.Fatal(err)
		}
		if _, req.AfterBound, err = searchDate("after", query.after, "", 0); err != nil {
			t.Fatal(err)
		}
		req.Match = searchMatchExpression(req.Terms, query.room, query.from, nil)
		if req.Match == "" {
			t.Fatalf("%q searches for nothing", query.q)
		}
		tx, err := x.Begin()
		if err != nil {
			t.Fatal(err)
		}
		found, more, err := findSearchCandidates(t.Context(), tx, blocked, readable, req)
		tx.Rollback()
		if err != nil {
			t.Fatalf("%q: %v", query.q, err)
		}
		rankSearchCandidates(found, now)
		answer := pendingAnswer{More: more, Items: []string{}}
		for _, c := range found {
			answer.Items = append(answer.Items, fmt.Sprintf("%s/%d", c.Message, c.Length))
		}
		answers = append(answers, answer)
	}
	return answers
}

func compareAnswers(t *testing.T, label string, got, want []pendingAnswer) {
	t.Helper()
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: %+v\n  got  %v\n  want %v", label, pendingQueries[i], got[i], want[i])
		}
	}
}

func pendingText(random *rand.Rand) string {
	words := make([]string, 2+random.Intn(10))
	for i := range words {
		words[i] = pendingCorpusWords[random.Intn(len(pendingCorpusWords))]
	}
	return strings.Join(words, " ")
}

func insertCorpus(t *testing.T, db *sql.DB, random *rand.Rand, from, n int) {
	t.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := from; i < from+n; i++ {
		mustExec(t, db, "INSERT INTO messages (id, room, user, text, created) VALUES (?, ?, ?, ?, ?)",
			fmt.Sprintf("m%04d", i), fmt.Sprintf("r%d", 1+random.Intn(4)), fmt.Sprintf("u%d", 1+random.Intn(4)),
			pendingText(random), start.Add(time.Duration(i)*6*time.Hour).Format(pbDateLayout))
	}
}

// changeCorpus edits, moves, re-authors and deletes some messages, and writes a few more.
func changeCorpus(t *testing.T, db *sql.DB, random *rand.Rand) {
	t.Helper()
	for i := 0; i < 400; i += 7 {
		mustExec(t, db, "UPDATE messages SET text = ? WHERE id = ?", "edited "+pendingText(random), fmt.Sprintf("m%04d", i))
	}
	for i := 3; i < 400; i += 23 {
		mustExec(t, db, "UPDATE messages SET room = ?, text = text || ' moved' WHERE id = ?", fmt.Sprintf("r%d", 1+random.Intn(4)), fmt.Sprintf("m%04d", i))
	}
	for i := 5; i < 400; i += 31 {
		mustExec(t, db, "UPDATE messages SET user = 'u2' WHERE id = ?", fmt.Sprintf("m%04d", i))
	}
	for i := 1; i < 400; i += 17 {
		mustExec(t, db, "DELETE FROM messages WHERE id = ?", fmt.Sprintf("m%04d", i))
	}
	// edited twice: the first values FTS5 held are the ones it is told to forget
	mustExec(t, db, "UPDATE messages SET text = 'edited once alpha' WHERE id = 'm0002'")
	mustExec(t, db, "UPDATE messages SET text = 'edited twice beta' WHERE id = 'm0002'")
	insertCorpus(t, db, random, 400, 40)
}

// checkSearchQueues compares FTS5's every term of every row (an fts5vocab 'instance' table, and the
// docsize table) with an index built from scratch of what it should hold, and pending with the messages.
func checkSearchQueues(t *testing.T, db *sql.DB) {
	t.Helper()
	var create string
	if err := db.QueryRow("SELECT sql FROM sqlite_master WHERE name = 'message_search'").Scan(&create); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "DROP TABLE IF EXISTS expect")
	mustExec(t, db, strings.Replace(create, "message_search", "expect", 1))
	rows, err := db.Query(`SELECT r.row, m.text, m.room, m.user FROM message_search_rows r JOIN messages m ON m.id = r.message
		WHERE r.row NOT IN (SELECT row FROM message_search_pending) AND r.row NOT IN (SELECT row FROM message_search_gone)
		UNION ALL SELECT row, text, room, user FROM message_search_gone ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var expected []searchQueued
	for rows.Next() {
		var q searchQueued
		if err := rows.Scan(&q.Row, &q.Text, &q.Room, &q.User); err != nil {
			t.Fatal(err)
		}
		expected = append(expected, q)
	}
	rows.Close()
	insert := fmt.Sprintf("INSERT INTO expect (rowid, %s) VALUES (?%s)", strings.Join(searchIndexColumns, ", "),
		strings.Repeat(", ?", len(searchIndexColumns)))
	for _, q := range expected {
		mustExec(t, db, insert, append([]any{q.Row}, searchIndexValues(q.Text, q.Room, q.User)...)...)
	}
	mustExec(t, db, "DROP TABLE IF EXISTS actual_terms")
	mustExec(t, db, "DROP TABLE IF EXISTS expect_terms")
	mustExec(t, db, "CREATE VIRTUAL TABLE temp.actual_terms USING fts5vocab(main, message_search, instance)")
	mustExec(t, db, "CREATE VIRTUAL TABLE temp.expect_terms USING fts5vocab(main, expect, instance)")
	for _, check := range []struct{ label, sql string }{
		{"terms FTS5 holds and should not", "SELECT term, doc, col, offset FROM actual_terms EXCEPT SELECT term, doc, col, offset FROM expect_terms"},
		{"terms FTS5 should hold and does not", "SELECT term, doc, col, offset FROM expect_terms EXCEPT SELECT term, doc, col, offset FROM actual_terms"},
		{"lengths that differ", "SELECT id, sz FROM message_search_docsize EXCEPT SELECT id, sz FROM expect_docsize"},
		{"lengths missing", "SELECT id, sz FROM expect_docsize EXCEPT SELECT id, sz FROM message_search_docsize"},
		{"pending rows whose values are not the message's", `SELECT p.row FROM message_search_pending p
			LEFT JOIN message_search_rows r ON r.row = p.row LEFT JOIN messages m ON m.id = r.message
			WHERE m.id IS NULL OR p.text IS NOT m.text OR p.room IS NOT m.room OR p.user IS NOT m.user`},
		{"messages without a row", "SELECT id FROM messages WHERE id NOT IN (SELECT message FROM message_search_rows)"},
	} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM (" + check.sql + ")").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, check.label)
		}
	}
	if len(expected) < 50 {
		t.Errorf("only %d rows expected in FTS5: the check tests little", len(expected))
	}
	mustExec(t, db, "DROP TABLE expect")
	mustExec(t, db, "INSERT INTO message_search (message_search) VALUES ('integrity-check')")
}
