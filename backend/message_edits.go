package main

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const editedAtField = "editedAt"

// bindMessageEdits keeps `messages.editedAt`: when the author last changed what the message says (its
// text or its files). The client's "(edited)" mark reads it. `updated` cannot say it any more: the server
// itself changes a message to keep its summaries (a thread's replies, its reactions), which bumps
// `updated` so that clients catching up fetch the change, but is no edit of the author's.
//
// Model level, bound after the pb_hooks text cleaning (as mentions.go is), so an edit that only adds
// spaces the cleaning takes away is no edit. Whatever a client sends in the field is replaced: empty on
// create, the stored value unless the text or files change.
func bindMessageEdits(app core.App) {
	app.OnRecordValidate("messages").BindFunc(func(e *core.RecordEvent) error {
		record := e.Record
		switch {
		case record.IsNew():
			record.Set(editedAtField, "")
		case messageContentChanged(record):
			record.Set(editedAtField, types.NowDateTime())
		default:
			record.Set(editedAtField, record.Original().Get(editedAtField))
		}
		return e.Next()
	})
}

// messageContentChanged says whether an update changes what the author wrote: the text or the files.
func messageContentChanged(record *core.Record) bool {
	before := record.Original()
	return record.GetString("text") != before.GetString("text") ||
		!slices.Equal(record.GetStringSlice(attachmentsField), before.GetStringSlice(attachmentsField))
}
