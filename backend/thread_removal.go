package main

import (
	"context"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// A thread's replies go with its root (cascadeDelete on messages.thread). PocketBase's cascade deletes each
// reply as a bare record, after the root: nobody would learn who took it, and its delete event would carry
// its text out again even when the root was a moderator's removal. So whoever deletes a root (through the
// API, or a superuser's purge) has its replies deleted here first, in the root's transaction, each as a
// removal in its own right:
//
//   - a reply written by someone other than whoever deletes the root gets its own `message_deleted`
//     entry (author, text, and the thread it was in), as if deleted alone: the audit log names every
//     message one person removed of another's, and a root's author deleting their thread removes others'
//     replies too;
//   - when the root's removal is moderation (its author is not the one deleting it), every reply is
//     marked removed by a moderator: readers get the placeholder, and the replies' text is not sent again.
//     An author deleting their own thread takes its replies with it, unmarked, as the root goes.

// threadGoing marks, in a reply's delete context, that its root is being deleted in the same transaction:
// threads.go then does not work out again the summary of a root about to go.
type threadGoing struct{}

// removeReplies deletes a root's replies with txApp, the transaction the root's delete runs in, before the
// root; actor is who deletes the root, and replies by `own` get no entry of their own (the person deleting
// their thread, or the account a purge's entries already count). It returns the replies deleted.
func removeReplies(txApp core.App, root, actor *core.Record, own string, moderated bool) ([]*core.Record, error) {
	if root.GetString(threadField) != "" {
		return nil, nil // a reply has no replies: a reply to a reply joins the root's thread
	}
	replies, err := txApp.FindRecordsByFilter("messages", "thread = {:root}", "created", 0, 0,
		dbx.Params{"root": root.Id})
	if err != nil {
		return nil, err
	}
	ctx := context.WithValue(context.Background(), threadGoing{}, root.Id)
	for _, reply := range replies {
		author := reply.GetString("user")
		if author != own {
			if err := appendAudit(txApp, auditEntry{
				Actor:            actor,
				Action:           auditMessageDeleted,
				TargetCollection: "messages",
				Target:           reply.Id,
				Room:             reply.GetString("room"),
				Detail:           map[string]any{"author": author, "text": reply.GetString("text"), "thread": root.Id},
			}); err != nil {
				return nil, err
			}
		}
		if moderated {
			reply.Set(removedByField, removedByModerator)
		}
		if err := txApp.DeleteWithContext(ctx, reply); err != nil {
			return nil, err
		}
	}
	return replies, nil
}
