package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// The full-text index of messages (pb_migrations/1795700130_message_search.js explains its shape), kept
// by triggers that write what changed into message_search_pending and message_search_gone, which the
// server's merger moves into FTS5 a batch at a time (pb_migrations/1795700140_message_search_pending.js,
// search_merge.go). The tables are 1795700130's and 1795700140's, the triggers 1795700140's (which
// replaced 1795700130/1795700133's); search_index_test.go compares them.
var searchSchema = []string{
	`CREATE TABLE message_search_rows (
    row INTEGER PRIMARY KEY,
    message TEXT NOT NULL UNIQUE,
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL DEFAULT ''
  )`,
	// With the pairs column of migration 1795700145 (search_pairs.go).
	`CREATE VIRTUAL TABLE message_search USING fts5(
    text, room, user, pairs, content='', tokenize='unicode61 remove_diacritics 2'
  )`,
	`CREATE TABLE message_search_pending (
    row INTEGER PRIMARY KEY,
    text TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT ''
  )`,
	`CREATE TABLE message_search_gone (
    row INTEGER PRIMARY KEY,
    text TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT ''
  )`,
	`CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_rows (message, room, user, created) VALUES (new.id, new.room, new.user, new.created);
    INSERT OR REPLACE INTO message_search_pending (row, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
	`CREATE TRIGGER message_search_update AFTER UPDATE OF text, room, user ON messages
    WHEN old.text IS NOT new.text OR old.room IS NOT new.room OR old.user IS NOT new.user BEGIN
    INSERT OR IGNORE INTO message_search_gone (row, text, room, user)
      SELECT r.row, old.text, r.room, r.user FROM message_search_rows r WHERE r.message = old.id
        AND NOT EXISTS (SELECT 1 FROM message_search_pending p WHERE p.row = r.row);
    UPDATE message_search_rows SET room = new.room, user = new.user WHERE message = new.id;
    INSERT OR REPLACE INTO message_search_pending (row, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
	`CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT OR IGNORE INTO message_search_gone (row, text, room, user)
      SELECT r.row, old.text, r.room, r.user FROM message_search_rows r WHERE r.message = old.id
        AND NOT EXISTS (SELECT 1 FROM message_search_pending p WHERE p.row = r.row);
    DELETE FROM message_search_pending WHERE row IN (SELECT row FROM message_search_rows WHERE message = old.id);
    DELETE FROM message_search_rows WHERE message = old.id;
  END`,
}

// searchBackfill numbers every message in creation order and queues it as pending; the rebuild then
// merges the queue into FTS5 in Go (mergeSearchBatch), with the values searchIndexValues gives, as the
// server's merger does.
var searchBackfill = []string{
	`INSERT INTO message_search_rows (message, room, user, created)
    SELECT id, room, user, created FROM messages ORDER BY created, id`,
	`INSERT INTO message_search_pending (row, text, room, user)
    SELECT r.row, m.text, r.room, r.user FROM message_search_rows r JOIN messages m ON m.id = r.message ORDER BY r.row`,
}

var searchDrop = []string{
	"DROP TRIGGER IF EXISTS message_search_insert",
	"DROP TRIGGER IF EXISTS message_search_update",
	"DROP TRIGGER IF EXISTS message_search_delete",
	"DROP TABLE IF EXISTS message_search",
	"DROP TABLE IF EXISTS message_search_rows",
	"DROP TABLE IF EXISTS message_search_pending",
	"DROP TABLE IF EXISTS message_search_gone",
}

// rebuildSearchIndex drops the index, its row numbers, queues and triggers and makes them again from
// messages, in one transaction: a reader sees the old index or the new one, and a write waits for it.
// It answers how many messages it indexed.
func rebuildSearchIndex(app core.App) (int, error) {
	indexed := 0
	err := app.RunInTransaction(func(tx core.App) error {
		for _, group := range [][]string{searchDrop, searchSchema, searchBackfill} {
			for _, sql := range group {
				if _, err := tx.DB().NewQuery(sql).Execute(); err != nil {
					return fmt.Errorf("%w (in %.60q)", err, sql)
				}
			}
		}
		for {
			merged, err := mergeSearchBatch(tx.DB(), searchRebuildBatch)
			if err != nil {
				return err
			}
			if merged == 0 {
				break
			}
		}
		// made by this build's tokenizer: its version is the index's (search_version.go)
		if err := storeSearchIndexVersion(tx.DB(), searchIndexVersion()); err != nil {
			return err
		}
		return tx.DB().NewQuery("SELECT count(*) FROM message_search_rows").Row(&indexed)
	})
	return indexed, err
}

// searchRebuildBatch is how many rows the rebuild merges per statement group; one transaction holds them
// all, so the size only bounds the memory of one batch.
const searchRebuildBatch = 20000

// bindSearchCommands adds `search rebuild`: for an index that someone changed by hand, or a database
// restored from a copy made without it (a tokenizer change needs none: the server re-indexes by itself at
// its start, search_version.go; the rebuild stores this build's version too). Migrations are applied first (as `serve`
// does), so the index is never made before the migration that owns it.
func bindSearchCommands(app core.App, root *cobra.Command) {
	search := &cobra.Command{
		Use:   "search",
		Short: "Maintains the full-text index of messages",
	}
	search.AddCommand(&cobra.Command{
		Use:          "rebuild",
		Example:      "search rebuild --dir /var/lib/palaver/pb_data",
		Short:        "Rebuilds the full-text index of messages from the messages table, in one transaction",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(_ *cobra.Command, _ []string) error {
			if !app.IsBootstrapped() {
				if err := app.Bootstrap(); err != nil {
					return err
				}
			}
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("could not apply the migrations first: %w", err)
			}
			indexed, err := rebuildSearchIndex(app)
			if err != nil {
				return errors.New("the search index was not rebuilt (nothing changed): " + err.Error())
			}
			fmt.Printf("Rebuilt the search index: %d messages indexed.\n", indexed)
			return nil
		},
	})
	search.AddCommand(&cobra.Command{
		Use:     "merge",
		Example: "search merge --dir /var/lib/palaver/pb_data",
		Short: "Moves the search index's queued changes (messages written while no server ran, e.g. by the sqlite3 CLI) into FTS5; " +
			"a running server does this by itself",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(_ *cobra.Command, _ []string) error {
			if !app.IsBootstrapped() {
				if err := app.Bootstrap(); err != nil {
					return err
				}
			}
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("could not apply the migrations first: %w", err)
			}
			// first, an index made by another tokenizer is queued again whole (search_version.go)
			notice, err := checkSearchIndexVersion(app)
			if err != nil {
				return err
			}
			if notice != "" {
				fmt.Println(notice)
			}
			started := time.Now()
			merged, err := mergeSearchQueue(app, nil)
			if err != nil {
				return fmt.Errorf("the search index's queue was merged only in part (%d rows; searches still find the rest, run it again): %w", merged, err)
			}
			fmt.Printf("Merged %d queued changes into the search index in %.1f s.\n", merged, time.Since(started).Seconds())
			return nil
		},
	})
	root.AddCommand(search)
}
