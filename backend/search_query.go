package main

import (
	"fmt"
	"strings"
	"unicode"
)

// The query language of GET /api/palaver/search, as people already type it in Slack or Mattermost:
//
//	words            every word must be in the message (any letter case, accents ignored)
//	"exact phrase"   these words in this order
//	prefix*          a word starting so
//	-word, -"a b"    not this word or phrase
//	from:@username   written by that person (the @ may be left out)
//	in:#room         in that room; in:#"two words" for a name with spaces
//	before:DATE      created before that day starts; after:DATE: created after that day ends
//
// Anything else is text: a quote left open runs to the end, `foo:bar` is the words foo and bar, and
// FTS5's own syntax (NEAR, AND/OR/NOT, column filters, parentheses, ^, a `*` inside a word) means
// nothing. The parsed terms reach FTS5 only as double-quoted strings (searchMatchExpression).

// searchTerm is one word or phrase of a query, as typed (not yet tokenized).
type searchTerm struct {
	Text    string
	Phrase  bool // typed in quotes
	Prefix  bool // ended with *
	Exclude bool // started with -
}

// parsedSearch is what parseSearchQuery understood; filters are the raw values typed after their
// keyword, checked and resolved by the route.
type parsedSearch struct {
	Terms  []searchTerm
	From   string // without the @
	In     string // without the #
	Before string
	After  string
}

// searchFilterConflict is returned when one filter is given twice with different values.
type searchFilterConflict struct{ Filter string }

func (c searchFilterConflict) Error() string {
	return "Use one " + c.Filter + ": filter at a time."
}

// parseSearchQuery splits q into terms and filters. It never fails on text; only a filter given twice
// with two different values is an error (which one was meant cannot be guessed).
func parseSearchQuery(q string) (parsedSearch, error) {
	var parsed parsedSearch
	// Control characters (NUL above all, which would end FTS5's string early) separate words, as they
	// would in a message, whose text never holds them (pb_hooks remove them).
	runes := []rune(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q))
	i := 0
	for i < len(runes) {
		if unicode.IsSpace(runes[i]) {
			i++
			continue
		}
		exclude := false
		if runes[i] == '-' && i+1 < len(runes) && !unicode.IsSpace(runes[i+1]) {
			exclude = true
			i++
		}
		if runes[i] == '"' {
			text, next := quoted(runes, i)
			i = next
			prefix := false
			for i < len(runes) && runes[i] == '*' {
				prefix = true
				i++
			}
			parsed.Terms = append(parsed.Terms, searchTerm{Text: text, Phrase: true, Prefix: prefix, Exclude: exclude})
			continue
		}
		start := i
		for i < len(runes) && !unicode.IsSpace(runes[i]) && runes[i] != '"' {
			i++
		}
		word := string(runes[start:i])
		if !exclude {
			if key, value, ok := searchFilter(word); ok {
				if value == "" && i < len(runes) && runes[i] == '"' && (key == "in" || key == "from") {
					value, i = quoted(runes, i)
				}
				if err := parsed.set(key, value); err != nil {
					return parsed, err
				}
				continue
			}
		}
		prefix := strings.HasSuffix(word, "*")
		word = strings.TrimRight(word, "*")
		if word == "" {
			continue
		}
		parsed.Terms = append(parsed.Terms, searchTerm{Text: word, Prefix: prefix, Exclude: exclude})
	}
	return parsed, nil
}

// quoted reads a quoted string starting at runes[at] == '"': its text and the index after its closing
// quote (the end when it is never closed).
func quoted(runes []rune, at int) (string, int) {
	end := at + 1
	for end < len(runes) && runes[end] != '"' {
		end++
	}
	text := string(runes[at+1 : end])
	if end < len(runes) {
		end++
	}
	return text, end
}

// searchFilter recognises `from:@x`, `in:#x`, `before:x`, `after:x` (keywords in any letter case).
// `from:` and `in:` may have nothing after them in the word: a quoted value may follow
// (`in:#"two words"`), else they are an empty filter, ignored.
func searchFilter(word string) (key, value string, ok bool) {
	colon := strings.IndexByte(word, ':')
	if colon <= 0 {
		return "", "", false
	}
	key = strings.ToLower(word[:colon])
	value = word[colon+1:]
	switch key {
	case "from":
		value = strings.TrimPrefix(value, "@")
	case "in":
		value = strings.TrimPrefix(value, "#")
	case "before", "after":
		if value == "" {
			return "", "", false
		}
		return key, value, true
	default:
		return "", "", false
	}
	return key, value, true
}

func (p *parsedSearch) set(key, value string) error {
	var slot *string
	switch key {
	case "from":
		slot = &p.From
	case "in":
		slot = &p.In
	case "before":
		slot = &p.Before
	case "after":
		slot = &p.After
	}
	if value == "" {
		return nil // `in:#` followed by nothing: no filter, and no text worth searching
	}
	if *slot != "" {
		if !strings.EqualFold(*slot, value) {
			return searchFilterConflict{Filter: key}
		}
		return nil
	}
	*slot = value
	return nil
}

