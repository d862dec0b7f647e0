package main

import (
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Reports (migration 1795700171): anyone who can read a message may report it to the server's
// administrators. A report is written by its reporter and then read and settled only by superusers
// (every rule but create is null); the reported person and the reporter never see it again.
//
// What the reporter sends is the message and a reason; the server fills the rest, so nobody can report
// in another's name, file a report already settled, or name a different author than the message has.

const (
	reportsCollection = "reports"
	// reportsRateLimitLabel is the settings rule each account's reports are counted against
	// (pb_migrations/1795700172_reports_rate_limit.js): a plain word, so the budget is per account.
	reportsRateLimitLabel = "palaverReports"
	// reportExcerptMax is how much of the message's text is kept with the report, so the administrator
	// sees what was reported even once the message is edited or deleted.
	reportExcerptMax = 1000
)

func bindReports(app core.App) {
	limiter := &accountLimiter{windows: map[string]*accountWindow{}}

	app.OnRecordCreateRequest(reportsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		if e.HasSuperuserAuth() {
			return e.Next()
		}
		// The rule lets only signed-in accounts here.
		message, err := e.App.FindRecordById("messages", e.Record.GetString("message"))
		if err != nil || !canReadMessage(e, message) {
			// The same answer whether the message does not exist or the reporter may not read it.
			return e.NotFoundError("The message was not found.", nil)
		}
		if wait := reportsRateLimit(e, limiter); wait > 0 {
			return refuseUntil(e.RequestEvent, wait, errors.New("triggered the per-account report rate limit rule"))
		}
		e.Record.Set("reporter", e.Auth.Id)
		e.Record.Set("status", "open")
		e.Record.Set("author", message.GetString("user"))
		e.Record.Set("room", message.GetString("room"))
		e.Record.Set("excerpt", excerpt(message.GetString("text"), reportExcerptMax))
		e.Record.Set("reason", strings.TrimSpace(e.Record.GetString("reason")))
		return e.Next()
	})

	// A report is settled, never deleted through the API: a deleted open report would vanish from the
	// dashboard without the audit entry settling it leaves. (Deleting the reporter's account still takes
	// their reports with it, at the model level.)
	app.OnRecordDeleteRequest(reportsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError("Reports are kept: set the status to resolved or dismissed to settle one.", nil)
	})

	// Settling a report (only superusers reach an update) appends its audit entry in the same transaction.
	app.OnRecordUpdateRequest(reportsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		from, to := e.Record.Original().GetString("status"), e.Record.GetString("status")
		if from == to || to == "open" {
			return e.Next()
		}
		return e.App.RunInTransaction(func(txApp core.App) error {
			if err := appendAudit(txApp, auditEntry{
				Actor:            e.Auth,
				Action:           auditReportResolved,
				TargetCollection: reportsCollection,
				Target:           e.Record.Id,
				Room:             e.Record.GetString("room"),
				Detail: map[string]any{
					"status": to, "message": e.Record.GetString("message"), "author": e.Record.GetString("author"),
					"reporter": e.Record.GetString("reporter"), "reason": e.Record.GetString("reason"),
				},
			}); err != nil {
				return err
			}
			e.App = txApp
			return e.Next()
		})
	})
}

// canReadMessage asks the messages view rule itself, so "who may read" is decided in one place.
func canReadMessage(e *core.RecordRequestEvent, message *core.Record) bool {
	info, err := e.RequestInfo()
	if err != nil {
		return false
	}
	ok, err := e.App.CanAccessRecord(message, info, message.Collection().ViewRule)
	return err == nil && ok
}

func reportsRateLimit(e *core.RecordRequestEvent, limiter *accountLimiter) time.Duration {
	settings := e.App.Settings().RateLimits
	if !settings.Enabled {
		return 0
	}
	rule, ok := settings.FindRateLimitRule([]string{reportsRateLimitLabel},
		core.RateLimitRuleAudienceAll, core.RateLimitRuleAudienceAuth)
	if !ok {
		return 0
	}
	return limiter.allow(rule, e.Auth.Collection().Id+"/"+e.Auth.Id, time.Now())
}

// excerpt cuts text to at most max characters (runes), on a character boundary.
func excerpt(text string, max int) string {
	runes := []rune(text)
	if len(runes) <= max {
		return text
	}
	return string(runes[:max-1]) + "…"
}
