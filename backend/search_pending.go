package main

import (
	"context"

	"github.com/pocketbase/dbx"
)

// Rows of message_search_pending (migration 1795700140: values not merged into FTS5 yet) are searched
// here, in Go, with the meaning of the MATCH expression that searchMatchExpression gives FTS5 for the
// same terms: every positive term and no excluded one is in the text, a term being its tokens
// consecutive (the last one as a prefix for `word*`), the room and author being equal. The tokens are
// search_matches.go's, which cut and fold text as FTS5's `unicode61 remove_diacritics 2` does; the
// ranking reads the same length FTS5's docsize would hold for the row. search_pending_test.go runs a
// corpus of queries over the same messages once all pending and once all merged and compares the answers.

// searchPendingScanCap is how many pending rows (the newest, in the date filters' range of rows) a search
// reads at most, whether or not they are in its room or by its author. Normally the queue holds the last
// half second of writes; after the server was stopped while the sqlite3 CLI wrote a million messages it
// holds them all until the merger is done, and a search then answers from the newest of them with
// `more: true` (a search of a small room may find none of its messages among them).
var searchPendingScanCap = 5000

// searchPendingLength is the length in tokens FTS5 stores for the text column of a row (its docsize),
// for ranking a pending row as it will be once merged.
func searchPendingLength(tokens []searchToken) int {
	return len(tokens)
}

// pendingMatch is whether a text cut into tokens matches the terms as FTS5 would match
// `text : ((positive AND ...) NOT (negative OR ...))`.
func pendingMatch(tokens []searchToken, terms []searchTerm) bool {
	return compilePendingTerms(terms).match(tokens)
}

// pendingTerms are a query's terms cut into tokens once, for every pending row a search evaluates.
type pendingTerms []struct {
	wanted           []searchToken
	prefix, excluded bool
}

func compilePendingTerms(terms []searchTerm) pendingTerms {
	var compiled pendingTerms
	for _, term := range terms {
		wanted := searchTokens(term.Text)
		if len(wanted) == 0 {
			continue // searchMatchExpression leaves it out too
		}
		compiled = append(compiled, struct {
			wanted           []searchToken
			prefix, excluded bool
		}{wanted, term.Prefix, term.Exclude})
	}
	return compiled
}

func (terms pendingTerms) match(tokens []searchToken) bool {
	positive := false
	for _, term := range terms {
		found := false
		for i := 0; i+len(term.wanted) <= len(tokens) && !found; i++ {
			found = tokensMatch(tokens[i:i+len(term.wanted)], term.wanted, term.prefix)
		}
		if term.excluded {
			if found {
				return false
			}
			continue
		}
		if !found {
			return false
		}
		positive = true
	}
	return positive
}

// findPendingCandidates is the pending rows that match, newest first, in the caller's snapshot db.
// rows and params are the date bounds as ranges of row numbers (p.row, the primary key of the queue);
// the room, author and created dates are checked here, in Go, on the rows read: the queue has no index
// on them, and a filter in SQL would read the whole queue to find searchPendingScanCap rows of a small
// room in a backlog. more: there were queued rows in range beyond searchPendingScanCap, not looked at.
func findPendingCandidates(ctx context.Context, db dbx.Builder, req searchRequest, rows string, params dbx.Params) ([]searchCandidate, bool, error) {
	bound := dbx.Params{"limit": searchPendingScanCap + 1}
	for k, v := range params {
		bound[k] = v
	}
	queued, err := db.NewQuery(`SELECT p.row, r.message, p.room, p.user, r.created, p.text
		FROM message_search_pending p JOIN message_search_rows r ON r.row = p.row
		WHERE 1 = 1` + rows + ` ORDER BY p.row DESC LIMIT {:limit}`).Bind(bound).WithContext(ctx).Rows()
	if err != nil {
		return nil, false, err
	}
	defer queued.Close()
	var found []searchCandidate
	seen := 0
	terms := compilePendingTerms(req.Terms)
	for queued.Next() {
		if seen == searchPendingScanCap {
			return found, true, nil
		}
		seen++
		var c searchCandidate
		var text string
		if err := queued.Scan(&c.Row, &c.Message, &c.Room, &c.User, &c.Create, &text); err != nil {
			return nil, false, err
		}
		if (req.Room != nil && c.Room != req.Room.ID) || (req.From != nil && c.User != req.From.ID) ||
			(req.BeforeBound != "" && c.Create >= req.BeforeBound) || (req.AfterBound != "" && c.Create < req.AfterBound) {
			continue // SQLite compares these TEXT values bytewise (BINARY), as Go does
		}
		tokens := searchTokens(text)
		if !terms.match(tokens) {
			continue
		}
		c.Length = searchPendingLength(tokens)
		found = append(found, c)
	}
	return found, false, queued.Err()
}
