package main

import (
	"context"
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	threadField     = "thread"
	alsoInRoomField = "alsoInRoom"
	threadInfoField = "threadInfo"
	// maxThreadRepliers is how many faces a root shows: the most recent distinct authors of its replies.
	maxThreadRepliers = 5
)

// ThreadInfo is the summary a thread's root carries (messages.threadInfo), kept by the server only.
type ThreadInfo struct {
	Replies int `json:"replies"`
	// The newest reply's `created`, as PocketBase writes dates.
	LastReplyAt string `json:"lastReplyAt"`
	// Up to maxThreadRepliers distinct authors of replies, the most recent first.
	Repliers []string `json:"repliers"`
	// Who a new reply concerns: the root's author, every replier and everyone mentioned in the root or a
	// reply, in the order they joined the thread. Clients decide a thread notification from it.
	Followers []string `json:"followers"`
}

// threadSummarySave marks, in a save's context, the server's own write of a root's summary, so the
// guard that keeps the stored summary on every other update lets it through.
type threadSummarySave struct{}

var (
	errThreadElsewhere = validation.NewError("validation_thread_not_in_room",
		"The message you reply to is not in this room (or no longer exists): reply in the room it was sent to.")
	errThreadFixed = validation.NewError("validation_thread_fixed",
		"A reply stays in the thread it was sent to: send a new message instead.")
	errAlsoInRoomFixed = validation.NewError("validation_also_in_room_fixed",
		"Whether a reply is also in the room is chosen when it is sent: send a new message instead.")
)

// bindThreads keeps threads whole (pb_migrations/1795700100_message_threads.js has the schema):
//
//   - a reply is stored with its thread's root, which must be in the reply's room: a reply to a reply
//     joins the root's thread, and nobody reaches another room's message through `thread` (writing in
//     the reply's room is the messages create rule's, as for any message);
//   - `thread` and `alsoInRoom` are fixed once sent, and `alsoInRoom` means nothing without a thread;
//   - `threadInfo` is the server's: whatever a client sends is dropped, and the root's summary is worked
//     out again from the database in the same transaction as each reply's create and delete. So when the
//     reply's event goes out (after the commit), the root is already up to date, and the root's own
//     `update` event follows the ordinary path (room_broadcast.go) from its save.
//
// The root is saved without validation: that save changes the summary only, so the model hooks that
// work a message out from what its author wrote (text cleaning, mentions, attachment info, editedAt)
// must not run again on text nobody edited. Its `updated` moves, so clients catching up fetch it.
func bindThreads(app core.App) {
	app.OnRecordValidate("messages").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			if err := placeReply(e.App, e.Record); err != nil {
				return err
			}
		} else if err := keepThreadFixed(e.Record); err != nil {
			return err
		}
		// Dropped here so that a client's value is never validated either; the execute hooks below set
		// what is stored.
		e.Record.Set(threadInfoField, nil)
		return e.Next()
	})

	app.OnRecordCreateExecute("messages").BindFunc(func(e *core.RecordEvent) error {
		// A new message has no replies yet, whatever a save without validation was given.
		e.Record.Set(threadInfoField, nil)
		root := e.Record.GetString(threadField)
		if root == "" {
			return e.Next()
		}
		return inTransaction(e, func(txApp core.App) error {
			if err := e.Next(); err != nil {
				return err
			}
			found, err := refreshThread(e.Context, txApp, root)
			if err == nil && !found {
				// The root was deleted between the checks and the write: no orphan reply is kept.
				return validation.Errors{threadField: errThreadElsewhere}
			}
			return err
		})
	})

	app.OnRecordUpdateExecute("messages").BindFunc(func(e *core.RecordEvent) error {
		if e.Context != nil && e.Context.Value(threadSummarySave{}) != nil {
			return e.Next()
		}
		// Any other update (an edit of the root, another summary) keeps the stored summary, read in the
		// transaction that writes, so an edit racing a reply cannot put back the count it loaded.
		return inTransaction(e, func(txApp core.App) error {
			var stored sql.NullString
			err := txApp.DB().Select(threadInfoField).From("messages").
				Where(dbx.HashExp{"id": e.Record.Id}).Row(&stored)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if stored.Valid && stored.String != "" && stored.String != "null" {
				e.Record.Set(threadInfoField, types.JSONRaw(stored.String))
			} else {
				e.Record.Set(threadInfoField, nil)
			}
			return e.Next()
		})
	})

	app.OnRecordDeleteExecute("messages").BindFunc(func(e *core.RecordEvent) error {
		root := e.Record.GetString(threadField)
		if root == "" {
			return e.Next()
		}
		if e.Context != nil && e.Context.Value(threadGoing{}) == root {
			return e.Next() // deleted before its root, which goes next (thread_removal.go)
		}
		return inTransaction(e, func(txApp core.App) error {
			if err := e.Next(); err != nil {
				return err
			}
			// Nothing to refresh when the root is what is being deleted (its replies go with it) or its
			// room is: PocketBase deletes the room's row before its messages, which would otherwise save
			// each root once per reply on the way out.
			if _, err := txApp.FindRecordById("rooms", e.Record.GetString("room")); errors.Is(err, sql.ErrNoRows) {
				return nil
			} else if err != nil {
				return err
			}
			_, err := refreshThread(e.Context, txApp, root)
			return err
		})
	})
}

// inTransaction runs fn, and the rest of the hook chain it calls through e.Next(), in one transaction (or
// in the one the save is already part of). As PocketBase's own delete does, e.App is the transaction's
// while it runs and the caller's again after, so the after-success events fire on the caller's app.
func inTransaction(e *core.RecordEvent, fn func(txApp core.App) error) error {
	original := e.App
	defer func() { e.App = original }()
	return original.RunInTransaction(func(txApp core.App) error {
		e.App = txApp
		return fn(txApp)
	})
}

