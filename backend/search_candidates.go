package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
)

// Finding a search's matches: FTS5's, less the rows whose indexed values are gone, plus the pending
// rows that match (search_pending.go), newest first, the ones the caller may read.

// searchCap is how many readable matches a search ranks: the newest ones. totalItems stops there and
// `more` says there were others (the client shows "1,000+").
const searchCap = 1000

// searchScanCap is how many matches of the index a search reads at most, readable or not: a word common
// in rooms the caller cannot read (or written by people they blocked) would otherwise walk its whole
// list of messages to find the few they may see. A search that stops here answers what it found so far
// with `more: true` (there may be older matches it did not look at; a narrower query or a date finds
// them). A variable for the tests.
var searchScanCap = 20000

// searchCandidatesQuery walks the FTS5 matches newest first (its rowid is the creation-ordered row of
// message_search_rows, and FTS5 iterates ORDER BY rowid DESC from its doclists without sorting), with the
// row's room, author and creation for the checks done in Go, and its sizes in tokens from FTS5's docsize
// table (a blob of one varint per column: text, room, user, pairs). %s: the date conditions, and the rows FTS5
// still holds the old values of (message_search_gone, migration 1795700140) left out.
const searchCandidatesQuery = `
SELECT r.row, r.message, r.room, r.user, r.created, COALESCE(d.sz, x'')
FROM message_search JOIN message_search_rows r ON r.row = message_search.rowid
LEFT JOIN message_search_docsize d ON d.id = message_search.rowid
WHERE message_search MATCH {:match} %s
ORDER BY message_search.rowid DESC`

type searchCandidate struct {
	Row                         int64
	Message, Room, User, Create string
	Length                      int // tokens of the text
	score                       float64
}

// firstVarint reads the first of SQLite's varints in b (big-endian groups of 7 bits, the high bit set
// on all but the last; a ninth byte gives 8 bits), 0 for an empty or cut blob.
func firstVarint(b []byte) int {
	value := uint64(0)
	for i, c := range b {
		if i == 8 {
			return int(value<<8 | uint64(c))
		}
		value = value<<7 | uint64(c&0x7f)
		if c&0x80 == 0 {
			return int(value)
		}
	}
	return 0
}

