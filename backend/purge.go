package main

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// POST /api/palaver/users/{id}/purge, superusers only: "delete everything they wrote" for an account
// (usually a suspended one): its messages (with their attachments, and the replies and reactions that go
// with a deleted message) and its reactions on other messages. The account itself stays, so it can still
// be restored or deleted in the dashboard.
//
// Each record is deleted through the app, as the dashboard would, so every hook sees it (realtime
// delete events, the search index, thread and reaction counts). The work is cut into batches of one
// transaction each: SQLite has one writer, and one transaction over a long history would keep every
// other person's message waiting for its whole length.
//
// Each batch appends its own `messages_purged` entry in its own transaction, saying what it deleted, so
// the log and the deletions agree whatever stops the purge (a crash, a restart, a failed delete): every
// deletion stored has its entry and every entry its deletions. The entries of one purge share a `purge`
// id in their detail, and the last one says `complete`. Replies by others that went with one of the
// account's thread roots have their own `message_deleted` entries (thread_removal.go).

// purgeBatch is how many records one transaction deletes.
const purgeBatch = 100

type purgeCounts struct {
	Messages  int `json:"messages"`
	Reactions int `json:"reactions"`
}

func bindPurge(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/palaver/users/{id}/purge", purgeAccount).Bind(apis.RequireSuperuserAuth())
		return se.Next()
	})
}

func purgeAccount(e *core.RequestEvent) error {
	user, err := e.App.FindRecordById("users", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("No such account.", err)
	}
	run := purgeRun{actor: e.Auth, user: user, id: security.RandomString(15)}
	var total purgeCounts
	// Reactions first: those on the account's own messages would otherwise be deleted with the
	// messages and counted as neither.
	for _, collection := range []string{"reactions", "messages"} {
		for {
			batch, more, err := run.batch(e.App, collection)
			if err != nil {
				return purgeFailed(e, run, total, err)
			}
			total.Messages += batch.Messages
			total.Reactions += batch.Reactions
			if !more {
				break
			}
		}
	}
	return e.JSON(http.StatusOK, total)
}

// purgeRun is one purge of one account by one superuser; id ties its audit entries together.
type purgeRun struct {
	actor *core.Record
	user  *core.Record
	id    string
}

// batch deletes up to purgeBatch of the account's records of one collection in one transaction, with the
// entry that says so, and whether there may be more. The last batch of messages, which found fewer than
// a full batch, completes the purge: its entry says so even when it deleted nothing.
func (run purgeRun) batch(app core.App, collection string) (purgeCounts, bool, error) {
	var counts purgeCounts
	more := false
	err := app.RunInTransaction(func(txApp core.App) error {
		counts = purgeCounts{}
		records, err := txApp.FindRecordsByFilter(collection, "user = {:user}", "created", purgeBatch, 0,
			dbx.Params{"user": run.user.Id})
		if err != nil {
			return err
		}
		more = len(records) == purgeBatch
		gone := map[string]bool{}
		for _, record := range records {
			if gone[record.Id] {
				continue // a reply deleted earlier in this batch with its root
			}
			if collection == "reactions" {
				if err := txApp.Delete(record); err != nil {
					return fmt.Errorf("deleting reactions/%s: %w", record.Id, err)
				}
				counts.Reactions++
				continue
			}
			// Removed by a superuser: readers get the moderator's placeholder, and the delete event does
			// not send the purged text and files out again (room_broadcast.go).
			record.Set(removedByField, removedByModerator)
			replies, err := removeReplies(txApp, record, run.actor, run.user.Id, true)
			if err != nil {
				return fmt.Errorf("deleting the replies to messages/%s: %w", record.Id, err)
			}
			for _, reply := range replies {
				gone[reply.Id] = true
				if reply.GetString("user") == run.user.Id {
					counts.Messages++
				}
			}
			if err := txApp.Delete(record); err != nil {
				return fmt.Errorf("deleting messages/%s: %w", record.Id, err)
			}
			counts.Messages++
		}
		complete := collection == "messages" && !more
		if counts.Messages+counts.Reactions == 0 && !complete {
			return nil // nothing done, nothing to say
		}
		detail := run.detail(counts)
		if complete {
			detail["complete"] = true
		}
		return appendAudit(txApp, auditEntry{
			Actor: run.actor, Action: auditMessagesPurged, TargetCollection: "users", Target: run.user.Id, Detail: detail,
		})
	})
	if err != nil {
		return purgeCounts{}, false, err
	}
	return counts, more, nil
}

func (run purgeRun) detail(counts purgeCounts) map[string]any {
	return map[string]any{
		"username": run.user.GetString("username"), "purge": run.id,
		"messages": counts.Messages, "reactions": counts.Reactions,
	}
}

// purgeFailed answers a purge stopped by a failed batch (rolled back whole), with an entry that says why:
// it deleted nothing itself, the entries of the batches before it count what they deleted.
func purgeFailed(e *core.RequestEvent, run purgeRun, total purgeCounts, cause error) error {
	detail := run.detail(purgeCounts{})
	detail["stopped"] = cause.Error()
	if err := appendAudit(e.App, auditEntry{
		Actor: run.actor, Action: auditMessagesPurged, TargetCollection: "users", Target: run.user.Id, Detail: detail,
	}); err != nil {
		e.App.Logger().Error("Purge: the audit entry of a failed purge could not be stored",
			"user", run.user.Id, "error", err.Error())
	}
	return e.InternalServerError(fmt.Sprintf(
		"The purge stopped after deleting %d messages and %d reactions; run it again to delete the rest.",
		total.Messages, total.Reactions), cause)
}