// placeReply checks a new message's thread and stores the root in it; a message outside threads is never
// also-in-room. The same error answers a missing message and one in another room, so that replying is no
// way to learn whether a message exists elsewhere.
func placeReply(app core.App, record *core.Record) error {
	parentID := record.GetString(threadField)
	if parentID == "" {
		record.Set(alsoInRoomField, false)
		return nil
	}
	parent, err := app.FindRecordById("messages", parentID)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return validation.Errors{threadField: errThreadElsewhere}
		}
		return err
	}
	root := parent
	if rootID := parent.GetString(threadField); rootID != "" {
		if root, err = app.FindRecordById("messages", rootID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return validation.Errors{threadField: errThreadElsewhere}
			}
			return err
		}
	}
	if root.GetString("room") != record.GetString("room") {
		return validation.Errors{threadField: errThreadElsewhere}
	}
	record.Set(threadField, root.Id)
	return nil
}

// keepThreadFixed refuses an update that moves a message into, out of or between threads, or in or out of
// the room's main list.
func keepThreadFixed(record *core.Record) error {
	before := record.Original()
	if record.GetString(threadField) != before.GetString(threadField) {
		return validation.Errors{threadField: errThreadFixed}
	}
	if record.GetBool(alsoInRoomField) != before.GetBool(alsoInRoomField) {
		return validation.Errors{alsoInRoomField: errAlsoInRoomFixed}
	}
	return nil
}

// refreshThread works the root's summary out again from its replies and saves it, or says the root is
// gone. Four reads and one write, each on the (thread, created, id) index or a primary key.
func refreshThread(ctx context.Context, txApp core.App, rootID string) (bool, error) {
	root, err := txApp.FindRecordById("messages", rootID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	info, err := summarizeThread(txApp, root)
	if err != nil {
		return false, err
	}
	if info == nil {
		root.Set(threadInfoField, nil)
	} else {
		root.Set(threadInfoField, info)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return true, txApp.SaveNoValidateWithContext(context.WithValue(ctx, threadSummarySave{}, true), root)
}

// summarizeThread reads a root's summary from the database, or nil when it has no replies.
//
// Each query names the thread index: almost every message has an empty `thread`, so once SQLite has
// statistics (PocketBase runs PRAGMA optimize) it takes `thread = ?` for a poor filter and would rather
// walk the whole table by another index (EXPLAIN QUERY PLAN showed a scan of idx_messages_user for the
// repliers). INDEXED BY keeps each query to the thread's own rows.
func summarizeThread(app core.App, root *core.Record) (*ThreadInfo, error) {
	params := dbx.Params{"root": root.Id}
	var totals struct {
		Replies int    `db:"replies"`
		Last    string `db:"last"`
	}
	err := app.DB().NewQuery(
		"SELECT COUNT(*) AS replies, COALESCE(MAX([[created]]), '') AS last " +
			"FROM messages INDEXED BY idx_messages_thread_created WHERE [[thread]] = {:root}").
		Bind(params).One(&totals)
	if err != nil || totals.Replies == 0 {
		return nil, err
	}

	// `created || id` orders as (created, id): dates are written in one fixed-width format.
	var repliers []string
	err = app.DB().NewQuery(
		"SELECT [[user]] FROM messages INDEXED BY idx_messages_thread_created WHERE [[thread]] = {:root} " +
			"GROUP BY [[user]] ORDER BY MAX([[created]] || [[id]]) DESC LIMIT {:limit}").
		Bind(dbx.Params{"root": root.Id, "limit": maxThreadRepliers}).Column(&repliers)
	if err != nil {
		return nil, err
	}

	// Everyone who wrote a reply or is mentioned in one, by when they first appeared: within one reply its
	// author first, then whom it mentions in the order mentioned (the suffix after created and id).
	var involved []string
	err = app.DB().NewQuery(
		"SELECT who FROM (" +
			"SELECT [[user]] AS who, [[created]] || [[id]] || '0' AS at " +
			"FROM messages INDEXED BY idx_messages_thread_created WHERE [[thread]] = {:root} " +
			"UNION ALL " +
			"SELECT mentioned.value AS who, m.[[created]] || m.[[id]] || printf('1%03d', mentioned.key) AS at " +
			"FROM messages m INDEXED BY idx_messages_thread_created, json_each(" +
			"CASE WHEN json_valid(m.[[mentions]]) AND json_type(m.[[mentions]]) = 'array' THEN m.[[mentions]] ELSE '[]' END" +
			") mentioned WHERE m.[[thread]] = {:root}" +
			") GROUP BY who ORDER BY MIN(at)").
		Bind(params).Column(&involved)
	if err != nil {
		return nil, err
	}

	return &ThreadInfo{
		Replies:     totals.Replies,
		LastReplyAt: totals.Last,
		Repliers:    repliers,
		Followers:   threadFollowers(root.GetString("user"), root.GetStringSlice(mentionsField), involved),
	}, nil
}

// threadFollowers is the root's author, then those the root mentions, then everyone else involved in the
// thread, each once, in that order.
func threadFollowers(author string, rootMentions []string, involved []string) []string {
	followers := make([]string, 0, 1+len(rootMentions)+len(involved))
	seen := map[string]bool{}
	for _, group := range [][]string{{author}, rootMentions, involved} {
		for _, id := range group {
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			followers = append(followers, id)
		}
	}
	return followers
}
