package main

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The matched ranges of a search result, worked out in Go from the text and the query: FTS5's own
// highlight() needs the text stored in the index, and this index is contentless (the text lives once, in
// messages). So the text is cut into tokens exactly as FTS5's `unicode61 remove_diacritics 2` tokenizer
// cuts it, by a table of SQLite's own answers (search_fold.go):
//
//   - a token is a run of what unicode61 counts as letters, numbers and private-use characters (its
//     default categories L*, N*, Co, by its own Unicode tables); a combining diacritic continues a token
//     but never starts one;
//   - tokens are compared folded as unicode61 folds: lowercased, diacritics removed (é is e, Å is a).
//
// The same tokens decide which pending messages a search finds (search_pending.go) and are in the
// index's pairs column (search_pairs.go): search_fold_table_test.go compares them with SQLite's for
// every code point.

// searchToken is one token of a text: its folded form, and where it is as UTF-16 code units (the
// JavaScript string indices the client highlights with), end exclusive.
type searchToken struct {
	Folded     string
	Start, End int
}

// searchTokens cuts text into tokens as unicode61 does. Its output is in the index (the pairs column,
// search_pairs.go): ANY change to it bumps searchTokenizerRevision (search_version.go), so that servers
// re-index; a regenerated table of SQLite's folds does that by itself (its digest is in the version).
func searchTokens(text string) []searchToken {
	var tokens []searchToken
	var folded strings.Builder
	inToken := false
	start, offset := 0, 0 // in UTF-16 code units
	for _, r := range text {
		if r < utf8.RuneSelf {
			// ASCII, most of most messages: letters and digits are a token, folded to lowercase; all else
			// (spaces, punctuation, control characters) ends one. The same as below, without the tables.
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9', 'A' <= r && r <= 'Z':
				if !inToken {
					inToken = true
					start = offset
					folded.Reset()
				}
				if r <= 'Z' && r >= 'A' {
					r += 'a' - 'A'
				}
				folded.WriteByte(byte(r))
			case inToken:
				tokens = append(tokens, searchToken{Folded: folded.String(), Start: start, End: offset})
				inToken = false
			}
			offset++
			continue
		}
		width := 1
		if r >= 0x10000 {
			width = 2
		}
		switch kind := searchRuneKind(r); {
		case kind == unicode61Starts:
			if !inToken {
				inToken = true
				start = offset
				folded.Reset()
			}
			foldRune(&folded, r)
		case inToken && kind == unicode61Continues:
			foldRune(&folded, r)
		default:
			if inToken {
				tokens = append(tokens, searchToken{Folded: folded.String(), Start: start, End: offset})
				inToken = false
			}
		}
		offset += width
	}
	if inToken {
		tokens = append(tokens, searchToken{Folded: folded.String(), Start: start, End: offset})
	}
	return tokens
}

// foldRune writes what unicode61 folds r to (search_fold.go): lowercased, without diacritics, or
// nothing for a combining diacritic. ANY change to its output bumps searchTokenizerRevision
// (search_version.go): the pairs column of the index holds it.
func foldRune(out *strings.Builder, r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		out.WriteByte(byte(r))
		return
	}
	if r = searchFoldOf(r); r != 0 {
		out.WriteRune(r)
	}
}

// searchMatches is where the query's positive terms are in text: [start, end) ranges in UTF-16 code
// units, sorted, overlapping ones merged. A term of several tokens (a phrase, or a word FTS5 splits
// such as `foo-bar`) is matched as consecutive tokens, from the start of its first to the end of its
// last; a prefix term's last token matches any token starting with it. Excluded terms are never marked.
func searchMatches(text string, terms []searchTerm) [][2]int {
	tokens := searchTokens(text)
	var ranges [][2]int
	for _, term := range terms {
		if term.Exclude {
			continue
		}
		wanted := searchTokens(term.Text)
		if len(wanted) == 0 {
			continue
		}
		for i := 0; i+len(wanted) <= len(tokens); i++ {
			if tokensMatch(tokens[i:i+len(wanted)], wanted, term.Prefix) {
				ranges = append(ranges, [2]int{tokens[i].Start, tokens[i+len(wanted)-1].End})
			}
		}
	}
	return mergeRanges(ranges)
}

func tokensMatch(have, wanted []searchToken, prefix bool) bool {
	last := len(wanted) - 1
	for k := range wanted {
		if k == last && prefix {
			if !strings.HasPrefix(have[k].Folded, wanted[k].Folded) {
				return false
			}
		} else if have[k].Folded != wanted[k].Folded {
			return false
		}
	}
	return true
}

func mergeRanges(ranges [][2]int) [][2]int {
	if len(ranges) == 0 {
		return [][2]int{}
	}
	slices.SortFunc(ranges, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	merged := [][2]int{ranges[0]}
	for _, r := range ranges[1:] {
		last := &merged[len(merged)-1]
		if r[0] < last[1] {
			last[1] = max(last[1], r[1])
			continue
		}
		merged = append(merged, r)
	}
	return merged
}
