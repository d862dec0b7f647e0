package main

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// memberCountField is the read-only number of people in a public room, computed for every answer and
// realtime event; it is not a column, so no request can write it.
const memberCountField = "memberCount"

// bindPublicRoomMembers keeps a public room's record small whatever its size. Everyone joins the
// default room, so its `members` holds every account: sent whole (and expanded) with every room list,
// and to every `rooms/*` subscriber on every join or leave, it grew with the server (see bench/README.md).
//
// For everyone but superusers, a public room's `members` is shown as just the caller when they joined it,
// else empty, and the record carries `memberCount`. Who is in a room is asked for page by page instead,
// at GET /api/palaver/rooms/{id}/members. Only the answer changes: the API rules, which
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

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/palaver/rooms/{id}/members", roomMembers).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
}

const (
	membersPerPageDefault = 50
	membersPerPageMax     = 200
	// maxMemberSearch bounds a search's length in characters: longer than any name.
	maxMemberSearch = 100
)

// likeEscaper makes a search's own % and _ (and the escape character) match themselves in LIKE.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func truncateRunes(s string, n int) string {
	if runes := []rune(s); len(runes) > n {
		return string(runes[:n])
	}
	return s
}

// roomMembers answers GET /api/palaver/rooms/{id}/members?page=&perPage=&search=: a page of the room's
// people, ordered by the name the app shows (the chosen name, else the username), in PocketBase's list format,
// the users' list rule and field privacy applied as on /api/collections/users/records. Anyone who may
// see the room may ask; for anyone else the room does not exist.
//
// Not a users filter through the relation read backwards (`rooms_via_members.id ?= …`): PocketBase joins
// every account with every room's members for it, which took seconds with a thousand accounts in two
// rooms (bench/README.md). Here the room's own members list is read, and only its page is fetched.
//
// `search` keeps the people whose username or chosen name contains it (any letter case): what the composer
// suggests after `@` in a public room, whose mentions count only for members (mentions.go). Never the
// email, which the users' field privacy hides: a search must not be a way to probe for it. totalItems
// stays the room's size.
func roomMembers(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	room, err := e.App.FindRecordById("rooms", id)
	if err != nil {
		return e.NotFoundError("There is no such room, or you cannot see it.", nil)
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("Could not read the request.", err)
	}
	if visible, _ := e.App.CanAccessRecord(room, info, room.Collection().ViewRule); !visible {
		return e.NotFoundError("There is no such room, or you cannot see it.", nil)
	}
	page := positiveParam(e, "page", 1)
	perPage := min(positiveParam(e, "perPage", membersPerPageDefault), membersPerPageMax)

	users, err := e.App.FindCollectionByNameOrId("users")
	if err != nil {
		return e.InternalServerError("", err)
	}
	if users.ListRule == nil {
		return e.ForbiddenError("Only superusers may list people.", nil)
	}
	query := e.App.RecordQuery(users).AndWhere(dbx.NewExp(
		"[[users.id]] IN (SELECT value FROM json_each((SELECT [[members]] FROM [[rooms]] WHERE [[id]] = {:room})))",
		dbx.Params{"room": room.Id}))
	if *users.ListRule != "" {
		resolver := core.NewRecordFieldResolver(e.App, users, info, true)
		expr, err := search.FilterData(*users.ListRule).BuildExpr(resolver)
		if err != nil {
			return e.InternalServerError("", err)
		}
		query.AndWhere(expr)
		if err := resolver.UpdateQuery(query); err != nil {
			return e.InternalServerError("", err)
		}
	}
	if term := strings.TrimSpace(e.Request.URL.Query().Get("search")); term != "" {
		pattern := "%" + likeEscaper.Replace(truncateRunes(term, maxMemberSearch)) + "%"
		query.AndWhere(dbx.NewExp(
			`([[users.username]] LIKE {:search} ESCAPE '\' OR [[users.name]] LIKE {:search} ESCAPE '\')`,
			dbx.Params{"search": pattern}))
	}
	records := []*core.Record{}
	err = query.
		OrderBy("(CASE WHEN trim([[users.name]]) = '' THEN [[users.username]] ELSE [[users.name]] END) COLLATE NOCASE ASC", "[[users.id]] ASC").
		Limit(int64(perPage)).Offset(int64((page - 1) * perPage)).
		All(&records)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := apis.EnrichRecords(e, records); err != nil {
		return e.InternalServerError("", err)
	}
	// The same count as the room's memberCount.
	total := len(room.GetStringSlice("members"))
	return e.JSON(http.StatusOK, map[string]any{
		"page":       page,
		"perPage":    perPage,
		"totalItems": total,
		"totalPages": (total + perPage - 1) / perPage,
		"items":      records,
	})
}

// positiveParam is a whole-number query parameter of at least 1, or its default when absent or not one.
func positiveParam(e *core.RequestEvent, name string, fallback int) int {
	value, err := strconv.Atoi(e.Request.URL.Query().Get(name))
	if err != nil || value < 1 {
		return fallback
	}
	return value
}
