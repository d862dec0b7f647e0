package main

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// pairsTable is an FTS5 table of one pairs column (tokenized as message_search is) and an fts5vocab
// table reading its tokens back in order.
func pairsTable(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "pairs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	mustExec(t, db, "CREATE VIRTUAL TABLE p USING fts5(pairs, content='', tokenize='unicode61 remove_diacritics 2')")
	mustExec(t, db, "CREATE VIRTUAL TABLE p_vocab USING fts5vocab(p, instance)")
	return db
}

var pairTexts = []string{
	"Rollback PROD now", "rollback, prod! (now)", "Crème Brûlée à la CAFÉ", "e\u0301cole fermée", "snake_case kebab-case",
	"Straße İstanbul", "Ελληνικά Ωμέγα λέξεις", "Привет, МИР", "日本語 テキスト", "emoji😀between🎉words", "١٢٣ arabic",
	"private \ue000 use \ue001\ue000 marks \ue002x", "a\ue000b c", "a b\ue000c", "x²³ ﬁnancial",
	"one", "", "!!! ...", "tabs\tand\nnewlines",
}

// Each pair stays one token of FTS5's unicode61 tokenizer, as searchPairTokens wrote it (the Greek
// text has the final sigma, which Go's lowercase would keep and unicode61 folds to σ).
func TestSearchPairsAreFTS5Tokens(t *testing.T) {
	db := pairsTable(t)
	for i, text := range pairTexts {
		mustExec(t, db, "INSERT INTO p (rowid, pairs) VALUES (?, ?)", i+1, searchPairs(text))
		rows, err := db.Query("SELECT term FROM p_vocab WHERE doc = ? ORDER BY offset", i+1)
		if err != nil {
			t.Fatal(err)
		}
		var indexed []string
		for rows.Next() {
			var term string
			if err := rows.Scan(&term); err != nil {
				t.Fatal(err)
			}
			indexed = append(indexed, term)
		}
		rows.Close()
		want := searchPairTokens(searchTokens(text))
		if len(want) == 0 {
			want = nil
		}
		if len(indexed) != len(want) || !reflect.DeepEqual(indexed, want) {
			t.Errorf("pairs of %q\n  Go   %q\n  FTS5 %q", text, want, indexed)
		}
	}
}

func TestSearchPairs(t *testing.T) {
	p := func(a, b string) string { return "\ue000" + a + "\ue000" + b }
	cases := map[string]string{
		"Rollback, PROD now!":  p("rollback", "prod") + " " + p("prod", "now"),
		"Déjà   VU":            p("deja", "vu"),
		"one":                  "",
		"":                     "",
		"foo-bar":              p("foo", "bar"),
		"a\ue000b c":           p("a\ue001\ue002b", "c"),
		"a b\ue000c":           p("a", "b\ue001\ue002c"),
		"\ue001 \ue001\ue001x": p("\ue001\ue001", "\ue001\ue001\ue001\ue001x"),
	}
	for text, want := range cases {
		if got := searchPairs(text); got != want {
			t.Errorf("searchPairs(%q) = %q, want %q", text, got, want)
		}
	}
	// Two different pairs of words never give the same token, whatever private-use characters they hold.
	words := []string{"a", "b", "\ue000", "\ue001", "a\ue000", "\ue000b", "a\ue001", "\ue001\ue002", "\ue002", ""}
	seen := map[string][2]string{}
	for _, a := range words {
		for _, b := range words {
			token := searchPairToken(a, b)
			if other, ok := seen[token]; ok {
				t.Errorf("%q and %q give the same pair token as %q", [2]string{a, b}, other, token)
			}
			seen[token] = [2]string{a, b}
		}
	}
	// A pair's first word and the start of its second are a prefix of the pair's token.
	if full, start := searchPairToken("roll", "production"), searchPairToken("roll", "prod"); !strings.HasPrefix(full, start) {
		t.Errorf("%q does not start with %q", full, start)
	}
}
