package main

import (
	"errors"
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
// save and does not pass through them. A superuser could still empty the log without a record request:
// truncating the collection deletes entry by entry at the model level, and deleting or editing the
// collection (or an import that drops it) removes or rewrites it whole; those are refused too.
func bindAuditLog(app core.App) {
	const why = "The audit log is written by the server only: its entries cannot be created, changed or deleted."
	refuse := func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError(why, nil)
	}
	app.OnRecordCreateRequest(auditCollection).BindFunc(refuse)
	app.OnRecordUpdateRequest(auditCollection).BindFunc(refuse)
	app.OnRecordDeleteRequest(auditCollection).BindFunc(refuse)
	// Nothing of the server deletes an entry, so any delete (a truncate) is an attempt to lose one.
	app.OnRecordDelete(auditCollection).BindFunc(func(e *core.RecordEvent) error {
		return errors.New("audit log: entries are never deleted (" + why + ")")
	})
	refuseCollection := func(e *core.CollectionRequestEvent) error {
		if e.Collection.Name == auditCollection {
			return e.ForbiddenError("The audit_log collection cannot be deleted or changed through the API: "+
				"its schema is in the migrations (backend/pb_migrations/1795700155_audit_log.js).", nil)
		}
		return e.Next()
	}
	app.OnCollectionUpdateRequest().BindFunc(refuseCollection)
	app.OnCollectionDeleteRequest().BindFunc(refuseCollection)
	app.OnCollectionsImportRequest().BindFunc(func(e *core.CollectionsImportRequestEvent) error {
		if e.DeleteMissing && !importNames(e.CollectionsData, auditCollection) {
			return e.ForbiddenError("This import would delete the audit_log collection: include it, "+
				"or import without deleting missing collections.", nil)
		}
		return e.Next()
	})
}

// importNames says whether a collections import includes the named collection.
func importNames(data []map[string]any, name string) bool {
	for _, collection := range data {
		if collection["name"] == name {
			return true
		}
	}
	return false
}
