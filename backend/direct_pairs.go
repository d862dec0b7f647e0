package main

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// bindDirectPairs keeps one direct conversation per pair of people in the database itself. Every save of
// a direct room sets `pairKey` to the pair's ids, sorted; a unique index over it (migration
// 1795700020) turns the second of two racing creates into a constraint error, which a check before the
// insert cannot do: two requests both find nothing and both insert. The error is then given the same
// field error the client already shows ("validation_direct_room_exists" on `members`).
func bindDirectPairs(app core.App) {
	setKey := func(e *core.RecordEvent) error {
		if e.Record.GetString("kind") == "direct" {
			e.Record.Set("pairKey", directPairKey(e.Record))
		}
		return e.Next()
	}
	app.OnRecordCreate("rooms").BindFunc(setKey)
	app.OnRecordUpdate("rooms").BindFunc(setKey)

	app.OnRecordCreateRequest("rooms").BindFunc(func(e *core.RecordRequestEvent) error {
		err := e.Next()
		if err != nil && e.Record.GetString("kind") == "direct" && isPairKeyConflict(err) {
			return router.NewApiError(http.StatusBadRequest, "A direct conversation with this person already exists.",
				validation.Errors{"members": validation.NewError("validation_direct_room_exists",
					"You already have a direct conversation with this person.")})
		}
		return err
	})
}

// directPairKey is the two people of a direct conversation (members and, where invitations exist,
// the invited person), sorted and joined; empty when the room is not between exactly two people.
func directPairKey(room *core.Record) string {
	people := append(room.GetStringSlice("members"), room.GetStringSlice("invited")...)
	slices.Sort(people)
	people = slices.Compact(people)
	if len(people) != 2 {
		return ""
	}
	return strings.Join(people, "|")
}

// isPairKeyConflict tells whether a failed save failed on the pair's unique index, whether PocketBase
// reported it as a field error or it reached us as the database's own constraint error.
func isPairKeyConflict(err error) bool {
	var fields validation.Errors
	if errors.As(err, &fields) {
		_, ok := fields["pairKey"]
		return ok
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if _, ok := apiErr.Data["pairKey"]; ok {
			return true
		}
		if raw, ok := apiErr.RawData().(error); ok && raw != err {
			return isPairKeyConflict(raw)
		}
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "unique constraint failed") && strings.Contains(msg, "rooms.pairkey")
}
