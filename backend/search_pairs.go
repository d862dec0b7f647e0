package main

import "strings"

// Word pairs, so that a phrase of common words is one short list of the index to read (bench/README.md,
// "Search"): FTS5 answers `"rollback prod"` on the text column by reading both words' whole lists of
// positions over the whole history (each word in 8 % of messages) and comparing them, when fewer than a
// page of matches lets its newest-first walk stop early. The index's `pairs` column holds, for each two
// adjacent words of a message, one token made of both; the phrase "a b c" is then the phrase of pairs
// "a+b b+c" on that column: adjacent in the same order exactly when the words are, and its list of
// messages is that of the pair itself.
//
// A pair token is searchPairMark, the first word, searchPairMark, the second word, both folded as
// searchTokens folds them (as unicode61 remove_diacritics 2 does). U+E000 is a private-use character,
// which unicode61 counts as part of a token (its categories L* N* Co), so FTS5 keeps the pair one token;
// search_pairs_test.go reads them back from FTS5. Starting with the mark keeps the pairs apart from the
// words in the index's sorted list of terms (message_search_terms, which prefix searches read by range:
// `dep*` is the terms from "dep" up to "dep\U0010FFFF", and no pair starts with "dep").
//
// A word can itself hold private-use characters, so the two marks are escaped in it (U+E001 U+E001 for
// U+E001, U+E001 U+E002 for U+E000): a pair then never reads as another pair of other words. Both the
// pairs of a message and the pairs of a query are cut by Go (searchTokens), as unicode61 cuts the
// text column (search_fold.go); the letters of a pair token are already folded, and unicode61 folds a
// folded letter to itself (search_fold_table_test.go checks), so FTS5 holds the token Go wrote.
const (
	searchPairMark   = '\uE000'
	searchPairEscape = '\uE001'
)

// searchPairToken is the pair token of two folded words; with an empty second word, the start of every
// pair whose first word is `first` (a prefix of the tokens of `"first x"*`).
func searchPairToken(first, second string) string {
	var b strings.Builder
	b.Grow(len(first) + len(second) + 6)
	b.WriteRune(searchPairMark)
	writePairWord(&b, first)
	b.WriteRune(searchPairMark)
	writePairWord(&b, second)
	return b.String()
}

func writePairWord(b *strings.Builder, word string) {
	if !strings.ContainsAny(word, string([]rune{searchPairMark, searchPairEscape})) {
		b.WriteString(word)
		return
	}
	for _, r := range word {
		switch r {
		case searchPairEscape:
			b.WriteRune(searchPairEscape)
			b.WriteRune(searchPairEscape)
		case searchPairMark:
			b.WriteRune(searchPairEscape)
			b.WriteRune('\uE002')
		default:
			b.WriteRune(r)
		}
	}
}

// searchPairTokens are the pair tokens of consecutive tokens, in order (one fewer than the tokens).
func searchPairTokens(tokens []searchToken) []string {
	if len(tokens) < 2 {
		return nil
	}
	pairs := make([]string, len(tokens)-1)
	for i := range pairs {
		pairs[i] = searchPairToken(tokens[i].Folded, tokens[i+1].Folded)
	}
	return pairs
}

// searchPairs is the value of the index's pairs column for a message's text: its pair tokens separated
// by spaces ("" for a text of fewer than two words). FTS5 holds it and must be given it again, the same,
// to forget a row: ANY change to its output (or searchPairToken's) bumps searchTokenizerRevision
// (search_version.go), and servers then re-index every message at their start.
func searchPairs(text string) string {
	return strings.Join(searchPairTokens(searchTokens(text)), " ")
}
