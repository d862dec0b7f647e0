package main

import "sort"

// What FTS5's tokenizer `unicode61 remove_diacritics 2` does with each code point above ASCII, as a
// table made from SQLite's own answers (search_fold_table.go), not from Go's Unicode tables: a pending
// message (search_pending.go) must be found exactly as it will be once merged, and the pairs column
// (search_pairs.go) must hold the words FTS5 sees. SQLite's unicode61 has Unicode tables of its own, of
// an older Unicode than Go's, with folds of its own (µ to μ, ς to σ, ǡ to a, no case for most astral
// scripts) and counts every unassigned astral code point as a letter; Go's tables disagreed on about
// 800 code points.
//
// Regenerate the table with `go generate` in backend/ (it runs TestSearchFoldTableIsUnicode61's
// generator, search_fold_table_test.go, which asks the modernc.org/sqlite of go.mod for every code
// point), after upgrading modernc.org/sqlite when that test fails. Nothing else is needed: the table's
// digest is part of the index's version (search_version.go), so servers re-index once at their start.
//
//go:generate go test -run ^TestSearchFoldTableIsUnicode61$ . -args -update-search-fold-table

// The kinds of code point unicode61 knows: it decides per code point, whatever the neighbours.
const (
	unicode61Separator = iota // ends a token, never in one
	unicode61Starts           // starts or continues a token (a letter, number or private-use character)
	unicode61Continues        // continues a token, never starts one (a combining diacritic)
)

// searchKindRange is a range of code points of one kind; code points above ASCII in no range start.
type searchKindRange struct {
	Lo, Hi rune
	Kind   uint8
}

// searchFoldRun is a run of code points that do not fold to themselves: Lo, Lo+Stride, … Hi. With
// Same, each folds to To (a letter without its diacritics; 0: to nothing, dropped); else each folds
// to itself plus To-Lo (a case).
type searchFoldRun struct {
	Lo, Hi, Stride, To rune
	Same               bool
}

// searchRuneKind is unicode61's kind of a code point above ASCII.
func searchRuneKind(r rune) uint8 {
	i := sort.Search(len(searchKinds), func(i int) bool { return searchKinds[i].Hi >= r })
	if i < len(searchKinds) && searchKinds[i].Lo <= r {
		return searchKinds[i].Kind
	}
	return unicode61Starts
}

// searchFoldOf is what unicode61 folds a code point above ASCII to; 0 when it drops it.
func searchFoldOf(r rune) rune {
	i := sort.Search(len(searchFolds), func(i int) bool { return searchFolds[i].Hi >= r })
	if i == len(searchFolds) {
		return r
	}
	run := searchFolds[i]
	switch {
	case r < run.Lo || (r-run.Lo)%run.Stride != 0:
		return r
	case run.Same:
		return run.To
	default:
		return r - run.Lo + run.To
	}
}
