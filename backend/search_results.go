package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// searchCap is how many readable matches a search ranks: the newest ones. totalItems stops there and
// `more` says there were others (the client shows "1,000+").
const searchCap = 1000

// searchScanCap is how many matches of the index a search reads at most, readable or not: a word common
// in rooms the caller cannot read (or written by people they blocked) would otherwise walk its whole
// list of messages to find the few they may see. A search that stops here answers what it found so far
// with `more: true` (there may be older matches it did not look at; a narrower query or a date finds
// them). A variable for the tests.
var searchScanCap = 20000

// How a match is ranked among the newest searchCap (the README's "Search" says the same):
//
//	score = relevanceWeight * relevance / best relevance + (1 - relevanceWeight) * 2^(-age / recencyHalfLife)
//	relevance = (k1 + 1) / (1 + k1 * (1 - b + b * length / average length))      (k1 = 1.2, b = 0.75)
//
// relevance is BM25's weight of a term found once (its length normalisation: a short message that
// matches is more about the words than a long one that mentions them), with the length in tokens of the
// message's text and the average over the candidates. Not FTS5's bm25(): before its first row it walks
// every match of every term of the query, over the whole history, to count how many messages hold each
// (the IDF), which took most of a common word's search at 1M messages, where the walk newest-first stops
// at the cap. The two parts left out matter little here: every candidate holds every term, so the IDF
// only weighs one term's repetitions against another's, and chat messages rarely repeat a word (the
// term frequency). Dividing by the best makes relevance 0..1 whatever the query; age is from now to the
// message's creation. A message as relevant as the best scores 0.5 + 0.5 today and 0.5 + 0.25 a month
// ago; a message four times the average length weighs 0.45 of one of average length. Ties go to the
// newer message.
const (
	relevanceWeight = 0.5
	recencyHalfLife = 30 * 24 * time.Hour
	bm25K1          = 1.2
	bm25B           = 0.75
)

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

// rankSearchCandidates orders candidates by the score above, best first.
func rankSearchCandidates(candidates []searchCandidate, now time.Time) {
	if len(candidates) == 0 {
		return
	}
	average := 0.0
	for _, c := range candidates {
		average += float64(c.Length)
	}
	average = max(1, average/float64(len(candidates)))
	weight := func(c searchCandidate) float64 {
		return (bm25K1 + 1) / (1 + bm25K1*(1-bm25B+bm25B*float64(c.Length)/average))
	}
	best := 0.0
	for _, c := range candidates {
		best = max(best, weight(c))
	}
	for i := range candidates {
		c := &candidates[i]
		relevance := weight(*c) / best
		age := time.Duration(0)
		if created, err := time.Parse(pbDateLayout, c.Create); err == nil && now.After(created) {
			age = now.Sub(created)
		}
		recency := math.Exp2(-float64(age) / float64(recencyHalfLife))
		c.score = relevanceWeight*relevance + (1-relevanceWeight)*recency
	}
	slices.SortStableFunc(candidates, func(a, b searchCandidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		case a.Row > b.Row:
			return -1
		case a.Row < b.Row:
			return 1
		}
		return 0
	})
}

type searchFilters struct {
	Room   *searchRoom   `json:"room"`
	From   *searchPerson `json:"from"`
	Before string        `json:"before"`
	After  string        `json:"after"`
}

type searchAnswer struct {
	Page       int              `json:"page"`
	PerPage    int              `json:"perPage"`
	TotalItems int              `json:"totalItems"`
	More       bool             `json:"more"`
	Filters    searchFilters    `json:"filters"`
	Items      []map[string]any `json:"items"`
}

// runSearch finds, ranks and pages the matches, then reads the page's messages and authors.
func runSearch(ctx context.Context, app core.App, me string, readable map[string]string, req searchRequest, now time.Time) (searchAnswer, error) {
	answer := searchAnswer{
		Page: req.Page, PerPage: req.PerPage, Items: []map[string]any{},
		Filters: searchFilters{Room: req.Room, From: req.From, Before: req.Before, After: req.After},
	}
	var blocked []string
	if err := app.DB().NewQuery("SELECT blocked FROM blocks WHERE user = {:me}").
		Bind(dbx.Params{"me": me}).Column(&blocked); err != nil {
		return answer, err
	}
	snapshot, release, err := searchSnapshot(app)
	if err != nil {
		return answer, err
	}
	candidates, more, err := findSearchCandidates(ctx, snapshot, blocked, readable, req)
	release()
	if err != nil {
		return answer, err
	}
	answer.TotalItems, answer.More = len(candidates), more
	rankSearchCandidates(candidates, now)
	start := (req.Page - 1) * req.PerPage
	if start >= len(candidates) {
		return answer, nil
	}
	page := candidates[start:min(start+req.PerPage, len(candidates))]
	ids := make([]string, len(page))
	for i, c := range page {
		ids[i] = c.Message
	}
	messages, err := app.FindRecordsByIds("messages", ids)
	if err != nil {
		return answer, err
	}
	// The index keeps the room and author a message had when it was written; the message itself is what
	// counts (a superuser, the dashboard or the sqlite3 CLI may move it), so both are checked again here,
	// and the room and author shown are the message's own.
	byID := make(map[string]*core.Record, len(messages))
	authorIDs := make([]string, 0, len(messages))
	roomIDs := make([]string, 0, len(messages))
	for _, m := range messages {
		room, author := m.GetString("room"), m.GetString("user")
		if _, ok := readable[room]; !ok || slices.Contains(blocked, author) {
			continue
		}
		byID[m.Id] = m
		authorIDs = append(authorIDs, author)
		roomIDs = append(roomIDs, room)
	}
	authors, err := app.FindRecordsByIds("users", authorIDs)
	if err != nil {
		return answer, err
	}
	rooms, err := searchRoomsByID(app, roomIDs)
	if err != nil {
		return answer, err
	}
	people := make(map[string]map[string]any, len(authors))
	for _, a := range authors {
		people[a.Id] = map[string]any{
			"id": a.Id, "username": a.GetString("username"), "name": a.GetString("name"),
			"avatar": a.GetString("avatar"), "collectionId": a.Collection().Id, "collectionName": a.Collection().Name,
		}
	}
	for _, c := range page {
		message, ok := byID[c.Message]
		if !ok {
			continue // deleted since the index was read, or no longer the caller's to read
		}
		room, ok := rooms[message.GetString("room")]
		if !ok {
			continue // its room was deleted since (with its messages, an instant later)
		}
		item := message.PublicExport()
		item["matches"] = searchMatches(message.GetString("text"), req.Terms)
		expand := map[string]any{"room": room}
		if author, ok := people[message.GetString("user")]; ok {
			expand["user"] = author
		}
		item["expand"] = expand
		answer.Items = append(answer.Items, item)
	}
	return answer, nil
}

// searchSnapshot is a read transaction on PocketBase's pool of readers: every query of a search's index
// (FTS5, the gone and pending rows, the row numbers) sees one state of the database, whatever the merger
// commits meanwhile. release ends it.
func searchSnapshot(app core.App) (dbx.Builder, func(), error) {
	db, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		return app.DB(), func() {}, nil // already inside a transaction: that is the snapshot
	}
	tx, err := db.Begin()
	if err != nil {
		return nil, nil, err
	}
	return tx, func() { _ = tx.Rollback() }, nil
}
