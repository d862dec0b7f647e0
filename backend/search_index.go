package main

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// The full-text index of messages (pb_migrations/1795700130_message_search.js explains its shape and
// keeps it by triggers): the same statements as that migration, with message_search_update as
// 1795700133_message_search_moves.js replaced it; search_index_test.go compares them.
var searchSchema = []string{
	`CREATE TABLE message_search_rows (
    row INTEGER PRIMARY KEY,
    message TEXT NOT NULL UNIQUE,
    room TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL DEFAULT ''
  )`,
	`CREATE VIRTUAL TABLE message_search USING fts5(
    text, room, user, content='', tokenize='unicode61 remove_diacritics 2'
  )`,
	`CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_rows (message, room, user, created) VALUES (new.id, new.room, new.user, new.created);
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, new.room, new.user FROM message_search_rows WHERE message = new.id;
  END`,
	// As migration 1795700133 made it: also when a message changes room or author.
	`CREATE TRIGGER message_search_update AFTER UPDATE OF text, room, user ON messages
    WHEN old.text IS NOT new.text OR old.room IS NOT new.room OR old.user IS NOT new.user BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    UPDATE message_search_rows SET room = new.room, user = new.user WHERE message = new.id;
    INSERT INTO message_search (rowid, text, room, user)
      SELECT row, new.text, room, user FROM message_search_rows WHERE message = new.id;
  END`,
	`CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, text, room, user)
      SELECT 'delete', row, old.text, room, user FROM message_search_rows WHERE message = old.id;
    DELETE FROM message_search_rows WHERE message = old.id;
  END`,
}

var searchBackfill = []string{
	`INSERT INTO message_search_rows (message, room, user, created)
    SELECT id, room, user, created FROM messages ORDER BY created, id`,
	`INSERT INTO message_search (rowid, text, room, user)
    SELECT r.row, m.text, r.room, r.user FROM message_search_rows r JOIN messages m ON m.id = r.message ORDER BY r.row`,
}

var searchDrop = []string{
	"DROP TRIGGER IF EXISTS message_search_insert",
	"DROP TRIGGER IF EXISTS message_search_update",
	"DROP TRIGGER IF EXISTS message_search_delete",
	"DROP TABLE IF EXISTS message_search",
	"DROP TABLE IF EXISTS message_search_rows",
}

// rebuildSearchIndex drops the index, its row numbers and triggers and makes them again from messages,
// in one transaction: a reader sees the old index or the new one, and a write waits for it. It answers
// how many messages it indexed.
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
		return tx.DB().NewQuery("SELECT count(*) FROM message_search_rows").Row(&indexed)
	})
	return indexed, err
}

// bindSearchCommands adds `search rebuild`: for an index that someone changed by hand, a database
// restored from a copy made without it, or a tokenizer change. Migrations are applied first (as `serve`
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
	root.AddCommand(search)
}
