package main

import (
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// What SQLite's FTS5 tokenizer does with each code point, asked of SQLite itself (the modernc.org/sqlite
// this module builds, the server's): short texts around the code point are indexed by an FTS5 table
// tokenized as message_search is, and their tokens read back from an fts5vocab table. unicode61 decides
// per code point, whatever its neighbours: a token starts at a token character (categories L* N* Co,
// by SQLite's own Unicode tables), continues over token characters and diacritics, and each code point
// is folded on its own to one code point or to none. So a kind (search_fold.go) and a fold say all it
// does.

// unicode61Behaviour is the kind of every code point (indexed by it) and the folds that are not the
// code point itself (0: dropped, as remove_diacritics drops a combining accent).
type unicode61Behaviour struct {
	kind []uint8
	fold map[rune]rune
}

// searchTokenizerSpec is message_search's tokenize option, so the probe asks of the index's tokenizer.
func searchTokenizerSpec(t *testing.T) string {
	t.Helper()
	spec := regexp.MustCompile(`tokenize='[^']*'`)
	for _, statement := range searchSchema {
		if found := spec.FindString(statement); found != "" && strings.Contains(statement, "VIRTUAL TABLE message_search ") {
			return found
		}
	}
	t.Fatal("message_search has no tokenize option in searchSchema")
	return ""
}

type unicode61Probe struct {
	t  *testing.T
	db *sql.DB
}

func openUnicode61Probe(t *testing.T) unicode61Probe {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	mustExec(t, db, "CREATE VIRTUAL TABLE probe USING fts5(x, content='', "+searchTokenizerSpec(t)+")")
	mustExec(t, db, "CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, instance)")
	return unicode61Probe{t, db}
}

// tokens are FTS5's tokens of text, in order (empty tokens included: FTS5 indexes them).
func (p unicode61Probe) tokens(text string) []string {
	p.t.Helper()
	mustExec(p.t, p.db, "INSERT INTO probe (probe) VALUES ('delete-all')")
	mustExec(p.t, p.db, "INSERT INTO probe (rowid, x) VALUES (1, ?)", text)
	rows, err := p.db.Query("SELECT term, offset FROM probe_terms") // unsorted: placed by offset, faster
	if err != nil {
		p.t.Fatal(err)
	}
	defer rows.Close()
	var tokens []string
	for rows.Next() {
		var term string
		var offset int
		if err := rows.Scan(&term, &offset); err != nil {
			p.t.Fatal(err)
		}
		for len(tokens) <= offset {
			tokens = append(tokens, "")
		}
		tokens[offset] = term
	}
	if err := rows.Err(); err != nil {
		p.t.Fatal(err)
	}
	return tokens
}

// probeItems indexes the items (each a short text starting with a space, so that no two share a token)
// a chunk at a time and answers each item's FTS5 tokens; split cuts a chunk's tokens into its items'.
// Where searchTokens cuts an item otherwise, its code point is added to disagree.
func (p unicode61Probe) probeItems(runes []rune, item func(rune) string, split func(tokens []string) int,
	disagree map[rune]string) [][]string {
	p.t.Helper()
	const chunk = 16384
	answers := make([][]string, 0, len(runes))
	for lo := 0; lo < len(runes); lo += chunk {
		part := runes[lo:min(lo+chunk, len(runes))]
		var text strings.Builder
		for _, r := range part {
			text.WriteString(item(r))
		}
		tokens := p.tokens(text.String())
		for _, r := range part {
			if len(tokens) == 0 {
				p.t.Fatalf("FTS5 gave fewer tokens than the items around %U need", r)
			}
			n := split(tokens)
			answers = append(answers, tokens[:n])
			if goTokens := foldedTokens(item(r)); strings.Join(goTokens, "|") != strings.Join(tokens[:n], "|") || len(goTokens) != n {
				disagree[r] = fmt.Sprintf("%q: Go %q, SQLite %q", item(r), goTokens, tokens[:n])
			}
			tokens = tokens[n:]
		}
		if len(tokens) != 0 {
			p.t.Fatalf("FTS5 gave %d tokens more than the items up to %U", len(tokens), part[len(part)-1])
		}
	}
	return answers
}

func foldedTokens(text string) []string {
	var folded []string
	for _, token := range searchTokens(text) {
		folded = append(folded, token.Folded)
	}
	return folded
}

// probeUnicode61 asks SQLite what unicode61 does with every code point, and compares each answer with
// searchTokens' for the same text: disagree holds the code points they cut or fold differently.
//
//   - " Xa" for every code point X: one token, X's fold then "a" when X starts a token, else "a".
//   - " aXa" for those that do not start one: "a" "a" when X is a separator, else "a", X's fold, "a".
//   - " a X a" for those whose fold is nothing: "a" "" "a" if X starts a token after all (an empty
//     token, which FTS5 indexes), else "a" "a".
func probeUnicode61(t *testing.T) (unicode61Behaviour, map[rune]string) {
	p := openUnicode61Probe(t)
	every := make([]rune, 0, utf8.MaxRune+1)
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if utf8.ValidRune(r) { // not a surrogate: UTF-8 has none, nor do Go strings
			every = append(every, r)
		}
	}
	b := unicode61Behaviour{kind: make([]uint8, utf8.MaxRune+1), fold: map[rune]rune{}}
	disagree := map[rune]string{}
	setFold := func(r rune, folded string) {
		switch n := utf8.RuneCountInString(folded); {
		case n > 1:
			t.Fatalf("unicode61 folds %U to %q, more than one code point", r, folded)
		case n == 0:
			b.fold[r] = 0
		case folded != string(r):
			b.fold[r], _ = utf8.DecodeRuneInString(folded)
		}
	}
	one := func([]string) int { return 1 }
	var notStarting []rune
	for i, tokens := range p.probeItems(every, func(r rune) string { return " " + string(r) + "a" }, one, disagree) {
		if tokens[0] == "a" {
			notStarting = append(notStarting, every[i])
			continue
		}
		b.kind[every[i]] = unicode61Starts
		setFold(every[i], strings.TrimSuffix(tokens[0], "a"))
	}
	separatorOrOne := func(tokens []string) int {
		if tokens[0] == "a" {
			return 2
		}
		return 1
	}
	var foldsToNothing []rune
	for i, tokens := range p.probeItems(notStarting, func(r rune) string { return " a" + string(r) + "a" }, separatorOrOne, disagree) {
		r := notStarting[i]
		if len(tokens) == 2 {
			continue // unicode61Separator
		}
		b.kind[r] = unicode61Continues
		setFold(r, strings.TrimSuffix(strings.TrimPrefix(tokens[0], "a"), "a"))
		if b.fold[r] == 0 {
			foldsToNothing = append(foldsToNothing, r)
		}
	}
	for _, r := range foldsToNothing {
		if tokens := p.tokens(" a " + string(r) + " a"); len(tokens) == 3 {
			b.kind[r] = unicode61Starts
		}
		if got, want := foldedTokens(" a "+string(r)+" a"), p.tokens(" a "+string(r)+" a"); strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			disagree[r] = fmt.Sprintf("alone: Go %q, SQLite %q", got, want)
		}
	}
	return b, disagree
}
