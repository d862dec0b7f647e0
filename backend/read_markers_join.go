package main

import (
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// A person who joins a room has read it up to the moment they joined: their marker is put at the room's
// newest message of its list. Without it the room's whole history would count as unread (up to the
// 1000 cap) for whoever joins a public room, accepts an invitation or signs up into #general, since
// "no marker" counts from the beginning. A marker left from an earlier membership moves forward to now
// (never back). Direct conversations are the exception: what the other person wrote before the second
// one accepted is news to them, and such a conversation is short.
//
// Written with one SQL statement, inside the join's own transaction, as migration 1795700121 did for
// the members before markers existed: no hooks or events per marker (the client loads counts after it
// joins).
func bindJoinedRead(app core.App) {
	app.OnRecordUpdate("rooms").BindFunc(func(e *core.RecordEvent) error {
		before := e.Record.Original().GetStringSlice("members")
		if err := e.Next(); err != nil {
			return err
		}
		after := e.Record.GetStringSlice("members")
		// Most saves change no one's membership (a rename, an invitation), or only remove someone.
		if e.Record.GetString("kind") == "direct" || slices.Equal(after, before) {
			return nil
		}
		// A set, not a search per member: #general may hold 100,000 people, and this runs inside the
		// join's write transaction.
		was := make(map[string]struct{}, len(before))
		for _, id := range before {
			was[id] = struct{}{}
		}
		var joined []string
		for _, id := range after {
			if _, ok := was[id]; !ok {
				joined = append(joined, id)
			}
		}
		return markReadUpToNow(e.App, e.Record.Id, joined)
	})
}

// markReadUpToNow puts these people's markers in the room at its newest message of the list (a reply
// kept to its thread is not one), creating them or moving them forward. A room without messages needs
// none: no marker counts from the beginning, which is then right.
func markReadUpToNow(app core.App, roomID string, people []string) error {
	for _, user := range people {
		_, err := app.NonconcurrentDB().NewQuery(`
			INSERT INTO read_markers (id, user, room, message, readAt)
			SELECT {:id}, {:user}, {:room}, m.id, m.created
			FROM messages m
			WHERE m.room = {:room} AND (m.thread = '' OR m.thread IS NULL OR m.alsoInRoom = TRUE)
			ORDER BY m.created DESC, m.id DESC LIMIT 1
			ON CONFLICT(id) DO UPDATE SET message = excluded.message, readAt = excluded.readAt
			WHERE excluded.readAt > read_markers.readAt`).
			Bind(dbx.Params{"id": readMarkerID(user, roomID), "user": user, "room": roomID}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}
