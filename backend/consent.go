package main

import (
	"net/http"
	"slices"

	"github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Consent: nobody is put into a private room or a direct conversation by someone else. The rules in
// pb_migrations/1795700030_consent.js let a creator be the only member of a new room and everyone else
// only `invited`; this file holds what rules cannot say:
//
//   - the routes by which a person changes their own place in a room: accept or decline an invitation,
//     leave a room (an owner hands it on or, alone, deletes it), close a direct conversation;
//   - that an update through the API never adds anyone to `members` (people join by accepting), and
//     that nobody can invite a person who blocked them;
//   - that a closed direct conversation re-opens for its people when a new message arrives (except for
//     whoever blocked the author), and that each person sees only themself in `closedBy`;
//   - who blocked whom is kept in memory per author (blocks.go), so the realtime broadcast
//     (room_broadcast.go) skips a blocked author's messages without a query per subscriber.

// blockedFieldError is what an inviter sees when the invitee blocked them. Neither its words nor its
// code may say so: a block is visible to nobody but the person who made it.
var blockedFieldError = validation.NewError("validation_cannot_add", "You can't add this person.")

func bindConsent(app core.App) {
	forgetBlock := func(e *core.RecordEvent) error {
		blocks.forget(e.Record.GetString("blocked"), e.Record.Original().GetString("blocked"))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("blocks").BindFunc(forgetBlock)
	app.OnRecordAfterUpdateSuccess("blocks").BindFunc(forgetBlock)
	app.OnRecordAfterDeleteSuccess("blocks").BindFunc(forgetBlock)

	app.OnRecordCreateRequest("rooms").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := checkRoomPeople(e, true); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("rooms").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := checkRoomPeople(e, false); err != nil {
			return err
		}
		return e.Next()
	})

	// Whether someone closed a conversation is theirs to know: the other person sees an empty list.
	app.OnRecordEnrich("rooms").BindFunc(func(e *core.RecordEnrichEvent) error {
		auth := e.RequestInfo.Auth
		if auth == nil || !auth.IsSuperuser() {
			closed := e.Record.GetStringSlice("closedBy")
			if auth != nil && slices.Contains(closed, auth.Id) {
				e.Record.Set("closedBy", []string{auth.Id})
			} else if len(closed) > 0 {
				e.Record.Set("closedBy", []string{})
			}
		}
		return e.Next()
	})

	app.OnRecordAfterCreateSuccess("messages").BindFunc(func(e *core.RecordEvent) error {
		if err := reopenDirect(e.App, e.Record); err != nil {
			e.App.Logger().Warn("Could not re-open a closed direct conversation for a new message",
				"message", e.Record.Id, "error", err.Error())
		}
		return e.Next()
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		group := se.Router.Group("/api/palaver/rooms/{id}")
		group.Bind(apis.RequireAuth("users"))
		group.POST("/join", func(e *core.RequestEvent) error { return changeOwnPlace(e, join) }) // public_rooms.go
		group.POST("/accept", func(e *core.RequestEvent) error { return changeOwnPlace(e, accept) })
		group.POST("/decline", func(e *core.RequestEvent) error { return changeOwnPlace(e, decline) })
		group.POST("/leave", func(e *core.RequestEvent) error { return changeOwnPlace(e, leave) })
		group.POST("/close", func(e *core.RequestEvent) error { return changeOwnPlace(e, closeDirect) })
		return se.Next()
	})
}

// checkRoomPeople refuses, for a room created or changed through the API by anyone but a superuser,
// members added by someone other than themselves, and invitations the creator cannot give: to
// themself, to members, or to someone who blocked them.
func checkRoomPeople(e *core.RecordRequestEvent, isNew bool) error {
	if e.HasSuperuserAuth() || e.Auth == nil {
		return nil
	}
	caller := e.Auth.Id
	room := e.Record
	members := room.GetStringSlice("members")
	invited := room.GetStringSlice("invited")
	var before, invitedBefore []string
	if !isNew {
		before = room.Original().GetStringSlice("members")
		invitedBefore = room.Original().GetStringSlice("invited")
	}

	for _, id := range members {
		if id != caller && !slices.Contains(before, id) {
			return e.BadRequestError("Only the people themselves can join a room.", validation.Errors{
				"members": validation.NewError("validation_invite_instead",
					"People join by accepting an invitation: invite them instead."),
			})
		}
	}

	blockers, err := blocks.blockersOf(e.App, caller)
	if err != nil {
		return e.InternalServerError("Could not check whom you may invite; try again.", err)
	}
	for _, id := range invited {
		if slices.Contains(invitedBefore, id) {
			continue
		}
		if id == caller {
			message := "You are already in this room."
			if room.GetString("kind") == "direct" {
				message = "Choose someone other than yourself."
			}
			return e.BadRequestError("You can't invite yourself.", validation.Errors{
				"invited": validation.NewError("validation_invite_self", message),
			})
		}
		if slices.Contains(members, id) {
			return e.BadRequestError("This person is already a member.", validation.Errors{
				"invited": validation.NewError("validation_already_member", "This person is already in the room."),
			})
		}
		if _, blocked := blockers[id]; blocked {
			return e.BadRequestError("You can't add this person.", validation.Errors{"invited": blockedFieldError})
		}
	}
	return nil
}

