package main

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// MessagesTopic is the realtime topic on which the client receives every message event it may read,
// with the author expanded. It carries the same events as PocketBase's own `messages/*` subscription
// with `expand=user`, decided by the same rule (public room, or a member of the room), but it is
// cheap at scale: PocketBase checks each event against each subscriber's list rule with a database
// query and expands and encodes it once per subscriber, which bench/fanout.ts measured as most of the
// server's work at a thousand subscribers of one room (see bench/README.md). Here the room is read
// once, the event is encoded once, and each subscriber costs a membership check in memory.
//
// Differences from `messages/*`, on purpose: only signed-in accounts receive events (the app has no
// signed-out reading), and subscription options (filter, fields, expand) are accepted but ignored:
// every subscriber gets the same payload.
const MessagesTopic = "palaver/messages"

type messageEvent struct {
	Action string       `json:"action"`
	Record *core.Record `json:"record"`
}

func bindRoomBroadcast(app core.App) {
	broadcast := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			// A failed broadcast must not fail the write that has already been committed; clients
			// catch up from the server on their next reconnect.
			if err := broadcastMessage(e.App, action, e.Record); err != nil {
				e.App.Logger().Warn("Realtime broadcast of a message failed; subscribers will see it on their next catch-up",
					slog.String("topic", MessagesTopic), slog.String("action", action),
					slog.String("message", e.Record.Id), slog.String("error", err.Error()))
			}
			return e.Next()
		}
	}
	app.OnRecordAfterCreateSuccess("messages").BindFunc(broadcast("create"))
	app.OnRecordAfterUpdateSuccess("messages").BindFunc(broadcast("update"))
	app.OnRecordAfterDeleteSuccess("messages").BindFunc(broadcast("delete"))
}

// roomReaders says who may read a room's messages, as the messages list rule does.
type roomReaders struct {
	public  bool
	members []string
}

func (r roomReaders) allows(auth *core.Record) bool {
	if auth == nil {
		return false
	}
	if auth.IsSuperuser() {
		return true
	}
	if auth.Collection().Name != "users" {
		return false
	}
	return r.public || slices.Contains(r.members, auth.Id)
}

func broadcastMessage(app core.App, action string, message *core.Record) error {
	chunks := app.SubscriptionsBroker().ChunkedClients(300)
	if len(chunks) == 0 {
		return nil
	}

	room, err := app.FindRecordById("rooms", message.GetString("room"))
	if err != nil {
		// The room itself was deleted (its messages go with it): its members learn that from the
		// room's own delete event.
		return nil
	}
	// Invitees are not members: nothing of a room reaches them before they accept.
	readers := roomReaders{public: room.GetString("kind") == "public", members: room.GetStringSlice("members")}
	// Once per event, from memory (consent.go): whoever blocked the author does not receive it.
	blockers, err := blocks.blockersOf(app, message.GetString("user"))
	if err != nil {
		return err
	}

	payload, err := encodeMessageEvent(app, action, message)
	if err != nil {
		return err
	}

	for _, chunk := range chunks {
		for _, client := range chunk {
			subs := client.Subscriptions(MessagesTopic)
			if len(subs) == 0 {
				continue
			}
			auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
			if !readers.allows(auth) {
				continue
			}
			if _, blocked := blockers[auth.Id]; blocked {
				continue
			}
			for sub := range subs {
				// The SDK appends "?options=..." to a topic subscribed with options; a longer name that
				// merely starts with ours is another topic.
				if sub != MessagesTopic && !strings.HasPrefix(sub, MessagesTopic+"?") {
					continue
				}
				msg := subscriptions.Message{Name: sub, Data: payload}
				// Sends block until the client's connection takes the message; one slow client must
				// not hold up the others (PocketBase does the same).
				routine.FireAndForget(func() { client.Send(msg) })
			}
		}
	}
	return nil
}

// encodeMessageEvent builds the one payload every reader receives: the message with its author
// expanded as any other account sees them (no email, no verification state) and, for a thread's reply,
// its root as stored now (threads.go has updated its threadInfo before the commit), so a client decides a
// thread notification from this one event. The root is in the reply's room: the same people may read it.
func encodeMessageEvent(app core.App, action string, message *core.Record) ([]byte, error) {
	clean := message.Fresh()
	expand := map[string]any{}
	if author, err := app.FindRecordById("users", clean.GetString("user")); err == nil {
		author.Hide("verified", "emailVisibility")
		author.IgnoreEmailVisibility(false)
		expand["user"] = author
	}
	if rootID := clean.GetString(threadField); rootID != "" {
		// Gone when the reply is deleted with its root: the event goes out without it.
		if root, err := app.FindRecordById("messages", rootID); err == nil {
			expand[threadField] = root
		}
	}
	if len(expand) > 0 {
		clean.SetExpand(expand)
	}
	if action == "delete" && message.GetString(removedByField) != "" {
		// Deleted by a moderator (moderators.go): readers put a placeholder where it was, and what was
		// removed is not sent out again.
		clean.Set("text", "")
		clean.Set(attachmentsField, []string{})
		clean.Set(attachmentInfoField, nil)
		clean.WithCustomData(true)
		clean.Set(removedByField, removedByModerator)
	}
	return json.Marshal(messageEvent{Action: action, Record: clean})
}

// bindRoomDepartures tells people removed from a private room (members who left or were removed,
// invitees who declined or whose invitation was withdrawn) that it is gone for them. PocketBase
// sends a record's update only to those who may still view it, so someone taken out of a private room
// would otherwise keep it in their room list until they reload. Each of them gets a `delete` event for
// the room on every `rooms` subscription they have, in PocketBase's own event format (id and
// collection only: they may no longer see the rest).
func bindRoomDepartures(app core.App) {
	app.OnRecordAfterUpdateSuccess("rooms").BindFunc(func(e *core.RecordEvent) error {
		room := e.Record
		if room.GetString("kind") == "public" {
			return e.Next()
		}
		left := map[string]bool{}
		for _, field := range []string{"members", "invited"} {
			for _, id := range room.Original().GetStringSlice(field) {
				left[id] = true
			}
		}
		for _, field := range []string{"members", "invited"} {
			for _, id := range room.GetStringSlice(field) {
				delete(left, id)
			}
		}
		if len(left) == 0 {
			return e.Next()
		}
		payload, err := json.Marshal(map[string]any{
			"action": "delete",
			"record": map[string]string{"id": room.Id, "collectionId": room.Collection().Id, "collectionName": room.Collection().Name},
		})
		if err != nil {
			return err
		}
		for _, chunk := range e.App.SubscriptionsBroker().ChunkedClients(300) {
			for _, client := range chunk {
				auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
				if auth == nil || !left[auth.Id] {
					continue
				}
				for _, prefix := range []string{room.Collection().Name + "/", room.Collection().Id + "/"} {
					for sub := range client.Subscriptions(prefix) {
						if sub != prefix+"*" && !strings.HasPrefix(sub, prefix+"*?") && sub != prefix+room.Id && !strings.HasPrefix(sub, prefix+room.Id+"?") {
							continue
						}
						msg := subscriptions.Message{Name: sub, Data: payload}
						routine.FireAndForget(func() { client.Send(msg) })
					}
				}
			}
		}
		return e.Next()
	})
}
