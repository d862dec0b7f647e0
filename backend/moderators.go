package main

import (
	"slices"

	"github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Moderators (pb_migrations/1795700160_room_moderators.js): members a room's owner appointed to keep it
// tidy. The rules let only the owner change `moderators` and let the owner and moderators delete anyone's
// message outside direct conversations; this file holds what rules cannot say:
//
//   - moderators are members and never the owner: an appointment of anyone else is refused, and whoever
//     leaves or is removed (or takes the room over) stops moderating, on every path that saves a room;
//   - a direct conversation has no moderators;
//   - POST /api/palaver/rooms/{id}/remove: the owner or a moderator takes a member out of a private room,
//     never the owner, and a moderator never another moderator;
//   - every moderation action appends to the audit log (audit_log.go) in its own transaction: a message
//     deleted by someone other than its author (a thread's replies included: thread_removal.go), a member
//     removed, a moderator appointed or removed. An author deleting their own message, or anyone leaving,
//     is no moderation and leaves no entry;
//   - a moderated delete says so in its realtime event (room_broadcast.go), so every client showing the
//     message puts "removed by a moderator" where it was.

const moderatorsField = "moderators"

// removedByField marks a message record deleted by someone other than its author, for its delete event.
// It is not a column: set on the record being deleted, read by the broadcast after the commit.
const removedByField = "removedBy"

// removedByModerator is the one value of removedByField: owners and superusers count as moderators here,
// since who among them acted is the audit log's to say, not every reader's.
const removedByModerator = "moderator"

func bindModerators(app core.App) {
	// Every save of a room, whatever its path (the API, the leave and remove routes, the dashboard).
	app.OnRecordUpdate("rooms").BindFunc(func(e *core.RecordEvent) error {
		keepModeratorsMembers(e.Record)
		return e.Next()
	})
	app.OnRecordCreate("rooms").BindFunc(func(e *core.RecordEvent) error {
		keepModeratorsMembers(e.Record)
		return e.Next()
	})

	app.OnRecordCreateRequest("rooms").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := checkAppointments(e, nil); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("rooms").BindFunc(func(e *core.RecordRequestEvent) error {
		before := e.Record.Original()
		if err := checkAppointments(e, before.GetStringSlice(moderatorsField)); err != nil {
			return err
		}
		// Worked out here, as the save will store it, so the entries are written before the save answers.
		keepModeratorsMembers(e.Record)
		entries := roomChangeEntries(e.Auth, before, e.Record)
		if e.Auth == nil || len(entries) == 0 {
			return e.Next()
		}
		return withAudit(&e.App, entries, e.Next)
	})

	app.OnRecordDeleteRequest("messages").BindFunc(func(e *core.RecordRequestEvent) error {
		author := e.Record.GetString("user")
		if e.Auth == nil {
			return e.Next() // the delete rule refuses it
		}
		moderated := e.Auth.IsSuperuser() || e.Auth.Id != author
		entries := []auditEntry{}
		if moderated {
			e.Record.Set(removedByField, removedByModerator)
			entries = append(entries, auditEntry{
				Actor:            e.Auth,
				Action:           auditMessageDeleted,
				TargetCollection: "messages",
				Target:           e.Record.Id,
				Room:             e.Record.GetString("room"),
				Detail:           map[string]any{"author": author, "text": e.Record.GetString("text")},
			})
		}
		// A root's replies go first, each a removal of its own (thread_removal.go), in the same transaction.
		return withAudit(&e.App, entries, func() error {
			if _, err := removeReplies(e.App, e.Record, e.Auth, e.Auth.Id, moderated); err != nil {
				return err
			}
			return e.Next()
		})
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/palaver/rooms/{id}/remove", func(e *core.RequestEvent) error {
			return changeOwnPlace(e, removeMember) // consent.go: the room read again in a transaction
		}).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
}

// withAudit appends the entries and runs the action (the request's own save or delete) in one
// transaction, the entries first: the action answers the client, so nothing may fail after it.
// *app is the transaction's while it runs, so the action's save joins it.
func withAudit(app *core.App, entries []auditEntry, action func() error) error {
	original := *app
	defer func() { *app = original }()
	return original.RunInTransaction(func(txApp core.App) error {
		*app = txApp
		for _, entry := range entries {
			if err := appendAudit(txApp, entry); err != nil {
				return err
			}
		}
		return action()
	})
}

// keepModeratorsMembers drops from a room's moderators whoever is not (or no longer) a member, and the
// owner, who needs no appointment. A direct conversation has none.
func keepModeratorsMembers(room *core.Record) {
	moderators := room.GetStringSlice(moderatorsField)
	if len(moderators) == 0 {
		return
	}
	members := room.GetStringSlice("members")
	owner := room.GetString("owner")
	direct := room.GetString("kind") == "direct"
	kept := slices.DeleteFunc(slices.Clone(moderators), func(id string) bool {
		return direct || id == owner || !slices.Contains(members, id)
	})
	if len(kept) != len(moderators) {
		room.Set(moderatorsField, kept)
	}
}

// checkAppointments refuses, with a field error the owner can read, a moderator newly appointed who is
// not a member, who is the owner, or who would moderate a direct conversation. Those appointed before
// are not checked again: one removed from the room in the same request simply stops moderating.
func checkAppointments(e *core.RecordRequestEvent, before []string) error {
	room := e.Record
	members := room.GetStringSlice("members")
	for _, id := range room.GetStringSlice(moderatorsField) {
		if slices.Contains(before, id) {
			continue
		}
		var problem validation.Error
		switch {
		case room.GetString("kind") == "direct":
			problem = validation.NewError("validation_direct_no_moderators",
				"A direct conversation has no moderators: it is between its two people only.")
		case id == room.GetString("owner"):
			problem = validation.NewError("validation_moderator_owner",
				"The owner already does everything a moderator does.")
		case !slices.Contains(members, id):
			problem = validation.NewError("validation_moderator_not_member",
				"Only members of the room can moderate it: choose one of its members.")
		default:
			continue
		}
		return e.BadRequestError("The moderators were not changed.", validation.Errors{moderatorsField: problem})
	}
	return nil
}

// roomChangeEntries are the audit entries of an update of a room through the API: members the caller
// removed, moderators appointed, and moderators removed from the role while staying members (one who is
// also removed from the room is that member's entry, with `moderator` in its detail).
func roomChangeEntries(actor *core.Record, before, after *core.Record) []auditEntry {
	entries := []auditEntry{}
	entry := func(action, user string, detail map[string]any) {
		entries = append(entries, auditEntry{
			Actor: actor, Action: action, TargetCollection: "users", Target: user, Room: after.Id, Detail: detail,
		})
	}
	members := after.GetStringSlice("members")
	moderatorsBefore := before.GetStringSlice(moderatorsField)
	moderators := after.GetStringSlice(moderatorsField)
	for _, id := range before.GetStringSlice("members") {
		if !slices.Contains(members, id) && (actor == nil || id != actor.Id) {
			entry(auditMemberRemoved, id, map[string]any{"moderator": slices.Contains(moderatorsBefore, id)})
		}
	}
	for _, id := range moderators {
		if !slices.Contains(moderatorsBefore, id) {
			entry(auditModeratorAdded, id, nil)
		}
	}
	for _, id := range moderatorsBefore {
		if !slices.Contains(moderators, id) && slices.Contains(members, id) {
			entry(auditModeratorRemoved, id, nil)
		}
	}
	return entries
}

// moderates says whether someone may delete others' messages in a room and remove its members: its owner
// and its moderators, outside direct conversations. (The messages delete rule says the same.)
func moderates(room *core.Record, userID string) bool {
	if userID == "" || room.GetString("kind") == "direct" {
		return false
	}
	return room.GetString("owner") == userID || slices.Contains(room.GetStringSlice(moderatorsField), userID)
}

// removeMember takes `member` out of a private room (POST /api/palaver/rooms/{id}/remove {member}) for its
// owner or a moderator, with the audit entry in the same transaction. A public room's members are only
// those who keep it in their list: anyone signed in reads it and can join again, so a removal there would
// keep nobody out and is refused with what to do instead.
func removeMember(txApp core.App, e *core.RequestEvent, room *core.Record) (*core.Record, error) {
	me := e.Auth.Id
	if !moderates(room, me) {
		if room.GetString("kind") == "direct" {
			return nil, e.BadRequestError("Nobody is removed from a direct conversation: close it, or block the person.", nil)
		}
		return nil, e.ForbiddenError("Only the room's owner and its moderators remove people from it.", nil)
	}
	if room.GetString("kind") == "public" {
		return nil, e.BadRequestError("Anyone signed in reads and joins a public room, so removing someone would not keep them out: "+
			"delete their messages instead, or report them to the server's operators.", nil)
	}
	info, err := e.RequestInfo()
	if err != nil {
		return nil, e.BadRequestError("Could not read the request.", err)
	}
	member, _ := info.Body["member"].(string)
	moderators := room.GetStringSlice(moderatorsField)
	switch {
	case !slices.Contains(room.GetStringSlice("members"), member):
		return nil, e.BadRequestError("That person is not in this room.", validation.Errors{
			"member": validation.NewError("validation_not_member", "Choose one of the room's members."),
		})
	case member == me:
		return nil, e.BadRequestError("To go, leave the room instead.", nil)
	case member == room.GetString("owner"):
		return nil, e.ForbiddenError("Nobody removes a room's owner.", nil)
	case slices.Contains(moderators, member) && room.GetString("owner") != me:
		return nil, e.ForbiddenError("Only the room's owner removes a moderator.", nil)
	}
	if err := appendAudit(txApp, auditEntry{
		Actor: e.Auth, Action: auditMemberRemoved, TargetCollection: "users", Target: member, Room: room.Id,
		Detail: map[string]any{"moderator": slices.Contains(moderators, member)},
	}); err != nil {
		return nil, e.InternalServerError("Could not remove the person; try again.", err)
	}
	room.Set("members-", member)
	if err := txApp.Save(room); err != nil {
		return nil, e.BadRequestError("Could not remove the person; try again.", err)
	}
	return nil, nil
}
