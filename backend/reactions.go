package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	reactionInfoField = "reactionInfo"
	// maxReactionKinds is how many different emoji one message may carry: enough for any real
	// conversation, few enough that a row of reactions fits under a message and nobody can turn one
	// message into a wall of emoji.
	maxReactionKinds = 20
	// maxReactionUsersListed bounds the people named per emoji in reactionInfo; count stays exact.
	maxReactionUsersListed = 100
)

// ReactionSummary is one entry of a message's reactionInfo: who reacted with one emoji, oldest first.
type ReactionSummary struct {
	Emoji string   `json:"emoji"`
	Count int      `json:"count"`
	Users []string `json:"users"`
}

const (
	singleEmojiMessage      = "Reactions take a single emoji."
	tooManyKindsMessage     = "This message already has 20 different reactions; add to one of them."
	reactionEmojiCode       = "validation_reaction_emoji"
	reactionTooManyCode     = "validation_reaction_kinds"
	wrongIDMessage          = "A reaction's id is made from its message, person and emoji (reactionId in src-shared/reaction-id.ts): send that id or none."
	reactionIDCode          = "validation_reaction_id"
	messageGoneMessage      = "That message was deleted: there is nothing to react to."
	reactionMessageGoneCode = "validation_reaction_message_gone"
)

// bindReactions checks each reaction, keeps every message's reactionInfo in step with its reactions, and
// sends the message out on palaver/messages when it changes.
//
// The summary is written with one SQL UPDATE (reactionInfo and updated) inside the reaction's own
// transaction, not by saving the message record: a save would run the message's model hooks, and
// mentions.go would work the mentions out again from the room's members of today (someone mentioned who
// has since left would silently lose the mention), a reaction by one person would fail on any problem with
// the author's message, and PocketBase would check the update against every `messages/*` subscriber's rule.
// The message then goes out once, after commit, on the same broadcast as every other message event
// (room_broadcast.go: its room's readers only, those who blocked its author left out). `editedAt` is never
// touched; `updated` moves, so a client catching up with `updated >= since` fetches the new summary.
func bindReactions(app core.App) {
	app.OnRecordValidate("reactions").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			if !isSingleEmoji(e.Record.GetString("emoji")) {
				return apis.NewBadRequestError(singleEmojiMessage, validation.Errors{
					"emoji": validation.NewError(reactionEmojiCode, singleEmojiMessage),
				})
			}
			// Every reaction gets the id the client computes (reaction_id.go), whoever creates it.
			e.Record.SetRaw("id", reactionID(e.Record.GetString("message"), e.Record.GetString("user"), e.Record.GetString("emoji")))
		}
		return e.Next()
	})
	// A client that sends an id must send that one: another would be refused here rather than replaced,
	// so a client that computes ids wrongly finds out at once instead of failing to delete later.
	app.OnRecordCreateRequest("reactions").BindFunc(func(e *core.RecordRequestEvent) error {
		given := e.Record.Id
		if given != "" && given != reactionID(e.Record.GetString("message"), e.Record.GetString("user"), e.Record.GetString("emoji")) {
			return e.BadRequestError(wrongIDMessage, validation.Errors{
				"id": validation.NewError(reactionIDCode, wrongIDMessage),
			})
		}
		return e.Next()
	})

	// Execute hooks run after validation and around the write itself; the limit check, the insert or
	// delete and the summary share one transaction (the API's own, or one started here for a save from
	// Go), and SQLite runs one writing transaction at a time, so two reactions cannot both be the 20th
	// kind and the summary always matches the rows.
	app.OnRecordCreateExecute("reactions").BindFunc(func(e *core.RecordEvent) error {
		return inReactionTransaction(e, func(tx core.App) error {
			// The rule saw the message before this transaction: it may have been deleted since, and a
			// reaction to nothing would stay behind (relations are not foreign keys).
			if _, err := tx.FindRecordById("messages", e.Record.GetString("message")); err != nil {
				return apis.NewBadRequestError(messageGoneMessage, validation.Errors{
					"message": validation.NewError(reactionMessageGoneCode, messageGoneMessage),
				})
			}
			if err := checkReactionKinds(tx, e.Record); err != nil {
				return err
			}
			if err := e.Next(); err != nil {
				return err
			}
			return refreshReactionInfo(tx, e.Record.GetString("message"))
		})
	})
	app.OnRecordDeleteExecute("reactions").BindFunc(func(e *core.RecordEvent) error {
		return inReactionTransaction(e, func(tx core.App) error {
			if err := e.Next(); err != nil {
				return err
			}
			// When the message itself is being deleted (its reactions go with it), it is gone already:
			// refreshReactionInfo finds nothing to update.
			return refreshReactionInfo(tx, e.Record.GetString("message"))
		})
	})

	// After commit: the message as stored, out once to its readers.
	announce := func(e *core.RecordEvent) error {
		announceReactions(e.App, e.Record.GetString("message"))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("reactions").BindFunc(announce)
	app.OnRecordAfterDeleteSuccess("reactions").BindFunc(announce)

	// The summary is the server's: a client's value on a message create or edit is ignored, and an edit
	// (or any other save of the message) writes back the summary as it stands in the database now, read
	// inside the transaction that writes (an API update validates before its transaction starts), so a
	// reaction committed between the edit's load and its write is not undone.
	app.OnRecordValidate("messages").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			e.Record.Set(reactionInfoField, nil)
		}
		return e.Next()
	})
	app.OnRecordUpdateExecute("messages").BindFunc(func(e *core.RecordEvent) error {
		return inReactionTransaction(e, func(tx core.App) error {
			var stored types.JSONRaw
			err := tx.DB().NewQuery("SELECT [[reactionInfo]] FROM {{messages}} WHERE [[id]] = {:id}").
				Bind(dbx.Params{"id": e.Record.Id}).Row(&stored)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if len(stored) == 0 || string(stored) == "null" {
				e.Record.Set(reactionInfoField, nil)
			} else {
				e.Record.Set(reactionInfoField, stored)
			}
			return e.Next()
		})
	})

	bindReactionRateLimit(app)
}

