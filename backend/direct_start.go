package main

import (
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// bindDirectStart: starting a direct conversation with someone who already started one with you (you
// are its invitee) accepts theirs. The answer is that conversation, with you in it, instead of the pair's
// "already exists" refusal. Its invitee cannot see a conversation before its first message
// (pb_migrations/1795700040_public_membership.js), so without this they would be told one exists and
// have no way to open it. Consent holds: the person asking is the invitee, and asking is accepting.
//
// Bound after bindConsent and bindDirectPairs, so a person who blocked the caller is still refused, the
// same way as for a new conversation (consent.go).
func bindDirectStart(app core.App) {
	app.OnRecordCreateRequest("rooms").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Auth == nil || e.HasSuperuserAuth() || e.Record.GetString("kind") != "direct" {
			return e.Next()
		}
		me := e.Auth.Id
		invited := e.Record.GetStringSlice("invited")
		members := e.Record.GetStringSlice("members")
		// Only a request the create rule would take otherwise: the caller owns it and is its only member.
		if e.Record.GetString("owner") != me || len(members) != 1 || members[0] != me || len(invited) != 1 {
			return e.Next()
		}
		existing, err := e.App.FindFirstRecordByData("rooms", "pairKey", directPairKey(e.Record))
		if err != nil || !slices.Contains(existing.GetStringSlice("invited"), me) {
			return e.Next()
		}

		var room *core.Record
		err = e.App.RunInTransaction(func(txApp core.App) error {
			fresh, err := txApp.FindRecordById("rooms", existing.Id)
			if err != nil {
				return err
			}
			if slices.Contains(fresh.GetStringSlice("invited"), me) {
				fresh.Set("invited-", me)
				fresh.Set("members+", me)
				if err := txApp.Save(fresh); err != nil {
					return err
				}
			}
			room = fresh
			return nil
		})
		if err != nil {
			return e.BadRequestError("Could not open the conversation this person started with you; try again.", err)
		}
		if err := apis.EnrichRecord(e.RequestEvent, room); err != nil {
			return e.InternalServerError("", err)
		}
		return e.JSON(http.StatusOK, room)
	})
}
