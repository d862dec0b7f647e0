package main

import (
	"image"
	_ "image/gif"  // sizes GIFs (PocketBase thumbnails them)
	_ "image/jpeg" // sizes JPEGs
	_ "image/png"  // sizes PNGs
	"net/http"

	"github.com/gabriel-vasile/mimetype"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/hook"
	_ "golang.org/x/image/webp" // sizes WebP images (PocketBase thumbnails them)
)

const attachmentInfoField = "attachmentInfo"

// AttachmentInfo is what a client shows of one file before (or instead of) fetching it.
type AttachmentInfo struct {
	// The file's name as sent; the stored name has a random suffix and only safe characters.
	Name string `json:"name"`
	Size int64  `json:"size"`
	// Sniffed from the content, not taken from the client: the room view decides what to play inline by it.
	Type   string `json:"type"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// AttachmentLimits answers GET /api/palaver/limits, so the app refuses a file before uploading it.
type AttachmentLimits struct {
	AttachmentMaxBytes int64 `json:"attachmentMaxBytes"`
	AttachmentMaxFiles int   `json:"attachmentMaxFiles"`
}

func bindAttachmentInfo(app core.App) {
	// Bound after bindAttachments' checks, at the same model level: whatever a client put in the field is
	// replaced, on create from the uploads, on edit from the stored value less the files removed.
	app.OnRecordValidate("messages").BindFunc(func(e *core.RecordEvent) error {
		info := map[string]AttachmentInfo{}
		if e.Record.IsNew() {
			for _, upload := range e.Record.GetUnsavedFiles(attachmentsField) {
				info[upload.Name] = describeUpload(upload)
			}
		} else {
			var before map[string]AttachmentInfo
			_ = e.Record.Original().UnmarshalJSONField(attachmentInfoField, &before)
			for _, name := range e.Record.GetStringSlice(attachmentsField) {
				if known, ok := before[name]; ok {
					info[name] = known
				}
			}
		}
		if len(info) == 0 {
			e.Record.Set(attachmentInfoField, nil)
		} else {
			e.Record.Set(attachmentInfoField, info)
		}
		return e.Next()
	})

	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/palaver/limits", func(e *core.RequestEvent) error {
				limits := AttachmentLimits{}
				if messages, err := e.App.FindCachedCollectionByNameOrId("messages"); err == nil {
					if field, ok := messages.Fields.GetByName(attachmentsField).(*core.FileField); ok {
						limits = AttachmentLimits{AttachmentMaxBytes: field.MaxSize, AttachmentMaxFiles: field.MaxSelect}
					}
				}
				return e.JSON(http.StatusOK, limits)
			}).Bind(apis.RequireAuth("users"))
			return se.Next()
		},
	})
}

// describeUpload reads an upload's first bytes for its type and, for an image, its size in pixels.
func describeUpload(upload *filesystem.File) AttachmentInfo {
	info := AttachmentInfo{Name: upload.OriginalName, Size: upload.Size, Type: "application/octet-stream"}
	if reader, err := upload.Reader.Open(); err == nil {
		if sniffed, err := mimetype.DetectReader(reader); err == nil {
			info.Type = sniffed.String()
		}
		reader.Close()
	}
	if reader, err := upload.Reader.Open(); err == nil {
		if config, _, err := image.DecodeConfig(reader); err == nil {
			info.Width, info.Height = config.Width, config.Height
		}
		reader.Close()
	}
	return info
}
