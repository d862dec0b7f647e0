package main

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// bindRoomActivity keeps each room's `lastMessageAt`, the `created` of its newest message, which orders
// direct conversations by their latest message. Nobody sets it through the API (the rooms rules refuse
// a create or update that names it, pb_migrations/1795700040_public_membership.js).
//
// It is written with one SQL update per message, not by saving the room: a save would send every
// subscriber who can see the room a realtime `rooms` event, with its people expanded, for every message,
// which is the per-subscriber cost the message broadcast exists to avoid (room_broadcast.go,
// bench/README.md). Clients learn the time from the message event itself.
//
// The exception is a direct conversation's first message: its invitee may see the room only once it has
// a message, so the room is saved normally and the realtime event brings it to them as an invitation.
//
// Deleting a message does not move `lastMessageAt` back: the conversation was still active then, and
// finding the newest remaining message on each delete would cost a query for an ordering nobody misses.
func bindRoomActivity(app core.App) {
	app.OnRecordAfterCreateSuccess("messages").BindFunc(func(e *core.RecordEvent) error {
		// The message is stored either way; the time is corrected by the room's next message.
		if err := noteLastMessage(e.App, e.Record); err != nil {
			e.App.Logger().Warn("Could not record a room's latest message time",
				"message", e.Record.Id, "room", e.Record.GetString("room"), "error", err.Error())
		}
		return e.Next()
	})
}

func noteLastMessage(app core.App, message *core.Record) error {
	roomId := message.GetString("room")
	at := message.GetDateTime("created").String()
	// Never moves back (messages can be stored out of order), and leaves an empty direct conversation
	// to the save below.
	result, err := app.NonconcurrentDB().NewQuery(
		"UPDATE rooms SET lastMessageAt = {:at} WHERE id = {:id} AND lastMessageAt < {:at} " +
			"AND (kind != 'direct' OR lastMessageAt != '')").
		Bind(dbx.Params{"at": at, "id": roomId}).Execute()
	if err != nil {
		return err
	}
	if changed, _ := result.RowsAffected(); changed > 0 {
		return nil
	}
	return app.RunInTransaction(func(txApp core.App) error {
		room, err := txApp.FindRecordById("rooms", roomId)
		if err != nil || room.GetString("kind") != "direct" || room.GetString("lastMessageAt") >= at {
			return nil
		}
		room.Set("lastMessageAt", at)
		return txApp.Save(room)
	})
}
