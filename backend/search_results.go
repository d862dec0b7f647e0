package main

import (
	"context"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// A search's answer: the page of ranked matches, read as the messages API gives them, with their room
// and author (finding the matches: search_candidates.go; their order: search_ranking.go).

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
