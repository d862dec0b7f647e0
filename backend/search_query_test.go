package main

import (
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func TestParseSearchQuery(t *testing.T) {
	word := func(text string) searchTerm { return searchTerm{Text: text} }
	cases := []struct {
		q    string
		want parsedSearch
	}{
		{"", parsedSearch{}},
		{"  hello   world ", parsedSearch{Terms: []searchTerm{word("hello"), word("world")}}},
		{`"exact phrase" after`, parsedSearch{Terms: []searchTerm{{Text: "exact phrase", Phrase: true}, word("after")}}},
		{"deplo* -staging", parsedSearch{Terms: []searchTerm{{Text: "deplo", Prefix: true}, {Text: "staging", Exclude: true}}}},
		{`-"not this" this`, parsedSearch{Terms: []searchTerm{{Text: "not this", Phrase: true, Exclude: true}, word("this")}}},
		{`"open phrase`, parsedSearch{Terms: []searchTerm{{Text: "open phrase", Phrase: true}}}},
		{`"prefix phr"*`, parsedSearch{Terms: []searchTerm{{Text: "prefix phr", Phrase: true, Prefix: true}}}},
		{`a"b`, parsedSearch{Terms: []searchTerm{word("a"), {Text: "b", Phrase: true}}}},
		{`""`, parsedSearch{Terms: []searchTerm{{Text: "", Phrase: true}}}},
		{"from:@bob hi", parsedSearch{From: "bob", Terms: []searchTerm{word("hi")}}},
		{"FROM:bob hi", parsedSearch{From: "bob", Terms: []searchTerm{word("hi")}}},
		{"in:#general hi", parsedSearch{In: "general", Terms: []searchTerm{word("hi")}}},
		{`in:#"two words" hi`, parsedSearch{In: "two words", Terms: []searchTerm{word("hi")}}},
		{`in:"two words"`, parsedSearch{In: "two words"}},
		{"in:# hi", parsedSearch{Terms: []searchTerm{word("hi")}}},
		{"before:2026-12-01 after:2026-11-01 x", parsedSearch{Before: "2026-12-01", After: "2026-11-01", Terms: []searchTerm{word("x")}}},
		{"before: x", parsedSearch{Terms: []searchTerm{word("before:"), word("x")}}},
		{"-from:@bob", parsedSearch{Terms: []searchTerm{{Text: "from:@bob", Exclude: true}}}},
		{"text:secret {text}:x NEAR(a b) a*b", parsedSearch{Terms: []searchTerm{
			word("text:secret"), word("{text}:x"), word("NEAR(a"), word("b)"), word("a*b")}}},
		{"- * ** -", parsedSearch{Terms: []searchTerm{word("-"), word("-")}}}, // nothing to search: tokens of none
		{"a AND b OR NOT c ^d", parsedSearch{Terms: []searchTerm{word("a"), word("AND"), word("b"), word("OR"), word("NOT"), word("c"), word("^d")}}},
		{"from:@bob from:@BOB x", parsedSearch{From: "bob", Terms: []searchTerm{word("x")}}},
	}
	for _, c := range cases {
		got, err := parseSearchQuery(c.q)
		if err != nil {
			t.Errorf("parseSearchQuery(%q): %v", c.q, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseSearchQuery(%q)\n got %+v\nwant %+v", c.q, got, c.want)
		}
	}
}

func TestParseSearchQueryConflicts(t *testing.T) {
	for _, q := range []string{"from:@bob from:@carol", "in:#a in:#b x", "before:2026-01-01 before:2026-01-02"} {
		var conflict searchFilterConflict
		if _, err := parseSearchQuery(q); !errors.As(err, &conflict) {
			t.Errorf("parseSearchQuery(%q) = %v, want a searchFilterConflict", q, err)
		}
	}
}

// pair is the pair token of two folded words, as the pairs column holds it.
func pair(a, b string) string { return searchPairToken(a, b) }

func TestSearchMatchExpression(t *testing.T) {
	cases := []struct {
		q, room, author string
		want            string
	}{
		{"hello", "", "", `(text : "hello")`},
		{`hello "big world" dep*`, "", "", `(text : "hello" AND pairs : "` + pair("big", "world") + `" AND text : "dep" *)`},
		{`hello -bye -"so long"`, "", "", `((text : "hello") NOT (text : "bye" OR pairs : "` + pair("so", "long") + `"))`},
		{`"Rollback, PROD now"`, "", "", `(pairs : "` + pair("rollback", "prod") + " " + pair("prod", "now") + `")`},
		{`"one"`, "", "", `(text : "one")`},
		{`foo-bar`, "", "", `(pairs : "` + pair("foo", "bar") + `")`},
		{`"big wor"*`, "", "", `(pairs : "` + pair("big", "wor") + `" *)`},
		{"-only", "", "", ""},
		{"!!! 🎉", "", "", ""},
		{`x"y`, "", "", `(text : "x" AND text : "y")`},
		{"hi", "r1", "u1", `(text : "hi") AND room : "r1" AND user : "u1"`},
		{`NEAR(a b) text:x`, "", "", `(pairs : "` + pair("near", "a") + `" AND text : "b)" AND pairs : "` + pair("text", "x") + `")`},
	}
	for _, c := range cases {
		parsed, _ := parseSearchQuery(c.q)
		got := searchMatchExpression(parsed.Terms, c.room, c.author, nil)
		if got != c.want {
			t.Errorf("searchMatchExpression(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

func TestFtsString(t *testing.T) {
	for text, want := range map[string]string{`he said "hi"`: `"he said ""hi"""`, `"`: `""""`, ``: `""`, `a*`: `"a*"`} {
		if got := ftsString(text); got != want {
			t.Errorf("ftsString(%q) = %s, want %s", text, got, want)
		}
	}
}

// nastyQueries are inputs that would be FTS5 syntax (or break a naive quoting) if they reached it as is.
var nastyQueries = []string{
	`"`, `""`, `"""`, `a"b"c"`, `NEAR(a b)`, `NEAR(a b, 2)`, `a*`, `*a`, `a*b`, `**`, `text:x`, `{text room}:x`,
	`{text}: x`, `room : "x"`, `user:*`, `- x`, `-`, `--x`, `-"`, `a AND b`, `a OR b`, `NOT a`, `AND`, `OR`, `NOT`,
	`(a`, `a)`, `()`, `(((`, `^a`, `a^`, `+a`, `a:b:c`, "\x00", "a\x00b", "\x01\x02\x1f\x7f", "\u202e\u200f",
	"\ufeff", `\"`, `'`, `''`, `;`, `--`, `/*`, `%`, `_`, "😀", "a😀b", "שלום עולם", "مرحبا", "é", "e\u0301",
	"in:#\"", "from:@\"", "before:\"", "\"in:#x", strings.Repeat("x", 500), strings.Repeat("\"a", 250),
	strings.Repeat("(", 500), strings.Repeat("a* ", 160), strings.Repeat("a ", 250), strings.Repeat("-a ", 166) + "b",
	strings.Repeat("\"a\" ", 125), strings.Repeat("a b ", 125),
}

func TestSearchMatchExpressionIsValidFTS5(t *testing.T) {
	db := openSearchTestDB(t)
	check := func(q string) {
		parsed, err := parseSearchQuery(q)
		if err != nil {
			return
		}
		expr := searchMatchExpression(parsed.Terms, "r1", "", nil)
		if expr == "" {
			return
		}
		if _, err := db.Exec("SELECT rowid FROM message_search WHERE message_search MATCH ?", expr); err != nil {
			t.Errorf("q %q made MATCH %q, which FTS5 refused: %v", q, expr, err)
		}
	}
	for _, q := range nastyQueries {
		check(q)
	}
	// Random mixes of syntax characters and words.
	pieces := []string{`"`, `*`, `-`, `:`, `(`, `)`, `^`, `{`, `}`, `+`, " ", "NEAR", "AND", "OR", "NOT", "text", "a", "é", "😀", "#", "@", "\x00"}
	random := rand.New(rand.NewSource(17))
	for range 3000 {
		var b strings.Builder
		for range 1 + random.Intn(12) {
			b.WriteString(pieces[random.Intn(len(pieces))])
		}
		check(b.String())
	}
}

func TestPrefixExpansion(t *testing.T) {
	words := map[string][]string{
		"dep": {"deploy", "deployed"}, "x": nil,
		pair("we", "dep"): {pair("we", "deploy"), pair("we", "deployed")},
		pair("s", "dep"):  {pair("s", "deploy")},
	}
	expand := func(prefix string) []string { return words[prefix] }
	cases := map[string]string{
		"dep*":          `(text : ("deploy" OR "deployed"))`,
		"Dép*":          `(text : ("deploy" OR "deployed"))`,
		`"we dep"*`:     `(pairs : ("` + pair("we", "deploy") + `" OR "` + pair("we", "deployed") + `"))`,
		`"we nothing"*`: `(pairs : "` + pair("we", "nothing") + `" *)`,
		"x* -dep*":      `((text : "x" *) NOT (text : ("deploy" OR "deployed")))`,
		`"it's dep"* y`: `(pairs : ("` + pair("it", "s") + " " + pair("s", "deploy") + `") AND text : "y")`,
		`-"we dep"* ok`: `((text : "ok") NOT (pairs : ("` + pair("we", "deploy") + `" OR "` + pair("we", "deployed") + `")))`,
	}
	for q, want := range cases {
		parsed, _ := parseSearchQuery(q)
		if got := searchMatchExpression(parsed.Terms, "", "", expand); got != want {
			t.Errorf("%q expands to %q, want %q", q, got, want)
		}
	}
}

func TestDistinctSearchTerms(t *testing.T) {
	parsed, _ := parseSearchQuery(`deploy Deploy "déploy" -deploy dep* dep* "a b" "A  B" ... -x -X`)
	kept, err := distinctSearchTerms(parsed.Terms)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, term := range kept {
		texts = append(texts, term.Text)
	}
	if got := strings.Join(texts, "|"); got != "deploy|deploy|dep|a b|x" {
		t.Errorf("kept %s", got)
	}
	many := strings.Repeat("w ", 40)
	for i := 1; i < searchMaxTerms; i++ {
		many += fmt.Sprintf("w%d ", i)
	}
	if parsed, _ := parseSearchQuery(many); len(parsed.Terms) != 40+searchMaxTerms-1 {
		t.Fatal("not parsed")
	} else if _, err := distinctSearchTerms(parsed.Terms); err != nil {
		t.Errorf("%d distinct terms refused: %v", searchMaxTerms, err)
	}
	parsed, _ = parseSearchQuery(many + "-one")
	if _, err := distinctSearchTerms(parsed.Terms); err == nil {
		t.Errorf("%d distinct terms accepted", searchMaxTerms+1)
	}
}
