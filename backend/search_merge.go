package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The search index's merger: the triggers of migration 1795700140 queue every change in
// message_search_pending (values not in FTS5 yet) and message_search_gone (values FTS5 holds that are no
// longer a message's), in the transaction of the change; this moves them into FTS5 a batch at a time, one
// FTS5 segment per batch where writing FTS5 in the triggers made one per message (bench/README.md,
// "Search"). A search reads FTS5 minus gone plus pending in one snapshot (search_candidates.go,
// search_pending.go), so what is merged when changes nothing that a search finds.

// searchIndexColumns are message_search's columns after its rowid, in order.
var searchIndexColumns = []string{"text", "room", "user", "pairs"}

// searchIndexValues is what one message gives message_search's columns (searchIndexColumns, in order):
// the ONE place that says it. The merger inserts these values and gives the same ones to FTS5's 'delete'
// command later (a contentless table forgets a row only by being told the values it indexed), the
// rebuild and `search merge` use the merger. Change it with the columns, and see search_pending.go's
// searchPendingLength and pendingMatch, which evaluate not-yet-merged rows with the same meaning.
func searchIndexValues(text, room, user string) []any {
	return []any{text, room, user, searchPairs(text)} // pairs: search_pairs.go, migration 1795700145
}

// searchMergeBatch is how many queued rows one merge transaction moves: the write lock is held for
// about 20-40 ms of FTS5 work (bench/README.md), short beside a create's wait at busy times.
const searchMergeBatch = 1000

// searchMergeEvery is how often the merger looks for queued rows. PALAVER_SEARCH_MERGE_MS sets it in
// milliseconds; 0 turns the merger off (the tests that look at unmerged rows; `search merge` then does it).
func searchMergeEvery() time.Duration {
	raw := os.Getenv("PALAVER_SEARCH_MERGE_MS")
	if ms, err := strconv.Atoi(raw); err == nil && ms >= 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 500 * time.Millisecond
}

type searchQueued struct {
	Row              int64
	Text, Room, User string
}

// mergeSearchBatch moves up to limit queued rows into FTS5 on db, which must be a write transaction:
// gone rows first (FTS5 forgets their values), and only when none is left, pending ones (FTS5 indexes
// them), so a row edited twice is never indexed before its old values are forgotten. It answers how many
// rows it moved; 0 when both queues are empty.
func mergeSearchBatch(db dbx.Builder, limit int) (int, error) {
	// A write that changes nothing, first: it takes the write lock, waiting (busy_timeout) while another
	// process writes (the sqlite3 CLI, `search merge` beside a live server). Reading the queue first would
	// make this a read transaction, and SQLite answers SQLITE_BUSY at once, without waiting, to one that
	// then upgrades to write while another connection writes.
	if _, err := db.NewQuery("DELETE FROM message_search_gone WHERE row < 0").Execute(); err != nil {
		return 0, fmt.Errorf("%w (taking the database's write lock to merge the search index's queue)", err)
	}
	placeholders := make([]string, len(searchIndexColumns))
	for i := range placeholders {
		placeholders[i] = fmt.Sprintf("{:c%d}", i)
	}
	columns := strings.Join(searchIndexColumns, ", ")
	gone, err := readSearchQueue(db, "message_search_gone", limit)
	if err != nil {
		return 0, err
	}
	if err := applySearchQueue(db, gone, "message_search_gone", fmt.Sprintf(
		"INSERT INTO message_search (message_search, rowid, %s) VALUES ('delete', {:row}, %s)",
		columns, strings.Join(placeholders, ", "))); err != nil {
		return 0, err
	}
	if len(gone) == limit {
		return len(gone), nil
	}
	pending, err := readSearchQueue(db, "message_search_pending", limit-len(gone))
	if err != nil {
		return 0, err
	}
	if err := applySearchQueue(db, pending, "message_search_pending", fmt.Sprintf(
		"INSERT INTO message_search (rowid, %s) VALUES ({:row}, %s)", columns, strings.Join(placeholders, ", "))); err != nil {
		return 0, err
	}
	return len(gone) + len(pending), nil
}

func readSearchQueue(db dbx.Builder, table string, limit int) ([]searchQueued, error) {
	rows, err := db.NewQuery("SELECT row, text, room, user FROM " + table + " ORDER BY row LIMIT {:limit}").
		Bind(dbx.Params{"limit": limit}).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var queued []searchQueued
	for rows.Next() {
		var q searchQueued
		if err := rows.Scan(&q.Row, &q.Text, &q.Room, &q.User); err != nil {
			return nil, err
		}
		queued = append(queued, q)
	}
	return queued, rows.Err()
}

