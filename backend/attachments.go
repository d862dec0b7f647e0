package main

import (
	"fmt"
	"image"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// AttachmentMaxMBEnv names the environment variable with which an operator sets the largest file a
// message may carry, in MB, without a code change; read at every start (pb_migrations/1795700060 has the
// schema and the default). PocketBase sizes the create and update routes' body limit from the field
// (its own 32 MB plus the field's size times its file count), so a message of ten files at the limit
// is accepted and a larger body is refused with 413 before it is read.
const AttachmentMaxMBEnv = "PALAVER_ATTACHMENT_MAX_MB"

const (
	defaultAttachmentMaxMB = 25
	// A ceiling on what the variable accepts: ten files of it must still fit in one request body that
	// PocketBase counts in an int64 and the server's disk holds while it is received.
	largestAttachmentMaxMB = 4096
	attachmentsField       = "attachments"
	// PocketBase decodes a whole image to make a thumbnail, four bytes a pixel, and makes up to a few at
	// once: a small PNG of one colour can declare 30000x30000 pixels and cost the server 3.6 GB. Fifty
	// megapixels (200 MB decoded) is above what phone and most camera photos have.
	largestImagePixels = 50_000_000
)

func bindAttachments(app core.App) {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			if err := applyAttachmentMaxSize(e.App, os.Getenv(AttachmentMaxMBEnv)); err != nil {
				return err
			}
			e.Router.BindFunc(limitMessageBodiesWithoutFiles)
			return e.Next()
		},
	})

	// Model level, so no path (API, dashboard, hooks) stores a message breaking either rule. JS hooks are
	// registered before this (jsvm.MustRegister in main.go), so pb_hooks/messages.pb.js has already
	// cleaned and trimmed the text: a text of only spaces or control characters counts as none.
	app.OnRecordValidate("messages").BindFunc(func(e *core.RecordEvent) error {
		if !e.Record.IsNew() && len(e.Record.GetUnsavedFiles(attachmentsField)) > 0 {
			// New names that are not uploads (another message's file) are refused by PocketBase itself
			// (validation_invalid_file); this catches uploads, including a same-named replacement.
			return validation.Errors{attachmentsField: validation.NewError("validation_attachments_fixed",
				"Files are attached when a message is sent; an edit can remove them but not add or replace one.")}
		}
		for _, upload := range e.Record.GetUnsavedFiles(attachmentsField) {
			if problem := imageTooLarge(upload); problem != nil {
				return validation.Errors{attachmentsField: problem}
			}
		}
		if e.Record.GetString("text") == "" && countFiles(e.Record.GetRaw(attachmentsField)) == 0 {
			return validation.Errors{"text": validation.NewError("validation_message_empty",
				"Write a message or attach a file.")}
		}
		return e.Next()
	})

	// Avatars are thumbnailed the same way: a 2 MB PNG can declare as many pixels as any attachment.
	app.OnRecordValidate("users").BindFunc(func(e *core.RecordEvent) error {
		for _, upload := range e.Record.GetUnsavedFiles("avatar") {
			if problem := imageTooLarge(upload); problem != nil {
				return validation.Errors{"avatar": problem}
			}
		}
		return e.Next()
	})

	// Browsers keep what PocketBase serves for thirty days; "private" keeps shared caches (a proxy, a CDN
	// in front of the server) from storing a protected file and handing it to someone else.
	app.OnFileDownloadRequest().BindFunc(func(e *core.FileDownloadRequestEvent) error {
		if e.FileField.Protected {
			e.Response.Header().Set("Cache-Control", "private, max-age=86400")
		}
		return e.Next()
	})
}

