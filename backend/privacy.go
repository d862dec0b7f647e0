package main

import (
	"github.com/pocketbase/pocketbase/core"
)

// bindPrivacy hides an account's verification state (and the always-false emailVisibility) from
// everyone but the account's owner and superusers: in lists, views, expands and realtime events.
//
// This runs for every user record the server sends, once per subscriber of every realtime event whose
// author is expanded, so it is Go rather than a pb_hooks JS handler: the benchmarks measured the JS
// version as the largest cost of a realtime fan-out (each call borrows a JS runtime from a small pool).
func bindPrivacy(app core.App) {
	app.OnRecordEnrich("users").BindFunc(func(e *core.RecordEnrichEvent) error {
		auth := e.RequestInfo.Auth
		if auth == nil || (!auth.IsSuperuser() && auth.Id != e.Record.Id) {
			e.Record.Hide("verified", "emailVisibility")
		}
		return e.Next()
	})
}
