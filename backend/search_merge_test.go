package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

// A merge while another process holds the write lock (the sqlite3 CLI, `pocketbase search merge` beside a
// live server) waits for it, as PocketBase's busy_timeout promises, instead of failing at once with
// SQLITE_BUSY: its transaction (deferred, as PocketBase's) takes the write lock before reading the queue.
func TestSearchMergeWaitsForAnotherWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.SetMaxOpenConns(1)
		return db
	}
	other, server := open(), open()
	mustExec(t, other, `CREATE TABLE messages (id TEXT PRIMARY KEY, room TEXT NOT NULL DEFAULT '', user TEXT NOT NULL DEFAULT '',
		text TEXT NOT NULL DEFAULT '', created TEXT NOT NULL DEFAULT '')`)
	for _, statement := range searchSchema {
		mustExec(t, other, statement)
	}
	mustExec(t, other, "INSERT INTO messages (id, text) VALUES ('a', 'hello world')")

	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO messages (id, text) VALUES ('b', 'other words')"); err != nil {
		t.Fatal(err)
	}
	const held = 300 * time.Millisecond
	committed := make(chan error, 1)
	go func() {
		time.Sleep(held)
		_, err := conn.ExecContext(ctx, "COMMIT")
		committed <- err
	}()

	started := time.Now()
	tx, err := dbx.NewFromDB(server, "sqlite").Begin()
	if err != nil {
		t.Fatal(err)
	}
	merged, err := mergeSearchBatch(tx, searchMergeBatch)
	if err != nil {
		tx.Rollback()
		t.Fatalf("a merge beside another process's write transaction failed after %v instead of waiting: %v", time.Since(started), err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	waited := time.Since(started)
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	if waited < held*2/3 {
		t.Errorf("the merge took %v: it cannot have waited for the other writer's %v", waited, held)
	}
	// it began once the other transaction committed, so it merged that message too
	if merged != 2 {
		t.Errorf("merged %d rows, want 2 (both messages)", merged)
	}
	queued, err := searchQueueLength(dbx.NewFromDB(server, "sqlite"))
	if err != nil || queued != 0 {
		t.Errorf("%d rows still queued (%v)", queued, err)
	}
}