// findSearchCandidates collects the newest matches the caller may read, not by someone they blocked,
// stopping after searchCap (plus one, to know whether there are more): FTS5's matches less the rows whose
// indexed values are gone, and the pending rows that match (search_pending.go), in one walk newest first.
// db is one snapshot of the database (searchSnapshot), so a merge committing meanwhile moves nothing
// from one side to the other under the search.
// ctx ends the walk when the request is aborted (the client cancels a search as the person types on).
func findSearchCandidates(ctx context.Context, db dbx.Builder, blocked []string, readable map[string]string, req searchRequest) ([]searchCandidate, bool, error) {
	params := dbx.Params{"match": searchMatchInSnapshot(db, req)}
	dates, pendingDates := "", ""
	// Each date is also a range of row numbers, which FTS5 applies inside its doclists: without it, a
	// common word before a date long ago would walk every newer match first.
	for _, bound := range []struct{ value, name, op string }{
		{req.BeforeBound, "before", "<"},
		{req.AfterBound, "after", ">="},
	} {
		if bound.value == "" {
			continue
		}
		row, err := firstSearchRowFrom(db, bound.value)
		if err != nil {
			return nil, false, err
		}
		dates += fmt.Sprintf(" AND r.created %s {:%s} AND message_search.rowid %s {:%sRow}", bound.op, bound.name, bound.op, bound.name)
		pendingDates += fmt.Sprintf(" AND p.row %s {:%sRow}", bound.op, bound.name) // created: checked in Go
		params[bound.name] = bound.value
		params[bound.name+"Row"] = row
	}
	pending, more, err := findPendingCandidates(ctx, db, req, pendingDates, params)
	if err != nil {
		return nil, false, err
	}
	var anyGone bool
	if err := db.NewQuery("SELECT EXISTS (SELECT 1 FROM message_search_gone)").Row(&anyGone); err != nil {
		return nil, false, err
	}
	if anyGone {
		dates += " AND message_search.rowid NOT IN (SELECT row FROM message_search_gone)"
	}
	rows, err := db.NewQuery(fmt.Sprintf(searchCandidatesQuery, dates)).Bind(params).WithContext(ctx).Rows()
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var found []searchCandidate
	scanned := 0
	// take counts one match, newest first, and keeps it when the caller may read it; true: stop here.
	take := func(c searchCandidate) bool {
		if scanned == searchScanCap {
			return true
		}
		scanned++
		if _, ok := readable[c.Room]; ok && !slices.Contains(blocked, c.User) {
			if len(found) == searchCap {
				return true
			}
			found = append(found, c)
		}
		return false
	}
	next := 0 // the newest pending match not taken yet
	for rows.Next() {
		var c searchCandidate
		var sizes []byte
		if err := rows.Scan(&c.Row, &c.Message, &c.Room, &c.User, &c.Create, &sizes); err != nil {
			return nil, false, err
		}
		c.Length = firstVarint(sizes)
		for ; next < len(pending) && pending[next].Row >= c.Row; next++ {
			if take(pending[next]) {
				return found, true, nil
			}
		}
		if next > 0 && pending[next-1].Row == c.Row {
			continue // pending holds this row's current values (it cannot also be in FTS5 unless gone)
		}
		if take(c) {
			return found, true, nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	for ; next < len(pending); next++ {
		if take(pending[next]) {
			return found, true, nil
		}
	}
	return found, more, nil
}

// searchMatchInSnapshot is req.Match, with its prefix terms expanded again from the words of the index
// in this snapshot: the route expanded them before the snapshot began, and a merge committing in between
// may have moved a message with another word of that prefix from the pending rows (evaluated as a true
// prefix) into FTS5 (searched as the words listed).
func searchMatchInSnapshot(db dbx.Builder, req searchRequest) string {
	prefixed := false
	for _, term := range req.Terms {
		prefixed = prefixed || term.Prefix
	}
	if !prefixed {
		return req.Match
	}
	room, author := "", ""
	if req.Room != nil {
		room = req.Room.ID
	}
	if req.From != nil {
		author = req.From.ID
	}
	return searchMatchExpression(req.Terms, room, author, func(prefix string) []string {
		var words []string
		err := db.NewQuery("SELECT term FROM message_search_terms WHERE term >= {:low} AND term < {:high} LIMIT {:limit}").
			Bind(dbx.Params{"low": prefix, "high": prefix + "\U0010FFFF", "limit": searchMaxPrefixWords + 1}).Column(&words)
		if err != nil || len(words) > searchMaxPrefixWords {
			return nil
		}
		return words
	})
}

// firstSearchRowFrom is the first row number of a message created at or after `created`, found by
// bisecting row numbers (each step one primary-key seek), since rows are numbered in creation order:
// messages are indexed as they are written, and the migration and the rebuild number the old ones by
// (created, id). One past the last row when every message is older.
func firstSearchRowFrom(db dbx.Builder, created string) (int64, error) {
	var low, high int64
	// Two subqueries: SQLite reads min() or max() from the end of the primary key only when it is the
	// query's one aggregate, and scans the whole table for both at once.
	if err := db.NewQuery(
		"SELECT COALESCE((SELECT min(row) FROM message_search_rows), 0), COALESCE((SELECT max(row) FROM message_search_rows), 0) + 1").
		Row(&low, &high); err != nil {
		return 0, err
	}
	for low < high {
		mid := low + (high-low)/2
		var row int64
		var at string
		err := db.NewQuery("SELECT row, created FROM message_search_rows WHERE row >= {:mid} ORDER BY row LIMIT 1").
			Bind(dbx.Params{"mid": mid}).Row(&row, &at)
		if err != nil || at >= created {
			high = mid // no row from mid on (err), or the first from mid on is recent enough
		} else {
			low = row + 1
		}
	}
	return low, nil
}
