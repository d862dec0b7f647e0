package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// The Go tokenizer cuts and folds as FTS5's unicode61 remove_diacritics 2 does, checked against FTS5
// itself: each text is indexed, and its tokens read back in order from an fts5vocab table.
func TestSearchTokensAgreeWithFTS5(t *testing.T) {
	db := openSearchTestDB(t)
	mustExec(t, db, "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(message_search, instance)")
	texts := []string{
		"Hello, World! It's 2026-12-02.", "Crème Brûlée à la CAFÉ", "Ærøskøbing Ångström naïve coöperate",
		"e\u0301cole (combining accent)", "snake_case and kebab-case and dot.case", "Straße İstanbul ǅemal",
		"Ελληνικά Ωμέγα", "Привет, МИР", "日本語のテキスト", "emoji😀between🎉words", "١٢٣ arabic digits",
		"tabs\tand\nnewlines", "ﬁnancial ligature", "x²³ superscripts", "mixed: ABC123def",
		// every ASCII character that is not a letter or digit, between words (searchTokens' ASCII path)
		"a!b\"c#d$e%f&g'h(i)j*k+l,m-n.o/p:q;r<s=t>u?v@w[x\\y]z^A_B`C{D|E}F~G 0\x01H\x1fI\x7fJ Z9",
	}
	for i, text := range texts {
		id := "t" + string(rune('a'+i))
		mustExec(t, db, "INSERT INTO messages (id, room, user, text) VALUES (?, 'r', 'u', ?)", id, text)
		mergeAll(t, db) // the triggers queue it; the merger indexes it (search_merge.go)
		rows, err := db.Query(`SELECT term FROM search_vocab WHERE col = 'text'
			AND doc = (SELECT row FROM message_search_rows WHERE message = ?) ORDER BY offset`, id)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for rows.Next() {
			var term string
			if err := rows.Scan(&term); err != nil {
				t.Fatal(err)
			}
			want = append(want, term)
		}
		rows.Close()
		var got []string
		for _, token := range searchTokens(text) {
			got = append(got, token.Folded)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("tokens of %q\n  Go   %q\n  FTS5 %q", text, got, want)
		}
	}
}

// utf16Slice is what JavaScript's text.slice(start, end) gives.
func utf16Slice(text string, r [2]int) string {
	units := utf16.Encode([]rune(text))
	return string(utf16.Decode(units[r[0]:r[1]]))
}

func TestSearchMatches(t *testing.T) {
	cases := []struct {
		text, q string
		want    []string // the marked slices, in order
	}{
		{"Hello hello HELLO", "hello", []string{"Hello", "hello", "HELLO"}},
		{"Un café, deux cafés", "cafe", []string{"café"}},
		{"😀 then café 🎉 cafe", "CAFÉ", []string{"café", "cafe"}},
		{"𝒳 deploy deployment redeploy", "deploy*", []string{"deploy", "deployment"}},
		{"the big world is a big place", `"big world"`, []string{"big world"}},
		{"big, world! big-world", `"big world"`, []string{"big, world", "big-world"}},
		{"foo-bar and foo bar", "foo-bar", []string{"foo-bar", "foo bar"}},
		{"keep this, drop that", "keep -drop", []string{"keep"}},
		{"aaa aaa", `"aaa aaa" aaa`, []string{"aaa aaa"}},
		{"nothing here", "absent", nil},
		{"שלום עולם", "עולם", []string{"עולם"}},
	}
	for _, c := range cases {
		parsed, _ := parseSearchQuery(c.q)
		ranges := searchMatches(c.text, parsed.Terms)
		var got []string
		for _, r := range ranges {
			got = append(got, utf16Slice(c.text, r))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("searchMatches(%q, %q) marks %q (%v), want %q", c.text, c.q, got, ranges, c.want)
		}
	}
}

func TestSearchMatchesOffsetsAreUTF16(t *testing.T) {
	// é is one code unit, 😀 two: "é 😀 match" has "match" at 5..10 in JavaScript.
	parsed, _ := parseSearchQuery("match")
	if got := searchMatches("é 😀 match", parsed.Terms); !reflect.DeepEqual(got, [][2]int{{5, 10}}) {
		t.Errorf("offsets %v, want [[5 10]]", got)
	}
	if got := searchMatches(strings.Repeat("x ", 3), parsed.Terms); got == nil || len(got) != 0 {
		t.Errorf("no match must be an empty list (JSON []), got %#v", got)
	}
}

func TestMergeRanges(t *testing.T) {
	got := mergeRanges([][2]int{{5, 9}, {0, 3}, {2, 4}, {9, 12}, {6, 7}})
	want := [][2]int{{0, 4}, {5, 9}, {9, 12}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mergeRanges = %v, want %v", got, want)
	}
}

func TestFirstVarint(t *testing.T) {
	for _, c := range []struct {
		blob []byte
		want int
	}{{nil, 0}, {[]byte{5, 1, 1}, 5}, {[]byte{0x81, 0x00, 1}, 128}, {[]byte{0x82, 0x83, 0x04}, 2<<14 | 3<<7 | 4}, {[]byte{0x80}, 0}} {
		if got := firstVarint(c.blob); got != c.want {
			t.Errorf("firstVarint(%v) = %d, want %d", c.blob, got, c.want)
		}
	}
}

func TestRankSearchCandidates(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	day := func(d int) string { return now.AddDate(0, 0, -d).Format(pbDateLayout) }
	candidates := []searchCandidate{
		{Row: 1, Message: "old-short", Create: day(300), Length: 2},
		{Row: 2, Message: "new-long", Create: day(0), Length: 40},
		{Row: 3, Message: "new-short", Create: day(0), Length: 2},
		{Row: 4, Message: "month-short", Create: day(30), Length: 2},
		{Row: 5, Message: "new-short-twin", Create: day(0), Length: 2},
	}
	rankSearchCandidates(candidates, now)
	var order []string
	for _, c := range candidates {
		order = append(order, c.Message)
	}
	want := []string{"new-short-twin", "new-short", "month-short", "new-long", "old-short"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("ranked %v, want %v", order, want)
	}
}
