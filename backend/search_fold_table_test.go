package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"go/format"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The generator of search_fold_table.go, and the test that keeps it SQLite's (search_fold.go says when
// to run it): `go generate` runs this test with -update-search-fold-table, which writes the table from
// SQLite's answers instead of failing on a difference.
var updateSearchFoldTable = flag.Bool("update-search-fold-table", false, "write search_fold_table.go from SQLite's unicode61")

const searchFoldTableFile = "search_fold_table.go"

// Every code point, in Go and in SQLite: searchTokens cuts and folds each as FTS5's tokenizer does (a
// difference names the code points, so a drift of either side fails here), and search_fold_table.go
// is the table SQLite's answers make.
func TestSearchFoldTableIsUnicode61(t *testing.T) {
	behaviour, disagree := probeUnicode61(t)
	source := renderSearchFoldTable(t, behaviour)
	if *updateSearchFoldTable {
		if err := os.WriteFile(searchFoldTableFile, source, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d code points Go's table cut or folded otherwise", searchFoldTableFile, len(disagree))
		return
	}
	if len(disagree) > 0 {
		var shown []rune
		for r := range disagree {
			shown = append(shown, r)
		}
		slices.Sort(shown)
		var lines []string
		for _, r := range shown[:min(len(shown), 20)] {
			lines = append(lines, fmt.Sprintf("  %U %s", r, disagree[r]))
		}
		t.Errorf("Go cuts or folds %d code points otherwise than SQLite's unicode61, such as\n%s\n"+
			"run `go generate` in backend/ (search_fold.go)", len(disagree), strings.Join(lines, "\n"))
	}
	committed, err := os.ReadFile(searchFoldTableFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != string(source) {
		t.Errorf("%s is not the table SQLite's unicode61 makes: run `go generate` in backend/ (search_fold.go)", searchFoldTableFile)
	}
}

// A folded letter folds to itself and starts a token: a pair token (search_pairs.go), made of folded
// letters, is then one token of FTS5's and held as Go wrote it, and a query's folded words are
// tokenized by FTS5 to themselves.
func TestSearchFoldIsStable(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) || searchRuneKind(r) == unicode61Separator {
			continue
		}
		folded := searchFoldOf(r)
		switch {
		case folded == 0:
		case folded < utf8.RuneSelf:
			if !('a' <= folded && folded <= 'z' || '0' <= folded && folded <= '9') {
				t.Errorf("%U folds to %U, which ends a token", r, folded)
			}
		case searchRuneKind(folded) != unicode61Starts || searchFoldOf(folded) != folded:
			t.Errorf("%U folds to %U, of kind %d, which folds to %U", r, folded, searchRuneKind(folded), searchFoldOf(folded))
		}
	}
}

// The table's lookups agree with what they were made from, run by run (a bug of searchFoldOf's arithmetic
// would show here by code point, not only as a token that differs).
func TestSearchFoldOfEveryRun(t *testing.T) {
	for _, run := range searchFolds {
		for r := run.Lo; r <= run.Hi; r++ {
			folded := searchFoldOf(r)
			onRun := (r-run.Lo)%run.Stride == 0
			switch {
			case !onRun && folded != r && !foldedByAnotherRun(r):
				t.Errorf("%U, between the steps of run %+v, folds to %U", r, run, folded)
			case onRun && run.Same && folded != run.To, onRun && !run.Same && folded != r-run.Lo+run.To:
				t.Errorf("%U of run %+v folds to %U", r, run, folded)
			}
		}
	}
}

func foldedByAnotherRun(r rune) bool {
	for _, run := range searchFolds {
		if run.Lo <= r && r <= run.Hi && (r-run.Lo)%run.Stride == 0 {
			return true
		}
	}
	return false
}

// renderSearchFoldTable is search_fold_table.go for what SQLite answered: the kinds as ranges of code
// points above ASCII that do not start a token, the folds as runs (search_fold.go's types), gofmt'ed.
func renderSearchFoldTable(t *testing.T, b unicode61Behaviour) []byte {
	t.Helper()
	var kinds []searchKindRange
	for r := rune(utf8.RuneSelf); r <= utf8.MaxRune; r++ {
		kind := b.kind[r]
		if !utf8.ValidRune(r) {
			kind = unicode61Separator // a surrogate is never in a Go string: joins its neighbours' range
		}
		if kind == unicode61Starts {
			continue
		}
		if last := len(kinds) - 1; last >= 0 && kinds[last].Hi == r-1 && kinds[last].Kind == kind {
			kinds[last].Hi = r
			continue
		}
		kinds = append(kinds, searchKindRange{Lo: r, Hi: r, Kind: kind})
	}
	var folded []rune
	for r := range b.fold {
		if r >= utf8.RuneSelf {
			folded = append(folded, r)
		}
	}
	slices.Sort(folded)
	var runs []searchFoldRun
	for _, r := range folded {
		to := b.fold[r]
		if last := len(runs) - 1; last >= 0 && extendsRun(runs[last], r, to) {
			if runs[last].Hi == runs[last].Lo {
				runs[last].Stride = r - runs[last].Lo
				runs[last].Same = to == runs[last].To
			}
			runs[last].Hi = r
			continue
		}
		runs = append(runs, searchFoldRun{Lo: r, Hi: r, Stride: 1, To: to})
	}

	var body strings.Builder
	body.WriteString("var searchKinds = []searchKindRange{\n")
	for i, k := range kinds {
		fmt.Fprintf(&body, "{%#x, %#x, %s},", k.Lo, k.Hi, [...]string{"unicode61Separator", "", "unicode61Continues"}[k.Kind])
		body.WriteString([...]string{" ", "\n"}[btoi(i%3 == 2)])
	}
	body.WriteString("\n}\n\n// searchFolds are the folds above ASCII that are not the code point itself, by code point.\n")
	body.WriteString("var searchFolds = []searchFoldRun{\n")
	for i, run := range runs {
		fmt.Fprintf(&body, "{%#x, %#x, %d, %#x, %t},", run.Lo, run.Hi, run.Stride, run.To, run.Same)
		body.WriteString([...]string{" ", "\n"}[btoi(i%4 == 3)])
	}
	body.WriteString("\n}\n")
	digest := sha256.Sum256([]byte(body.String()))
	source := fmt.Sprintf(`// Code generated by TestSearchFoldTableIsUnicode61 (go generate, search_fold.go); DO NOT EDIT.

package main

// What SQLite's FTS5 tokenizer does with code points above ASCII, as SQLite answered for
// %s: %d ranges of code points that do not
// start a token (all others do), %d runs of folds.

// searchFoldTableDigest names this table in the index's version (search_version.go).
const searchFoldTableDigest = "%x"

// searchKinds are the code points above ASCII that do not start a token, by code point.
%s`, searchTokenizerSpec(t), len(kinds), len(runs), digest[:6], body.String())
	formatted, err := format.Source([]byte(source))
	if err != nil {
		t.Fatalf("%v in the generated\n%s", err, source)
	}
	return formatted
}

// extendsRun is whether r folding to to is the next step of run: the same fold (a diacritic removed)
// or the same distance (a case), at the run's stride (or, for a run of one, at a stride of 1 or 2).
func extendsRun(run searchFoldRun, r, to rune) bool {
	if run.Hi == run.Lo {
		step := r - run.Lo
		return (step == 1 || step == 2) && (to == run.To || (to != 0 && run.To != 0 && to-r == run.To-run.Lo))
	}
	if r-run.Hi != run.Stride {
		return false
	}
	if run.Same {
		return to == run.To
	}
	return to != 0 && to-r == run.To-run.Lo
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
