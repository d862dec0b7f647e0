package main

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// The audit log (migration 1795700155): what moderators and superusers did, appended here and nowhere
// else. Entries are written with the action's own app (a transaction's txApp inside a hook), so an action
// and its entry are stored together or not at all.

const auditCollection = "audit_log"

// The actions an entry names; the migration's select lists the same values.
const (
	auditMessageDeleted   = "message_deleted"
	auditMemberRemoved    = "member_removed"
	auditModeratorAdded   = "moderator_added"
	auditModeratorRemoved = "moderator_removed"
	auditAccountSuspended = "account_suspended"
	auditAccountRestored  = "account_restored"
	auditMessagesPurged   = "messages_purged"
	auditReportResolved   = "report_resolved"
)

// auditEntry is one moderation action.
type auditEntry struct {
	// Actor is the record that acted: a users record or a _superusers record.
	Actor            *core.Record
	Action           string
	TargetCollection string
	Target           string
	Room             string
	Detail           map[string]any
}

// appendAudit stores one entry with app (pass a hook's txApp to store it in the action's transaction).
func appendAudit(app core.App, entry auditEntry) error {
	collection, err := app.FindCachedCollectionByNameOrId(auditCollection)
	if err != nil {
		return fmt.Errorf("audit log: the %s collection is missing (migration 1795700155 not applied?): %w", auditCollection, err)
	}
	if entry.Actor == nil {
		return fmt.Errorf("audit log: %s on %s/%s has no actor", entry.Action, entry.TargetCollection, entry.Target)
	}
	record := core.NewRecord(collection)
	record.Set("actor", entry.Actor.Id)
	if entry.Actor.IsSuperuser() {
		record.Set("actorKind", "superuser")
	} else {
		record.Set("actorKind", "user")
	}
	record.Set("action", entry.Action)
	record.Set("targetCollection", entry.TargetCollection)
	record.Set("target", entry.Target)
	record.Set("room", entry.Room)
	if entry.Detail != nil {
		record.Set("detail", entry.Detail)
	}
	if err := app.Save(record); err != nil {
		return fmt.Errorf("audit log: storing %s on %s/%s: %w", entry.Action, entry.TargetCollection, entry.Target, err)
	}
	return nil
}

// bindAuditLog refuses every change to the log through the API, superusers included: rules cannot say
// that (superusers pass every rule), so the request hooks do. The server's own appendAudit is a model
// save and does not pass through them.
func bindAuditLog(app core.App) {
	refuse := func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError("The audit log is written by the server only: its entries cannot be created, changed or deleted.", nil)
	}
	app.OnRecordCreateRequest(auditCollection).BindFunc(refuse)
	app.OnRecordUpdateRequest(auditCollection).BindFunc(refuse)
	app.OnRecordDeleteRequest(auditCollection).BindFunc(refuse)
}