// reopenDirect takes everyone out of a direct conversation's `closedBy` when a message arrives in it,
// except those who blocked its author: for them it stays closed.
func reopenDirect(app core.App, message *core.Record) error {
	room, err := app.FindRecordById("rooms", message.GetString("room"))
	if err != nil || room.GetString("kind") != "direct" {
		return nil
	}
	closed := room.GetStringSlice("closedBy")
	if len(closed) == 0 {
		return nil
	}
	blockers, err := blocks.blockersOf(app, message.GetString("user"))
	if err != nil {
		return err
	}
	still := []string{}
	for _, id := range closed {
		if _, blocked := blockers[id]; blocked {
			still = append(still, id)
		}
	}
	if len(still) == len(closed) {
		return nil
	}
	room.Set("closedBy", still)
	return app.Save(room)
}

// placeChange changes the caller's place in a room they can see, inside a transaction (the room is
// read again there, so two changes at once never undo each other). It returns the room to send back,
// or nil for no content.
type placeChange func(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error)

func changeOwnPlace(e *core.RequestEvent, change placeChange) error {
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

	var result *core.Record
	err = e.App.RunInTransaction(func(txApp core.App) error {
		fresh, err := txApp.FindRecordById("rooms", id)
		if err != nil {
			return e.NotFoundError("The room is gone.", nil)
		}
		result, err = change(txApp, e, fresh)
		return err
	})
	if err != nil {
		return err
	}
	if result == nil {
		return e.NoContent(http.StatusNoContent)
	}
	if err := apis.EnrichRecord(e, result); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, result)
}

func accept(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error) {
	me := e.Auth.Id
	if !slices.Contains(room.GetStringSlice("invited"), me) {
		return nil, notInvited(e, room)
	}
	room.Set("invited-", me)
	if !slices.Contains(room.GetStringSlice("members"), me) {
		room.Set("members+", me)
	}
	if err := txApp.Save(room); err != nil {
		return nil, e.BadRequestError("Could not join the room.", err)
	}
	return room, nil
}

func decline(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error) {
	if !slices.Contains(room.GetStringSlice("invited"), e.Auth.Id) {
		return nil, notInvited(e, room)
	}
	room.Set("invited-", e.Auth.Id)
	if err := txApp.Save(room); err != nil {
		return nil, e.BadRequestError("Could not decline the invitation.", err)
	}
	return nil, nil
}

func notInvited(e *core.RequestEvent, room *core.Record) error {
	if slices.Contains(room.GetStringSlice("members"), e.Auth.Id) {
		return e.BadRequestError("You are already a member of this room.", nil)
	}
	return e.BadRequestError("You have no invitation to this room.", nil)
}

// leave takes the caller out of a room's members. An owner who leaves hands the room to the successor
// they name (a member) or else to the longest-standing member; an owner alone deletes a private room
// with its messages, while a public room, which others may have written in without being members,
// stays without an owner, like "general".
func leave(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error) {
	me := e.Auth.Id
	kind := room.GetString("kind")
	members := room.GetStringSlice("members")
	if kind == "direct" {
		return nil, e.BadRequestError("A direct conversation cannot be left: close it instead.", nil)
	}
	if !slices.Contains(members, me) {
		switch {
		case slices.Contains(room.GetStringSlice("invited"), me):
			return nil, e.BadRequestError("You are invited, not a member: decline the invitation instead.", nil)
		case kind == "public":
			return nil, e.BadRequestError("You have not joined this room, so there is nothing to leave.", nil)
		default:
			return nil, e.BadRequestError("You are not a member of this room.", nil)
		}
	}

	info, err := e.RequestInfo()
	if err != nil {
		return nil, e.BadRequestError("Could not read the request.", err)
	}
	successor, _ := info.Body["successor"].(string)
	remaining := slices.DeleteFunc(slices.Clone(members), func(id string) bool { return id == me })

	if room.GetString("owner") != me {
		if successor != "" {
			return nil, e.BadRequestError("Only the owner hands a room on.", validation.Errors{
				"successor": validation.NewError("validation_not_owner", "Only the room's owner chooses who takes it over."),
			})
		}
	} else {
		if successor != "" && !slices.Contains(remaining, successor) {
			return nil, e.BadRequestError("The new owner must be a member of the room.", validation.Errors{
				"successor": validation.NewError("validation_not_member", "Choose one of the room's members."),
			})
		}
		if successor == "" && len(remaining) > 0 {
			// Ownership carries moderation (moderators.go): a moderator the owner trusted takes it over
			// before the longest-standing member, who in a public room may be anyone who joined early.
			successor = remaining[0]
			for _, id := range room.GetStringSlice("moderators") {
				if slices.Contains(remaining, id) {
					successor = id
					break
				}
			}
		}
		if successor == "" && kind != "public" {
			if err := txApp.Delete(room); err != nil {
				return nil, e.BadRequestError("Could not delete the room.", err)
			}
			return nil, nil
		}
		room.Set("owner", successor)
	}
	room.Set("members", remaining)
	if err := txApp.Save(room); err != nil {
		return nil, e.BadRequestError("Could not leave the room.", err)
	}
	return nil, nil
}

func closeDirect(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error) {
	me := e.Auth.Id
	if room.GetString("kind") != "direct" {
		return nil, e.BadRequestError("Only a direct conversation can be closed: leave a room instead.", nil)
	}
	if !slices.Contains(room.GetStringSlice("members"), me) {
		return nil, e.BadRequestError("You are invited, not in this conversation: decline the invitation instead.", nil)
	}
	if slices.Contains(room.GetStringSlice("closedBy"), me) {
		return nil, nil
	}
	room.Set("closedBy+", me)
	if err := txApp.Save(room); err != nil {
		return nil, e.BadRequestError("Could not close the conversation.", err)
	}
	return nil, nil
}