// applyAttachmentMaxSize sets messages.attachments' size limit from the variable's value (MB; empty means
// the default), saving the collection only when it changes. A value that is not a whole number of MB in
// range stops the server with a message naming the variable, rather than silently using another limit.
func applyAttachmentMaxSize(app core.App, value string) error {
	mb := defaultAttachmentMaxMB
	if value = strings.TrimSpace(value); value != "" {
		parsed, err := strconv.Atoi(value)
		if err != nil || parsed < 1 || parsed > largestAttachmentMaxMB {
			return fmt.Errorf("%s=%q: set it to a whole number of megabytes from 1 to %d, or leave it unset for %d",
				AttachmentMaxMBEnv, value, largestAttachmentMaxMB, defaultAttachmentMaxMB)
		}
		mb = parsed
	}

	// A server run with other migrations (--migrationsDir) may have no messages or no attachments:
	// then there is no limit to set.
	messages, err := app.FindCollectionByNameOrId("messages")
	if err != nil {
		return nil
	}
	field, ok := messages.Fields.GetByName(attachmentsField).(*core.FileField)
	if !ok {
		return nil
	}
	bytes := int64(mb) << 20
	if field.MaxSize == bytes {
		return nil
	}
	field.MaxSize = bytes
	if err := app.Save(messages); err != nil {
		return fmt.Errorf("setting the attachment size limit to %d MB: %w", mb, err)
	}
	return nil
}

// limitMessageBodiesWithoutFiles keeps PocketBase's default body limit for message writes that carry no
// files: JSON bodies, and every edit. The route's own limit grows with the attachments field (to 282 MB at the default), which only a
// multipart upload needs: a JSON body is read whole into memory, so one of that size would cost the
// server its size in memory per request before the 2000-character text rule refuses it.
func limitMessageBodiesWithoutFiles(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost && e.Request.Method != http.MethodPatch {
		return e.Next()
	}
	parts := strings.Split(strings.Trim(e.Request.URL.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "api" || parts[1] != "collections" || parts[3] != "records" {
		return e.Next()
	}
	if collection, err := e.App.FindCachedCollectionByNameOrId(parts[2]); err != nil || collection.Name != "messages" {
		return e.Next()
	}
	// Only a new message takes files: an edit can remove one at most, so it never needs a large body.
	mediaType, _, _ := mime.ParseMediaType(e.Request.Header.Get("Content-Type"))
	if e.Request.Method == http.MethodPost && mediaType == "multipart/form-data" {
		return e.Next()
	}
	if e.Request.ContentLength > apis.DefaultMaxBodySize {
		return apis.ErrRequestEntityTooLarge
	}
	e.Request.Body = &cappedBody{ReadCloser: e.Request.Body, left: apis.DefaultMaxBodySize}
	return e.Next()
}

// cappedBody fails a read past its limit with the same 413 PocketBase's own body limit gives.
type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, apis.ErrRequestEntityTooLarge
	}
	return n, err
}

// imageTooLarge refuses an upload that decodes as an image (whatever its name says: the decoders go by
// its first bytes, as PocketBase's thumbnailer does) of more than largestImagePixels. Only the header
// is read; a file that is not an image, or not one Go decodes, passes.
func imageTooLarge(upload *filesystem.File) error {
	reader, err := upload.Reader.Open()
	if err != nil {
		return nil // PocketBase reports an unreadable upload itself when it stores it
	}
	defer reader.Close()
	config, _, err := image.DecodeConfig(reader)
	if err != nil || int64(config.Width)*int64(config.Height) <= largestImagePixels {
		return nil
	}
	return validation.NewError("validation_image_too_large",
		"{{.name}} is {{.width}}x{{.height}} pixels; images can have at most 50 megapixels: scale it down, or send it in a zip file.").
		SetParams(map[string]any{"name": upload.OriginalName, "width": config.Width, "height": config.Height})
}

// countFiles counts a file field's raw value: stored names and files about to be uploaded.
func countFiles(raw any) int {
	switch value := raw.(type) {
	case nil:
		return 0
	case string:
		if value == "" {
			return 0
		}
		return 1
	case []string:
		return len(value)
	case []any:
		return len(value)
	default:
		return 1
	}
}
