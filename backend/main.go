// Command pocketbase is Palaver's server: stock PocketBase used as a Go framework, with Palaver's
// schema (pb_migrations) and server hooks (pb_hooks) loaded from the directories next to the binary's
// parent, so `backend/bin/pocketbase serve` works from any working directory.
package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/jsvm"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/pocketbase/pocketbase/tools/osutils"
)

func main() {
	base := backendDir()
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: filepath.Join(base, "pb_data")})

	var hooksDir, migrationsDir string
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
	_ = app.RootCmd.ParseFlags(os.Args[1:])

	jsvm.MustRegister(app, jsvm.Config{
		MigrationsDir: migrationsDir,
		HooksDir:      hooksDir,
		HooksWatch:    hooksWatch,
		HooksPoolSize: hooksPool,
	})

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangJS,
		Automigrate:  automigrate,
		Dir:          migrationsDir,
	})

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// backendDir is the folder that holds pb_migrations and pb_hooks: the parent of the folder the binary
// lives in (backend/bin/pocketbase -> backend/), or the working directory under `go run`.
func backendDir() string {
	if osutils.IsProbablyGoRun() {
		wd, err := os.Getwd()
		if err != nil {
			log.Fatalf("cannot read the working directory to find pb_migrations: %v", err)
		}
		return wd
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		log.Fatalf("cannot locate the server binary to find pb_migrations next to it: %v (pass --migrationsDir and --hooksDir)", err)
	}
	return filepath.Dir(filepath.Dir(exe))
}
