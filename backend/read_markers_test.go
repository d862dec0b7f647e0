package main

import (
	"fmt"
	"testing"

	"github.com/pocketbase/dbx"
)

// The same ids as the client's readMarkerId (src-shared/read-marker-id.test.ts), byte for byte.
func TestReadMarkerIDMatchesTheClients(t *testing.T) {
	for _, c := range [][3]string{
		{"user00000000001", "room00000000001", "nnazxmiya9q9ixq"},
		{"abcdefghijklmno", "pqrstuvwxyz0123", "ye0n4guc1pv0pzm"},
		{"zzzzzzzzzzzzzzz", "000000000000000", "nl9e8r0ebwbh518"},
		{"u00000000000001", "r00000000000002", "nftr2jusf0bi9j3"},
	} {
		if got := readMarkerID(c[0], c[1]); got != c[2] {
			t.Errorf("readMarkerID(%q, %q) = %q, want %q (the client's)", c[0], c[1], got, c[2])
		}
	}
}

// countsTables is the part of the schema the counts read (rooms, messages, blocks, read_markers, with the
// migrations' indexes), in memory.
func countsTables(t *testing.T) *dbx.DB {
	t.Helper()
	db, err := dbx.Open("sqlite", ":memory:") // the driver PocketBase registers
	if err != nil {
		t.Fatal(err)
	}
	db.DB().SetMaxOpenConns(1) // one connection: each would have its own in-memory database
	t.Cleanup(func() { db.Close() })
	for _, statement := range []string{
		`CREATE TABLE rooms (id TEXT PRIMARY KEY, members JSON DEFAULT '[]' NOT NULL, kind TEXT)`,
		`CREATE TABLE messages (id TEXT PRIMARY KEY, room TEXT, user TEXT, created TEXT, thread TEXT DEFAULT '' NOT NULL,
			alsoInRoom BOOLEAN DEFAULT FALSE NOT NULL, mentions JSON DEFAULT '[]' NOT NULL, threadInfo JSON DEFAULT NULL)`,
		`CREATE INDEX idx_messages_room_unread ON messages (room, created, id, user, thread, alsoInRoom, mentions)`,
		`CREATE TABLE blocks (id TEXT PRIMARY KEY, user TEXT, blocked TEXT)`,
		`CREATE UNIQUE INDEX idx_blocks_user_blocked ON blocks (user, blocked)`,
		`CREATE TABLE read_markers (id TEXT PRIMARY KEY, user TEXT, room TEXT, message TEXT DEFAULT '' NOT NULL, readAt TEXT DEFAULT '' NOT NULL)`,
		`CREATE UNIQUE INDEX idx_read_markers_user_room ON read_markers (user, room)`,
	} {
		if _, err := db.NewQuery(statement).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func insert(t *testing.T, db *dbx.DB, table string, rows ...dbx.Params) {
	t.Helper()
	for _, row := range rows {
		if _, err := db.Insert(table, row).Execute(); err != nil {
			t.Fatal(err)
		}
	}
}

func at(second int) string { return fmt.Sprintf("2026-12-02 10:00:%02d.000Z", second) }

func TestUnreadCountsCountAsTheClientDoes(t *testing.T) {
	db := countsTables(t)
	insert(t, db, "rooms",
		dbx.Params{"id": "r1", "members": `["me","bob","eve"]`, "kind": "private"},
		dbx.Params{"id": "r2", "members": `["bob"]`, "kind": "public"},  // not joined: absent
		dbx.Params{"id": "r3", "members": `["me"]`, "kind": "public"},   // no marker: all unread
		dbx.Params{"id": "r4", "members": `["mel"]`, "kind": "private"}, // a longer id starting with "me"
	)
	insert(t, db, "blocks", dbx.Params{"id": "b1", "user": "me", "blocked": "eve"}, dbx.Params{"id": "b2", "user": "bob", "blocked": "carl"})
	insert(t, db, "messages",
		dbx.Params{"id": "m01", "room": "r1", "user": "bob", "created": at(1), "threadInfo": `{"replies":1,"followers":["bob"]}`},
		dbx.Params{"id": "m02", "room": "r1", "user": "bob", "created": at(2), "threadInfo": `{"replies":1,"followers":["bob","me"]}`},
		dbx.Params{"id": "m03", "room": "r1", "user": "me", "created": at(3)},                                         // own
		dbx.Params{"id": "m04", "room": "r1", "user": "eve", "created": at(4), "mentions": `["me"]`},                  // blocked author
		dbx.Params{"id": "m05", "room": "r1", "user": "bob", "created": at(5), "mentions": `["me"]`},                  // mention
		dbx.Params{"id": "m06", "room": "r1", "user": "bob", "created": at(6), "thread": "m01"},                       // kept to a thread not followed
		dbx.Params{"id": "m07", "room": "r1", "user": "bob", "created": at(7), "thread": "m02"},                       // followed thread
		dbx.Params{"id": "m08", "room": "r1", "user": "bob", "created": at(8), "thread": "m01", "alsoInRoom": true},   // also in the room
		dbx.Params{"id": "m09", "room": "r1", "user": "bob", "created": at(9), "thread": "m01", "mentions": `["me"]`}, // mentions me in a thread
		dbx.Params{"id": "m00", "room": "r1", "user": "bob", "created": at(1)},                                        // same millisecond as the marker, smaller id: read
		dbx.Params{"id": "m1a", "room": "r1", "user": "bob", "created": at(1)},                                        // same millisecond, larger id: unread
		dbx.Params{"id": "x01", "room": "r2", "user": "bob", "created": at(1)},
		dbx.Params{"id": "y01", "room": "r3", "user": "bob", "created": at(1)},
		dbx.Params{"id": "y02", "room": "r3", "user": "bob", "created": at(2), "mentions": `["mel"]`},
		dbx.Params{"id": "z01", "room": "r4", "user": "bob", "created": at(1)},
	)
	insert(t, db, "read_markers", dbx.Params{"id": "k1", "user": "me", "room": "r1", "message": "m01", "readAt": at(1)})

	rooms, err := queryUnreadCounts(db, "me", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]RoomUnread{
		// m1a, m02, m05, m07, m08, m09; mentions m05, m09
		"r1": {Unread: 6, Mentions: 2, Message: "m01", ReadAt: at(1)},
		"r3": {Unread: 2, Mentions: 0},
	}
	if fmt.Sprint(rooms) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", rooms, want)
	}

	only, err := queryUnreadCounts(db, "me", "r3")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(only) != fmt.Sprint(map[string]RoomUnread{"r3": want["r3"]}) {
		t.Errorf("counts of r3 alone = %v", only)
	}
	if absent, _ := queryUnreadCounts(db, "me", "r2"); len(absent) != 0 {
		t.Errorf("a room one has not joined has counts: %v", absent)
	}
}

func TestUnreadCountsStopAtTheCap(t *testing.T) {
	db := countsTables(t)
	insert(t, db, "rooms", dbx.Params{"id": "r1", "members": `["me","bob"]`, "kind": "private"})
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < unreadCap+500; i++ {
		mentions := "[]"
		if i%2 == 0 {
			mentions = `["me"]`
		}
		_, err := tx.Insert("messages", dbx.Params{"id": fmt.Sprintf("m%05d", i), "room": "r1", "user": "bob",
			"created": fmt.Sprintf("2026-12-02 10:%02d:%02d.000Z", i/60%60, i%60), "mentions": mentions}).Execute()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rooms, err := queryUnreadCounts(db, "me", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := rooms["r1"]; got.Unread != unreadCap || got.Mentions != unreadCap/2 {
		t.Errorf("a room never read counts %d (%d mentions), want %d (%d)", got.Unread, got.Mentions, unreadCap, unreadCap/2)
	}
}

// Many blocked authors are excluded through a list rather than one inequality each: the same counts.
func TestUnreadCountsLeaveOutEveryBlockedAuthor(t *testing.T) {
	for _, blockedCount := range []int{1, maxExcludedAuthorsInline, maxExcludedAuthorsInline + 5} {
		db := countsTables(t)
		insert(t, db, "rooms", dbx.Params{"id": "r1", "members": `["me"]`, "kind": "private"})
		for i := 0; i < blockedCount+3; i++ {
			author := fmt.Sprintf("author%d", i)
			if i < blockedCount {
				insert(t, db, "blocks", dbx.Params{"id": fmt.Sprintf("b%d", i), "user": "me", "blocked": author})
			}
			insert(t, db, "messages", dbx.Params{"id": fmt.Sprintf("m%d", i), "room": "r1", "user": author, "created": at(i % 60)})
		}
		insert(t, db, "messages", dbx.Params{"id": "own", "room": "r1", "user": "me", "created": at(59)})
		rooms, err := queryUnreadCounts(db, "me", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := rooms["r1"].Unread; got != 3 {
			t.Errorf("with %d blocked authors: %d unread, want the 3 others' messages", blockedCount, got)
		}
	}
}
