package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

// openSearchTestProcesses opens one new database of the search schema twice, as two processes would
// (each a pool of one connection), with the driver's options.
func openSearchTestProcesses(t *testing.T, options string) (*sql.DB, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", path+"?"+options)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.SetMaxOpenConns(1)
		return db
	}
	first, second := open(), open()
	createSearchTestSchema(t, first)
	return first, second
}

// A merge while another process holds the write lock (the sqlite3 CLI, `pocketbase search merge` beside a
// live server) waits for it, as PocketBase's busy_timeout promises, instead of failing at once with
// SQLITE_BUSY: its transaction (deferred, as PocketBase's) takes the write lock before reading the queue.
func TestSearchMergeWaitsForAnotherWriter(t *testing.T) {
	other, server := openSearchTestProcesses(t, "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
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

// The merger racing writers: creates, edits, moves and deletes, each its own transaction on its own
// connection, while batches merge on another. At every point FTS5 holds exactly the values of rows
// neither pending nor gone plus the gone rows' values, and pending holds the messages' own values; once
// merged, FTS5 holds every message's values and both queues are empty.
func TestSearchMergeRacingWrites(t *testing.T) {
	writer, merger := openSearchTestProcesses(t, "_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	random := rand.New(rand.NewSource(19))
	insertCorpus(t, writer, random, 0, 100)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	batches := 0
	go func() {
		defer wg.Done()
		x := dbx.NewFromDB(merger, "sqlite")
		for {
			select {
			case <-stop:
				return
			default:
			}
			tx, err := x.Begin()
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := mergeSearchBatch(tx, 1+batches%9); err != nil {
				tx.Rollback()
				t.Error(err)
				return
			}
			if err := tx.Commit(); err != nil {
				t.Error(err)
				return
			}
			batches++
			time.Sleep(time.Millisecond)
		}
	}()
	next := 100
	for op := 0; op < 200; op++ {
		id := fmt.Sprintf("m%04d", random.Intn(next))
		switch op % 5 {
		case 0, 1:
			insertCorpus(t, writer, random, next, 1)
			next++
		case 2:
			mustExec(t, writer, "UPDATE messages SET text = ? WHERE id = ?", pendingText(random), id)
		case 3:
			mustExec(t, writer, "UPDATE messages SET room = ?, user = ? WHERE id = ?", fmt.Sprintf("r%d", 1+random.Intn(4)), fmt.Sprintf("u%d", 1+random.Intn(4)), id)
		case 4:
			mustExec(t, writer, "DELETE FROM messages WHERE id = ?", id)
		}
		time.Sleep(2 * time.Millisecond) // SQLite's busy wait backs off: leave the merger its turns
	}
	close(stop)
	wg.Wait()
	if batches < 20 {
		t.Errorf("only %d merges ran beside the writes", batches)
	}
	checkSearchQueues(t, writer)
	mixed := searchAll(t, writer)
	mergeAll(t, writer)
	checkSearchQueues(t, writer)
	var queued int
	writer.QueryRow("SELECT (SELECT count(*) FROM message_search_gone) + (SELECT count(*) FROM message_search_pending)").Scan(&queued)
	if queued != 0 {
		t.Errorf("%d rows still queued after merging all", queued)
	}
	compareAnswers(t, "after the race, unmerged against merged", mixed, searchAll(t, writer))
}
