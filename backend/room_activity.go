package main

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// bindRoomActivity keeps each direct conversation's `lastMessageAt`, the `created` of its newest message,
// which orders direct conversations by their latest message and decides when the invitee may see one.
// Nobody sets it through the API (the rooms rules refuse a create or update that names it,
// pb_migrations/1795700040_public_membership.js).
//
// Only direct conversations: nothing orders other rooms by it, and a write per message in a busy public
// room would double the writes of the busiest path. A message in another room costs one read (on the
// concurrent pool, no write lock).
//
// It is written with one SQL update, not by saving the room: a save would send the room's subscribers a
// realtime `rooms` event per message, which is the per-subscriber cost the message broadcast exists to
// avoid (room_broadcast.go, bench/README.md). Clients learn the time from the message event itself.
// The exception is a conversation's first message: its invitee may see the room only once it has a
// message, so the room is saved normally and the realtime event brings it to them as an invitation.
//
// Deleting a message does not move `lastMessageAt` back: the conversation was still active then, and
// finding the newest remaining message on each delete would cost a query for an ordering nobody misses.
func bindRoomActivity(app core.App) {
	app.OnRecordAfterCreateSuccess("messages").BindFunc(func(e *core.RecordEvent) error {
		// The message is stored either way; the time is corrected by the room's next message.
		if err := noteLastMessage(e.App, e.Record); err != nil {
			e.App.Logger().Warn("Could not record a direct conversation's latest message time",
				"message", e.Record.Id, "room", e.Record.GetString("room"), "error", err.Error())
		}
		return e.Next()
	})
}

func noteLastMessage(app core.App, message *core.Record) error {
	roomId := message.GetString("room")
	at := message.GetDateTime("created").String()
	var room struct {
		Kind string `db:"kind"`
		Last string `db:"lastMessageAt"`
	}
	err := app.ConcurrentDB().NewQuery("SELECT kind, lastMessageAt FROM rooms WHERE id = {:id}").
		Bind(dbx.Params{"id": roomId}).One(&room)
	// Never moves back: messages can be stored out of order.
	if err != nil || room.Kind != "direct" || room.Last >= at {
		return err
	}
	if room.Last != "" {
		_, err := app.NonconcurrentDB().NewQuery(
			"UPDATE rooms SET lastMessageAt = {:at} WHERE id = {:id} AND lastMessageAt < {:at}").
			Bind(dbx.Params{"at": at, "id": roomId}).Execute()
		return err
	}
	return app.RunInTransaction(func(txApp core.App) error {
		fresh, err := txApp.FindRecordById("rooms", roomId)
		if err != nil || fresh.GetString("lastMessageAt") >= at {
			return nil
		}
		fresh.Set("lastMessageAt", at)
		return txApp.Save(fresh)
	})
}
