package main

import (
	"log/slog"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// RoomViewThumb is the thumbnail the room view shows of every image (pb_migrations/1795700060).
const RoomViewThumb = "480x360f"

// PocketBase makes a thumbnail the first time someone asks for it, decoding the whole photo while that
// reader waits: bench/README.md measured a room of fresh photos opening three times slower than with
// the full images. So the room view's thumbnail is made as soon as a message with images is stored,
// one image at a time in the background, before anyone asks. Newest first: after a burst of uploads the
// images people see on opening the room are the last ones sent. What the queue cannot hold (the oldest
// of a long burst) is made on request as before: nothing waits for this and nothing fails because of it.
const thumbQueueSize = 256

type thumbJob struct {
	original, thumb string
}

// thumbStack holds the thumbnails to make, newest on top.
type thumbStack struct {
	mu   sync.Mutex
	jobs []thumbJob
	wake chan struct{}
}

func (s *thumbStack) push(job thumbJob) {
	s.mu.Lock()
	if len(s.jobs) == thumbQueueSize {
		s.jobs = append(s.jobs[:0], s.jobs[1:]...) // the oldest is made on request instead
	}
	s.jobs = append(s.jobs, job)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // the worker is already awake
	}
}

func (s *thumbStack) pop() (thumbJob, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.jobs) == 0 {
		return thumbJob{}, false
	}
	job := s.jobs[len(s.jobs)-1]
	s.jobs = s.jobs[:len(s.jobs)-1]
	return job, true
}

func bindAttachmentThumbs(app core.App) {
	queue := &thumbStack{wake: make(chan struct{}, 1)}
	go func() {
		for range queue.wake {
			for job, ok := queue.pop(); ok; job, ok = queue.pop() {
				makeThumb(app, job)
			}
		}
	}()

	app.OnRecordAfterCreateSuccess("messages").BindFunc(func(e *core.RecordEvent) error {
		var info map[string]AttachmentInfo
		_ = e.Record.UnmarshalJSONField(attachmentInfoField, &info)
		base := e.Record.BaseFilesPath()
		for _, name := range e.Record.GetStringSlice(attachmentsField) {
			if !thumbnailable(info[name].Type) {
				continue
			}
			job := thumbJob{
				original: base + "/" + name,
				// The path PocketBase's file route serves a thumbnail from (apis/file.go).
				thumb: base + "/thumbs_" + name + "/" + RoomViewThumb + "_" + name,
			}
			queue.push(job)
		}
		return e.Next()
	})
}

// thumbnailable says whether PocketBase makes thumbnails of a file of this sniffed type.
func thumbnailable(contentType string) bool {
	switch contentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

func makeThumb(app core.App, job thumbJob) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		app.Logger().Warn("thumbnail ahead of time: no file storage; it will be made when first asked for",
			slog.String("file", job.original), slog.String("error", err.Error()))
		return
	}
	defer fsys.Close()
	if exists, _ := fsys.Exists(job.thumb); exists {
		return
	}
	if err := fsys.CreateThumb(job.original, job.thumb, RoomViewThumb); err != nil {
		app.Logger().Warn("thumbnail ahead of time failed; it will be made when first asked for",
			slog.String("file", job.original), slog.String("error", err.Error()))
	}
}
