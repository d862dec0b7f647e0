package main

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
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
	var counts purgeCounts
	// Reactions first: those on the account's own messages would otherwise be deleted with the
	// messages and counted as neither.
	for _, step := range []struct {
		collection string
		count      *int
	}{{"reactions", &counts.Reactions}, {"messages", &counts.Messages}} {
		for {
			deleted, err := purgeOneBatch(e.App, step.collection, user.Id)
			*step.count += deleted
			if err != nil {
				return purgeFailed(e, user, counts, err)
			}
			if deleted == 0 {
				break
			}
		}
	}
	// One entry for the whole purge, with what it deleted. (A purge that failed half-way writes one too,
	// saying so, in purgeFailed.)
	if err := appendAudit(e.App, auditEntry{
		Actor:            e.Auth,
		Action:           auditMessagesPurged,
		TargetCollection: "users",
		Target:           user.Id,
		Detail:           map[string]any{"username": user.GetString("username"), "messages": counts.Messages, "reactions": counts.Reactions},
	}); err != nil {
		return e.InternalServerError("Everything was deleted, but the audit entry could not be stored.", err)
	}
	return e.JSON(http.StatusOK, counts)
}

// purgeOneBatch deletes up to purgeBatch of the account's records of one collection in one transaction.
// A message deleted with its thread root in an earlier delete of the batch is simply not found again.
func purgeOneBatch(app core.App, collection, userID string) (int, error) {
	deleted := 0
	err := app.RunInTransaction(func(txApp core.App) error {
		records, err := txApp.FindRecordsByFilter(collection, "user = {:user}", "created", purgeBatch, 0,
			dbx.Params{"user": userID})
		if err != nil {
			return err
		}
		for _, record := range records {
			// A reply deleted earlier in this batch with its root.
			if _, err := txApp.FindRecordById(collection, record.Id); err != nil {
				continue
			}
			if collection == "messages" {
				// Removed by a superuser: readers get the moderator's placeholder, and the delete event does
				// not send the purged text and files out again (room_broadcast.go).
				record.Set(removedByField, removedByModerator)
			}
			if err := txApp.Delete(record); err != nil {
				return fmt.Errorf("deleting %s/%s: %w", collection, record.Id, err)
			}
			deleted++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return deleted, nil
}

func purgeFailed(e *core.RequestEvent, user *core.Record, counts purgeCounts, cause error) error {
	detail := map[string]any{
		"username": user.GetString("username"), "messages": counts.Messages, "reactions": counts.Reactions,
		"incomplete": true, "error": cause.Error(),
	}
	if err := appendAudit(e.App, auditEntry{
		Actor: e.Auth, Action: auditMessagesPurged, TargetCollection: "users", Target: user.Id, Detail: detail,
	}); err != nil {
		e.App.Logger().Error("Purge: the audit entry of a failed purge could not be stored",
			"user", user.Id, "error", err.Error())
	}
	return e.InternalServerError(fmt.Sprintf(
		"The purge stopped after deleting %d messages and %d reactions; run it again to delete the rest.",
		counts.Messages, counts.Reactions), cause)
}
