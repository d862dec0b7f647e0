package main

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// PocketBase's own `messages` topics (`messages/*`, `messages/{id}`, by name or collection id; the app
// itself listens on palaver/messages, room_broadcast.go) send a deleted message whole: PocketBase copies
// the record afresh for each subscriber, dropping what a hook marked on it, so a message a moderator
// removed, or a purge deleted, went out again with its text, files and mentions to everyone who could
// read its room — in a public room, any signed-in account that subscribed, including those who never
// saw it. A delete needs no content: on those topics it now carries only where the message was (id,
// room, thread), as room_broadcast.go's moderated deletes do.

// deleteEventFields are what a delete event keeps of a message on PocketBase's topics.
var deleteEventFields = []string{"id", "collectionId", "collectionName", "room", "thread"}

func bindRealtimeDeletes(app core.App) {
	app.OnRealtimeMessageSend().BindFunc(func(e *core.RealtimeMessageEvent) error {
		if e.Message != nil && onMessagesCollectionTopic(e.App, e.Message.Name) {
			if trimmed, ok := trimDeleteEvent(e.Message.Data); ok {
				e.Message.Data = trimmed
			}
		}
		return e.Next()
	})
}

// onMessagesCollectionTopic says whether a subscription name is one of PocketBase's record topics of the
// messages collection: "messages/*", "messages/ID", the deprecated "messages", by name or by id, each
// with or without "?options=...".
func onMessagesCollectionTopic(app core.App, name string) bool {
	if base, _, found := strings.Cut(name, "?"); found {
		name = base
	}
	collection := strings.SplitN(name, "/", 2)[0]
	if collection == "messages" {
		return true
	}
	messages, err := app.FindCachedCollectionByNameOrId("messages")
	return err == nil && collection == messages.Id
}

// trimDeleteEvent is a `delete` event's data with the record cut down to deleteEventFields, or false for
// any other event (or data it does not recognise, sent as it is: PocketBase encoded it).
func trimDeleteEvent(data []byte) ([]byte, bool) {
	if !bytes.Contains(data, []byte(`"action":"delete"`)) {
		return nil, false // decoded only when it may be a delete: creates and updates are most events
	}
	var event struct {
		Action string         `json:"action"`
		Record map[string]any `json:"record"`
	}
	if err := json.Unmarshal(data, &event); err != nil || event.Action != "delete" || event.Record == nil {
		return nil, false
	}
	kept := map[string]any{}
	for _, field := range deleteEventFields {
		if value, ok := event.Record[field]; ok {
			kept[field] = value
		}
	}
	trimmed, err := json.Marshal(map[string]any{"action": event.Action, "record": kept})
	if err != nil {
		return nil, false
	}
	return trimmed, true
}
