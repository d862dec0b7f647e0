package main

import (
	"fmt"
	"testing"

	"github.com/pocketbase/dbx"
)

// reactionsTable is the reactions table as the migration makes it (the columns the summary reads), in
// memory, with the given rows: message, user, emoji, created.
func reactionsTable(t *testing.T, rows [][4]string) *dbx.DB {
	t.Helper()
	db, err := dbx.Open("sqlite", ":memory:") // the driver PocketBase registers
	if err != nil {
		t.Fatal(err)
	}
	db.DB().SetMaxOpenConns(1) // one connection: each would have its own in-memory database
	t.Cleanup(func() { db.Close() })
	if _, err := db.NewQuery(`CREATE TABLE reactions (id TEXT PRIMARY KEY, message TEXT, user TEXT, emoji TEXT, created TEXT)`).Execute(); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		_, err := db.Insert("reactions", dbx.Params{
			"id": fmt.Sprintf("r%014d", 1000-i) /* ids against the order written */, "message": row[0], "user": row[1], "emoji": row[2], "created": row[3],
		}).Execute()
		if err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestReactionSummaryOrdersEmojiByFirstReactionAndPeopleOldestFirst(t *testing.T) {
	db := reactionsTable(t, [][4]string{
		{"m1", "carol", "👍", "2026-12-02 10:00:02.000Z"},
		{"m1", "bob", "🎉", "2026-12-02 10:00:01.000Z"},
		{"m1", "alice", "🎉", "2026-12-02 10:00:03.000Z"},
		{"m1", "dave", "👍", "2026-12-02 10:00:03.000Z"},
		{"m1", "frank", "🎉", "2026-12-02 10:00:03.000Z"}, // same millisecond as alice's: written after it
		{"m2", "erin", "🚀", "2026-12-02 09:00:00.000Z"},  // another message
	})
	summary, err := reactionSummary(db, "m1")
	if err != nil {
		t.Fatal(err)
	}
	want := []ReactionSummary{
		{Emoji: "🎉", Count: 3, Users: []string{"bob", "alice", "frank"}},
		{Emoji: "👍", Count: 2, Users: []string{"carol", "dave"}},
	}
	if fmt.Sprint(summary) != fmt.Sprint(want) {
		t.Errorf("summary = %v, want %v", summary, want)
	}

	none, err := reactionSummary(db, "m3")
	if err != nil || len(none) != 0 {
		t.Errorf("a message without reactions: %v, %v; want an empty summary", none, err)
	}
}

func TestReactionSummaryListsAtMost100PeoplePerEmojiButCountsAll(t *testing.T) {
	rows := [][4]string{}
	for i := range 130 {
		rows = append(rows, [4]string{"m", fmt.Sprintf("u%03d", i), "⭐", fmt.Sprintf("2026-12-02 10:%02d:%02d.000Z", i/60, i%60)})
	}
	rows = append(rows, [4]string{"m", "late", "👀", "2026-12-02 11:00:00.000Z"})
	summary, err := reactionSummary(reactionsTable(t, rows), "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(summary) != 2 || summary[0].Emoji != "⭐" || summary[0].Count != 130 || len(summary[0].Users) != maxReactionUsersListed {
		t.Fatalf("summary = %+v, want ⭐ counted 130 with the first 100 listed, then 👀", summary)
	}
	if summary[0].Users[0] != "u000" || summary[0].Users[99] != "u099" {
		t.Errorf("listed %s … %s, want the oldest: u000 … u099", summary[0].Users[0], summary[0].Users[99])
	}
	if summary[1].Emoji != "👀" || summary[1].Count != 1 || len(summary[1].Users) != 1 {
		t.Errorf("second entry = %+v, want 👀 by late", summary[1])
	}
}

// The same ids as the client's reactionId (src-shared/reaction-id.ts and its test), byte for byte.
func TestReactionIDMatchesTheClients(t *testing.T) {
	for _, c := range [][4]string{
		{"message00000001", "user00000000001", "👍", "wzk2dofmbdt9wyj"},
		{"abcdefghijklmno", "pqrstuvwxyz0123", "👍", "f23ukai7cq9oknz"},
		{"m00000000000001", "u00000000000001", "👨‍👩‍👧‍👦", "55pcaqktdbsjbtt"},
		{"zzzzzzzzzzzzzzz", "000000000000000", "🇫🇷", "2p2nmkivy193m98"},
	} {
		if got := reactionID(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("reactionID(%q, %q, %q) = %q, want %q (the client's)", c[0], c[1], c[2], got, c[3])
		}
	}
}
