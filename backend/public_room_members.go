package main

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// memberCountField is the read-only number of people in a public room, computed for every answer and
// realtime event; it is not a column, so no request can write it.
const memberCountField = "memberCount"

// bindPublicRoomMembers keeps a public room's record small whatever its size. Everyone joins the
// default room, so its `members` holds every account: sent whole (and expanded) with every room list,
// and to every `rooms/*` subscriber on every join or leave, it grew with the server (see bench/README.md).
//
// For everyone but superusers, a public room's `members` is shown as just the caller when they joined it,
// else empty, and the record carries `memberCount`. Who is in a public room is asked for page by page
// instead (users filtered by `rooms_via_members.id`). Only the answer changes: the API rules, which
// run before this, still read the real column. Private rooms and direct conversations show all their
// people to those who may see them, as before.
//
// An enrich hook serves REST answers (list, view, the /api/palaver/rooms routes) and realtime events
// alike; PocketBase expands relations after the enrich hooks have run, so the `members` expand then
// holds at most the caller too.
func bindPublicRoomMembers(app core.App) {
	app.OnRecordEnrich("rooms").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.Record.GetString("kind") != "public" {
			return e.Next()
		}
		members := e.Record.GetStringSlice("members")
		e.Record.WithCustomData(true)
		e.Record.Set(memberCountField, len(members))
		auth := e.RequestInfo.Auth
		if auth == nil || !auth.IsSuperuser() {
			if auth != nil && slices.Contains(members, auth.Id) {
				e.Record.Set("members", []string{auth.Id})
			} else {
				e.Record.Set("members", []string{})
			}
		}
		return e.Next()
	})
}