// inReactionTransaction runs fn with the event's app switched to a transaction (joining the one already open,
// as an API request's is), so that e.Next() writes inside it too.
func inReactionTransaction(e *core.RecordEvent, fn func(tx core.App) error) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return fn(tx)
	})
}

// checkReactionKinds refuses a new kind of emoji on a message that already has maxReactionKinds of them;
// adding to one already there is always allowed.
func checkReactionKinds(tx core.App, reaction *core.Record) error {
	var kinds, present int
	err := tx.DB().NewQuery(
		"SELECT COUNT(DISTINCT [[emoji]]), COALESCE(MAX([[emoji]] = {:emoji}), 0) FROM {{reactions}} WHERE [[message]] = {:message}",
	).Bind(dbx.Params{"message": reaction.GetString("message"), "emoji": reaction.GetString("emoji")}).Row(&kinds, &present)
	if err != nil {
		return err
	}
	if present == 0 && kinds >= maxReactionKinds {
		return apis.NewBadRequestError(tooManyKindsMessage, validation.Errors{
			"emoji": validation.NewError(reactionTooManyCode, tooManyKindsMessage),
		})
	}
	return nil
}

// reactionRow is one reaction as the summary reads it.
type reactionRow struct {
	Emoji string `db:"emoji"`
	User  string `db:"user"`
	Total int    `db:"total"`
}

// reactionSummary reads a message's reactions: each emoji in the order of its first reaction, its people
// oldest first (up to maxReactionUsersListed), its count exact. Ties in `created` (same millisecond) go
// by rowid, the order the rows were written.
func reactionSummary(db dbx.Builder, messageID string) ([]ReactionSummary, error) {
	rows := []reactionRow{}
	err := db.NewQuery(`
		SELECT [[emoji]], [[user]], [[total]] FROM (
			SELECT [[emoji]], [[user]], [[created]], [[rowid]] AS [[seq]],
				ROW_NUMBER() OVER (PARTITION BY [[emoji]] ORDER BY [[created]], [[rowid]]) AS [[place]],
				COUNT(*) OVER (PARTITION BY [[emoji]]) AS [[total]]
			FROM {{reactions}} WHERE [[message]] = {:message}
		) WHERE [[place]] <= {:listed} ORDER BY [[created]], [[seq]]`,
	).Bind(dbx.Params{"message": messageID, "listed": maxReactionUsersListed}).All(&rows)
	if err != nil {
		return nil, err
	}
	summary := []ReactionSummary{}
	index := map[string]int{}
	for _, row := range rows {
		at, seen := index[row.Emoji]
		if !seen {
			at = len(summary)
			index[row.Emoji] = at
			summary = append(summary, ReactionSummary{Emoji: row.Emoji, Count: row.Total, Users: []string{}})
		}
		summary[at].Users = append(summary[at].Users, row.User)
	}
	return summary, nil
}

// refreshReactionInfo writes the message's summary and moves its `updated`; nothing when the message is
// gone. NULL when no reactions are left, as on a message that never had any.
func refreshReactionInfo(tx core.App, messageID string) error {
	summary, err := reactionSummary(tx.DB(), messageID)
	if err != nil {
		return err
	}
	var info any
	if len(summary) > 0 {
		encoded, err := json.Marshal(summary)
		if err != nil {
			return err
		}
		info = string(encoded)
	}
	_, err = tx.DB().NewQuery(
		"UPDATE {{messages}} SET [[reactionInfo]] = {:info}, [[updated]] = {:updated} WHERE [[id]] = {:id}",
	).Bind(dbx.Params{"info": info, "updated": types.NowDateTime().String(), "id": messageID}).Execute()
	return err
}

// announceReactions sends the message with its new summary to its readers. A failed broadcast must not
// fail the reaction, which is committed: clients catch up on their next reconnect.
func announceReactions(app core.App, messageID string) {
	message, err := app.FindRecordById("messages", messageID)
	if err != nil {
		// Deleted together with its reactions: its own delete event tells readers.
		return
	}
	if err := broadcastMessage(app, "update", message); err != nil {
		app.Logger().Warn("Realtime broadcast of a message's reactions failed; subscribers will see them on their next catch-up",
			slog.String("topic", MessagesTopic), slog.String("message", messageID), slog.String("error", err.Error()))
	}
}

// bindReactionRateLimit budgets each signed-in account's reactions as account_rate_limit.go budgets its
// messages: against the `*:create` rule, per account rather than per address, but in windows of their
// own, so someone reacting never finds themself unable to write (and the other way round).
func bindReactionRateLimit(app core.App) {
	limiter := &accountLimiter{windows: map[string]*accountWindow{}}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "palaverReactionRateLimit",
			Priority: apis.DefaultRateLimitMiddlewarePriority,
			Func:     limiter.limit(isReactionCreate, "reaction"),
		})
		return se.Next()
	})
}

// isReactionCreate: POST /api/collections/reactions/records (by the collection's name or id).
func isReactionCreate(e *core.RequestEvent) bool {
	if e.Request.Method != http.MethodPost || !strings.HasSuffix(e.Request.Pattern, "/api/collections/{collection}/records") {
		return false
	}
	collection, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	return err == nil && collection.Name == "reactions"
}
