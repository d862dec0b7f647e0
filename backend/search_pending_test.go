package main

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/pocketbase/dbx"
)

// The corpus's queries (search_corpus_test.go) answer the same over the messages all pending, all merged,
// and changed since they were merged.
func TestSearchPendingAgreesWithMerged(t *testing.T) {
	for _, scanCap := range []int{searchScanCap, 30} {
		t.Run(fmt.Sprintf("scan cap %d", scanCap), func(t *testing.T) {
			saved := searchScanCap
			searchScanCap = scanCap
			defer func() { searchScanCap = saved }()
			db := openSearchTestDB(t)
			random := rand.New(rand.NewSource(17))
			insertCorpus(t, db, random, 0, 400)
			allPending := searchAll(t, db)
			mergeAll(t, db)
			merged := searchAll(t, db)
			compareAnswers(t, "all pending against all merged", allPending, merged)
			nonEmpty := 0
			for _, answer := range merged {
				if len(answer.Items) > 0 {
					nonEmpty++
				}
			}
			if nonEmpty < len(pendingQueries)-6 { // nothingmatches, moved, edited find nothing yet
				t.Errorf("only %d of %d queries found anything: the corpus tests little", nonEmpty, len(pendingQueries))
			}

			changeCorpus(t, db, random)
			var gone, pending int
			db.QueryRow("SELECT (SELECT count(*) FROM message_search_gone), (SELECT count(*) FROM message_search_pending)").Scan(&gone, &pending)
			if gone == 0 || pending == 0 {
				t.Fatalf("the changes queued %d gone and %d pending rows", gone, pending)
			}
			mixed := searchAll(t, db)
			mergeAll(t, db)
			compareAnswers(t, "changed, unmerged against merged", mixed, searchAll(t, db))
		})
	}
}

// A backlog (the sqlite3 CLI wrote while the server was stopped): a search reads at most
// searchPendingScanCap queued rows, the newest, whatever its room or author filter, and says `more` when
// it left older ones unread. A filter in SQL would read the whole queue (no index on room or user) to find
// that many rows of a small room.
func TestSearchPendingBacklogReadsTheNewestRowsOnly(t *testing.T) {
	saved := searchPendingScanCap
	searchPendingScanCap = 10
	defer func() { searchPendingScanCap = saved }()
	db := openSearchTestDB(t)
	insert := func(id, room, user string) {
		mustExec(t, db, "INSERT INTO messages (id, room, user, text, created) VALUES (?, ?, ?, 'a queued deploy', '2026-01-01 00:00:00.000Z')",
			id, room, user)
	}
	for i := range 5 {
		insert(fmt.Sprintf("small-old-%d", i), "small", "u1")
	}
	for i := range 20 {
		insert(fmt.Sprintf("big-%02d", i), "big", "u2")
	}
	insert("small-new", "small", "u1")
	parsed, err := parseSearchQuery("deploy")
	if err != nil {
		t.Fatal(err)
	}
	search := func(room, from string) ([]string, bool) {
		t.Helper()
		req := searchRequest{Terms: parsed.Terms}
		if room != "" {
			req.Room = &searchRoom{ID: room}
		}
		if from != "" {
			req.From = &searchPerson{ID: from}
		}
		found, more, err := findPendingCandidates(t.Context(), dbx.NewFromDB(db, "sqlite"), req, "", dbx.Params{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range found {
			ids = append(ids, c.Message)
		}
		return ids, more
	}
	if ids, more := search("small", ""); !reflect.DeepEqual(ids, []string{"small-new"}) || !more {
		t.Errorf("in:small in a backlog of 26 with a cap of 10 found %v (more %v), want [small-new] and more", ids, more)
	}
	if ids, more := search("", "u1"); !reflect.DeepEqual(ids, []string{"small-new"}) || !more {
		t.Errorf("from:u1 in a backlog of 26 with a cap of 10 found %v (more %v), want [small-new] and more", ids, more)
	}
	if ids, more := search("", ""); len(ids) != 10 || !more {
		t.Errorf("a backlog of 26 with a cap of 10 found %d (more %v), want 10 and more", len(ids), more)
	}
	searchPendingScanCap = 26
	if ids, more := search("small", ""); len(ids) != 6 || ids[0] != "small-new" || more {
		t.Errorf("in:small with every queued row read found %v (more %v), want all 6 and no more", ids, more)
	}
}