// ftsString quotes text as an FTS5 string: in double quotes, each inner double quote doubled. Inside
// one, nothing is syntax: FTS5 only tokenizes it.
func ftsString(text string) string {
	return `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
}

// searchMatchExpression is the FTS5 MATCH expression for the terms that have something to search for
// (at least one letter or digit), each restricted to its column, with the room and author as extra
// conditions on their own columns (ids: letters and digits only, quoted all the same). Empty when no
// positive term is left: the caller answers 400.
//
// A term of one word is that word on the text column. A term of several words (a phrase, or a word
// FTS5 cuts in two such as foo-bar) is the phrase of its word pairs on the pairs column
// (search_pairs.go): one short list of the index to read, where the phrase of the words themselves reads
// each word's whole list of positions (bench/README.md, "Search").
//
// A prefix term becomes the words (or the pairs, for the last two words of a phrase) of the index that
// start so, when expand (may be nil) finds a few: FTS5 answers `"dep" *` by gathering every such word's
// whole list of messages before returning the first one, while `"deploy" OR "deployed"` is read newest
// first and stops with the page (bench/README.md).
func searchMatchExpression(terms []searchTerm, room, author string, expand func(prefix string) []string) string {
	var positive, negative []string
	for _, term := range terms {
		tokens := searchTokens(term.Text)
		if len(tokens) == 0 {
			continue
		}
		expr := termExpression(term, tokens, expand)
		if term.Exclude {
			negative = append(negative, expr)
		} else {
			positive = append(positive, expr)
		}
	}
	if len(positive) == 0 {
		return ""
	}
	expr := "(" + strings.Join(positive, " AND ") + ")"
	if len(negative) > 0 {
		expr = "(" + expr + " NOT (" + strings.Join(negative, " OR ") + "))"
	}
	if room != "" {
		expr += " AND room : " + ftsString(room)
	}
	if author != "" {
		expr += " AND user : " + ftsString(author)
	}
	return expr
}

// termExpression is one term with its column filter: `text : "word"`, `text : "dep" *` (or its words),
// `pairs : "<a b> <b c>"`, `pairs : "<a b>" *` (or its pairs). FTS5 tokenizes what is in the quotes:
// a single word is given as typed, so FTS5 folds it as it folded the text; pairs are given folded by Go,
// as the merger wrote them, and unicode61 folds both alike again.
func termExpression(term searchTerm, tokens []searchToken, expand func(prefix string) []string) string {
	if len(tokens) == 1 {
		if term.Prefix {
			return "text : " + prefixExpression(ftsString(term.Text), "", tokens[0].Folded, expand)
		}
		return "text : " + ftsString(term.Text)
	}
	pairs := searchPairTokens(tokens)
	if !term.Prefix {
		return "pairs : " + ftsString(strings.Join(pairs, " "))
	}
	lead := ""
	for _, pair := range pairs[:len(pairs)-1] {
		lead += pair + " "
	}
	last := pairs[len(pairs)-1]
	return "pairs : " + prefixExpression(ftsString(lead+last), lead, last, expand)
}

// prefixExpression is `quoted *` (FTS5's own prefix search of the phrase's last token), or the phrase
// once for each term of the index that the last token starts, joined by OR, each after lead (the tokens
// before it, folded, with a space after each).
func prefixExpression(quoted, lead, last string, expand func(prefix string) []string) string {
	native := quoted + " *"
	if expand == nil {
		return native
	}
	terms := expand(last)
	if len(terms) == 0 {
		return native
	}
	alternatives := make([]string, len(terms))
	for i, term := range terms {
		alternatives[i] = ftsString(lead + term)
	}
	return "(" + strings.Join(alternatives, " OR ") + ")"
}

// searchMaxTerms is how many different words and phrases (excluded ones included) a query may hold:
// each is one more doclist FTS5 reads and intersects for every match, and a query of hundreds of words
// (q allows 500 characters) costs that many times a search that anyone would type.
const searchMaxTerms = 16

// distinctSearchTerms drops the terms that search for nothing (no letter or digit) and the repeats of a
// term (the same words after folding, the same prefix and exclusion: `deploy Deploy "déploy"` is one
// word), and refuses more than searchMaxTerms of them.
func distinctSearchTerms(terms []searchTerm) ([]searchTerm, error) {
	seen := map[string]bool{}
	var kept []searchTerm
	for _, term := range terms {
		tokens := searchTokens(term.Text)
		if len(tokens) == 0 {
			continue
		}
		key := fmt.Sprint(term.Exclude, term.Prefix)
		for _, token := range tokens {
			key += " " + token.Folded
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		kept = append(kept, term)
	}
	if len(kept) > searchMaxTerms {
		return kept, fmt.Errorf("Search for at most %d words or phrases at a time.", searchMaxTerms)
	}
	return kept, nil
}