// applySearchQueue runs statement for each queued row, then removes them from their queue (the lowest
// rows, read in this same transaction, so `row <= last` is exactly them).
func applySearchQueue(db dbx.Builder, queued []searchQueued, table, statement string) error {
	if len(queued) == 0 {
		return nil
	}
	query := db.NewQuery(statement).Prepare()
	defer query.Close()
	for _, q := range queued {
		params := dbx.Params{"row": q.Row}
		for i, value := range searchIndexValues(q.Text, q.Room, q.User) {
			params[fmt.Sprintf("c%d", i)] = value
		}
		if _, err := query.Bind(params).Execute(); err != nil {
			return fmt.Errorf("%w (moving row %d of %s into the search index)", err, q.Row, table)
		}
	}
	_, err := db.NewQuery("DELETE FROM " + table + " WHERE row <= {:last}").
		Bind(dbx.Params{"last": queued[len(queued)-1].Row}).Execute()
	return err
}

// searchQueueLength is how many rows wait in both queues.
func searchQueueLength(db dbx.Builder) (int, error) {
	n := 0
	err := db.NewQuery("SELECT (SELECT count(*) FROM message_search_pending) + (SELECT count(*) FROM message_search_gone)").Row(&n)
	return n, err
}

// mergeSearchQueue merges batch after batch, each its own transaction, until both queues are empty or
// stop is closed; it answers how many rows it moved.
func mergeSearchQueue(app core.App, stop <-chan struct{}) (int, error) {
	total := 0
	for {
		select {
		case <-stop:
			return total, nil
		default:
		}
		merged := 0
		err := app.RunInTransaction(func(tx core.App) error {
			var err error
			merged, err = mergeSearchBatch(tx.DB(), searchMergeBatch)
			return err
		})
		total += merged
		if err != nil || merged == 0 {
			return total, err
		}
	}
}

// searchBacklogNotice is the queue length above which the merger says what it is doing: rows written
// while the server was stopped (the sqlite3 CLI, a restored copy). Searches meanwhile look at the newest
// searchPendingScanCap of them (and say `more`).
const searchBacklogNotice = 10000

// bindSearchMerger runs the merger while the server serves: one goroutine, stopped (after its current
// batch) when the app terminates.
func bindSearchMerger(app core.App) {
	var mu sync.Mutex // guards stop: OnServe and OnTerminate may run on different goroutines
	var stop chan struct{}
	var done sync.WaitGroup
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Before the merger runs, even when it is off: an index made by another tokenizer is made again
		// (search_version.go). If that fails the server does not start: merging old values with new
		// tokens would leave edited and deleted messages findable by their old phrases.
		// A server given other migrations (--migrationsDir) may have no search index: nothing to check or merge.
		if searchTableExists(app, "message_search_version") {
			if _, err := checkSearchIndexVersion(app); err != nil {
				return err
			}
		}
		every := searchMergeEvery()
		if every <= 0 || !searchTableExists(app, "message_search_pending") {
			return se.Next()
		}
		mu.Lock()
		if stop == nil {
			stop = make(chan struct{})
			done.Add(1)
			go func(stop <-chan struct{}) {
				defer done.Done()
				runSearchMerger(app, every, stop)
			}(stop)
		}
		mu.Unlock()
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
		mu.Lock()
		if stop != nil {
			close(stop)
			stop = nil
		}
		mu.Unlock()
		done.Wait()
		return te.Next()
	})
}

func runSearchMerger(app core.App, every time.Duration, stop <-chan struct{}) {
	backlog, err := searchQueueLength(app.DB())
	if err != nil {
		app.Logger().Error("search: could not count the search index's queued changes at start; merging them anyway. If searches fail too, stop the server and run `pocketbase search rebuild`",
			"error", err.Error())
	}
	if backlog > searchBacklogNotice {
		app.Logger().Info(fmt.Sprintf("search: indexing %d messages written while the server was stopped; until it is done, searches look at the newest %d of them and say there may be more", backlog, searchPendingScanCap))
		started := time.Now()
		merged, err := mergeSearchQueue(app, stop)
		if err == nil {
			app.Logger().Info(fmt.Sprintf("search: indexed %d queued changes in %.1f s", merged, time.Since(started).Seconds()))
		} else {
			app.Logger().Error(fmt.Sprintf("search: indexing the messages written while the server was stopped failed after %d of %d queued changes; the merger tries again every %s. Searches still find the rest (the newest %d of them, saying there may be more). If this goes on, stop the server and run `pocketbase search rebuild`", merged, backlog, every, searchPendingScanCap),
				"error", err.Error())
		}
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	failures := 0
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
		if failures > 0 && failures%20 != 0 {
			failures++ // after a failure, try again every 20 ticks rather than at every one
			continue
		}
		if _, err := mergeSearchQueue(app, stop); err != nil {
			failures++
			app.Logger().Error(fmt.Sprintf("search: could not merge queued changes into the search index; trying again in %s. Searches still find them (they read the queue). A database locked by another program passes by itself; if other errors go on, stop the server and run `pocketbase search rebuild`", 20*every),
				"error", err.Error())
			continue
		}
		failures = 0
	}
}

// searchTableExists says whether the migrations made the table (a server may run with other migrations).
func searchTableExists(app core.App, name string) bool {
	var found int
	err := app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = {:name}").
		Bind(dbx.Params{"name": name}).Row(&found)
	return err == nil && found > 0
}
