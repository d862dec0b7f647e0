// Command pocketbase is Palaver's server: stock PocketBase used as a Go framework, with Palaver's
// schema (pb_migrations) and server hooks (pb_hooks) loaded from the directories next to the binary's
// parent, so `backend/bin/pocketbase serve` works from any working directory.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/plugins/jsvm"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/pocketbase/pocketbase/tools/hook"
)

func main() {
	base := backendDir()
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: filepath.Join(base, "pb_data")})

	var hooksDir, migrationsDir, publicDir string
	var hooksWatch, automigrate bool
	var hooksPool int
	flags := app.RootCmd.PersistentFlags()
	flags.StringVar(&hooksDir, "hooksDir", filepath.Join(base, "pb_hooks"),
		"the directory with the JS server hooks (*.pb.js)")
	flags.StringVar(&migrationsDir, "migrationsDir", filepath.Join(base, "pb_migrations"),
		"the directory with the JS migrations that define Palaver's schema, rules and settings")
	// Off by default: a production server must not restart itself when files change, and schema
	// changes are written as migrations in the repository, never generated from dashboard clicks.
	flags.BoolVar(&hooksWatch, "hooksWatch", false,
		"restart the server when a pb_hooks file changes (development only; no effect on Windows)")
	flags.BoolVar(&automigrate, "automigrate", false,
		"write a migration file for every collection change made in the dashboard (development only)")
	flags.IntVar(&hooksPool, "hooksPool", 15,
		"how many prewarmed JS runtimes serve the server hooks")
	flags.StringVar(&publicDir, "publicDir", "",
		"a directory of static files to serve at / (e.g. the web build of the Palaver client); none by default")
	_ = app.RootCmd.ParseFlags(os.Args[1:])

	jsvm.MustRegister(app, jsvm.Config{
		MigrationsDir: migrationsDir,
		HooksDir:      hooksDir,
		HooksWatch:    hooksWatch,
		HooksPoolSize: hooksPool,
	})

	bindPrivacy(app)
	bindQueryPrivacy(app)
	bindRoomBroadcast(app)
	bindRealtimeDeletes(app)
	bindRoomDepartures(app)
	bindConsent(app)
	bindPublicRooms(app)
	bindPublicRoomMembers(app)
	bindRoomActivity(app) // after bindConsent: a closed conversation is reopened before its time is noted
	bindDirectPairs(app)
	bindDirectStart(app) // after bindConsent and bindDirectPairs: see direct_start.go
	bindEmailClaims(app)
	bindAccountRateLimit(app)
	bindAttachments(app) // after jsvm.MustRegister: its validation sees the text pb_hooks cleaned
	bindAttachmentInfo(app)
	bindAttachmentThumbs(app) // after bindAttachmentInfo: it reads the sniffed types
	bindMentions(app)         // after jsvm.MustRegister: it reads the text pb_hooks cleaned
	bindMessageEdits(app)     // after jsvm.MustRegister: an edit the text cleaning undoes is none
	bindThreads(app)          // any place among the messages hooks: it reads mentions once they are stored
	bindReactions(app)        // any place among the messages hooks: it only keeps reactionInfo as stored
	bindReadMarkers(app)
	bindJoinedRead(app)
	bindPresence(app)
	bindTyping(app)
	bindSearch(app)
	bindAuditLog(app)
	bindSuspension(app)
	bindPurge(app)
	bindReports(app)
	bindModerators(app)
	bindSearchMerger(app) // moves the index's queued changes into FTS5 while serving
	bindSuperuserFromStdin(app, app.RootCmd)
	bindSearchCommands(app, app.RootCmd)

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangJS,
		Automigrate:  automigrate,
		Dir:          migrationsDir,
	})

	// Lets a client on another origin (the desktop app at app://palaver) read the Date header: the
	// server's clock tells the client from when to catch up after a reconnect, so the user's own clock
	// never decides which messages are fetched. Go, not a pb_hooks middleware: a JS middleware holds a
	// JS runtime for the whole life of every realtime connection (measured: see bench/README.md).
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.BindFunc(func(re *core.RequestEvent) error {
			re.Response.Header().Set("Access-Control-Expose-Headers", "Date")
			return re.Next()
		})
		return e.Next()
	})

	// The web build of the client can be served from the server itself, same-origin with the API
	// (npm run start:web and the end-to-end tests do this). Index fallback serves the single-page app.
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			if publicDir != "" && !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				if info, err := os.Stat(publicDir); err != nil || !info.IsDir() {
					return fmt.Errorf("--publicDir %q is not a directory: build the client first (npm run build)", publicDir)
				}
				e.Router.GET("/{path...}", apis.Static(os.DirFS(publicDir), true))
			}
			return e.Next()
		},
		Priority: 999, // after every other route, so the API and the dashboard always win
	})

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// backendDir is the folder that holds pb_migrations and pb_hooks: the parent of the folder the binary
// lives in (backend/bin/pocketbase -> backend/), or else the working directory when it has them (as under
// `go run .` in backend/, whose binary lives in a temporary build folder).
//
// PocketBase's own osutils.IsProbablyGoRun guesses `go run` from a binary under the temp dir, which
// also matches a checkout cloned into /tmp, so the folders themselves decide here.
func backendDir() string {
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		candidates = append(candidates, filepath.Dir(filepath.Dir(exe)))
	}
	if wd, err := os.Getwd(); err == nil {
		candidates = append(candidates, wd)
	}
	for _, dir := range candidates {
		if info, err := os.Stat(filepath.Join(dir, "pb_migrations")); err == nil && info.IsDir() {
			return dir
		}
	}
	if len(candidates) == 0 {
		log.Fatal("cannot locate the server binary or the working directory to find pb_migrations (pass --migrationsDir and --hooksDir)")
	}
	return candidates[0]
}
