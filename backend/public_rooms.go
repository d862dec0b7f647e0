package main

import (
	"database/sql"
	"errors"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Public rooms have members: the people who joined them. Joining decides whose room list shows a
// public room; reading and posting in it stay open to everyone signed in (the rules in
// pb_migrations/1795700040_public_membership.js). People join by the route below (registered with the
// other routes by which people change their own place, in consent.go) and leave by `…/leave`; a new
// account joins the default room, `general`, so that its list is not empty.

// defaultRoomName is the public room a fresh server has and every new account joins.
const defaultRoomName = "general"

func bindPublicRooms(app core.App) {
	app.OnRecordAfterCreateSuccess("users").BindFunc(func(e *core.RecordEvent) error {
		// The account exists either way: a sign-up never fails because the room could not be joined,
		// and the app shows #general to someone who has not joined it anyway.
		if err := joinDefaultRoom(e.App, e.Record.Id); err != nil {
			e.App.Logger().Warn("A new account could not join the default room",
				"user", e.Record.Id, "room", defaultRoomName, "error", err.Error())
		}
		return e.Next()
	})
}

// joinDefaultRoom adds a user to `general` with one SQL statement, which two sign-ups at once cannot
// undo for each other. Not a save: a save would send everyone signed in a realtime event for the room,
// its people expanded, per sign-up, and nobody's screen needs the newcomer at that moment (they load
// their rooms after signing in). A server whose `general` was deleted has no default room to join.
func joinDefaultRoom(app core.App, userId string) error {
	_, err := app.NonconcurrentDB().NewQuery(`
		UPDATE rooms
		SET members = json_insert(CASE WHEN json_valid(members) THEN members ELSE '[]' END, '$[#]', {:user})
		WHERE kind = 'public' AND name = {:name} COLLATE NOCASE
			AND NOT EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(members) THEN members ELSE '[]' END) WHERE value = {:user})`).
		Bind(dbx.Params{"user": userId, "name": defaultRoomName}).Execute()
	if err != nil {
		return err
	}
	// Read up to now, as anyone who joins a room (read_markers_join.go): #general's history is not news.
	var room struct {
		ID string `db:"id"`
	}
	err = app.NonconcurrentDB().NewQuery(`SELECT id FROM rooms WHERE kind = 'public' AND name = {:name} COLLATE NOCASE LIMIT 1`).
		Bind(dbx.Params{"name": defaultRoomName}).One(&room)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	return markReadUpToNow(app, room.ID, []string{userId})
}

// join adds the caller to a public room's members (POST /api/palaver/rooms/{id}/join). Private rooms
// and direct conversations are joined only by accepting an invitation: consent is the invitee's, and an
// invitation is the owner's.
func join(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error) {
	me := e.Auth.Id
	switch room.GetString("kind") {
	case "public":
	case "direct":
		return nil, e.BadRequestError("A direct conversation cannot be joined: it is between its two people only.", nil)
	default:
		if slices.Contains(room.GetStringSlice("invited"), me) {
			return nil, e.BadRequestError("You are invited to this private room: accept the invitation to join it.", nil)
		}
		return nil, e.BadRequestError("A private room is joined by invitation only: ask its owner to invite you.", nil)
	}
	if slices.Contains(room.GetStringSlice("members"), me) {
		return nil, e.BadRequestError("You are already in this room.", nil)
	}
	room.Set("members+", me)
	if err := txApp.Save(room); err != nil {
		return nil, e.BadRequestError("Could not join the room; try again.", err)
	}
	return room, nil
}
