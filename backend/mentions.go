package main

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

const mentionsField = "mentions"

// maxMentions bounds the users looked up for one message; the migration's maxSelect matches it.
const maxMentions = 100

// bindMentions works out who a message mentions from its text, on create and on every edit, so that a
// mention (and the notification it brings) cannot be forged: whatever a client put in `mentions` is
// replaced. Bound after the pb_hooks text cleaning, at the same model level as attachment_info.go.
//
// Only the room's members count, public rooms included. Reading a public room is open to everyone signed
// in, but its members are the people whose room list shows it and whose counts it feeds: a mention of
// someone who never joined would reach nobody's list, and counting them would let anyone ping every
// account on the server from any public room (Slack and Mattermost do not notify non-members either).
func bindMentions(app core.App) {
	app.OnRecordValidate("messages").BindFunc(func(e *core.RecordEvent) error {
		ids, err := mentionedMembers(e.App, e.Record.GetString("room"), e.Record.GetString("text"))
		if err != nil {
			return err
		}
		e.Record.Set(mentionsField, ids)
		return e.Next()
	})
}

// mentionedMembers returns the ids of the room's members named in text, in the order first mentioned.
func mentionedMembers(app core.App, roomID string, text string) ([]string, error) {
	names := mentionedNames(text)
	if len(names) == 0 || roomID == "" {
		return []string{}, nil
	}
	room, err := app.FindRecordById("rooms", roomID)
	if err != nil {
		// The room's own validation says what is wrong with it.
		return []string{}, nil
	}
	members := map[string]bool{}
	for _, id := range room.GetStringSlice("members") {
		members[id] = true
	}

	wanted := map[string]bool{}
	params := dbx.Params{}
	placeholders := []string{}
	for _, mention := range names {
		for _, candidate := range mention {
			if wanted[candidate] {
				continue
			}
			wanted[candidate] = true
			key := "m" + strconv.Itoa(len(placeholders))
			params[key] = candidate
			placeholders = append(placeholders, "{:"+key+"}")
		}
	}
	users, err := app.FindAllRecords("users",
		dbx.NewExp("username COLLATE NOCASE IN ("+strings.Join(placeholders, ",")+")", params))
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, user := range users {
		byName[strings.ToLower(user.GetString("username"))] = user.Id
	}

	ids := []string{}
	seen := map[string]bool{}
	for _, mention := range names {
		// The longest candidate that names someone: "@bob.smith" is bob.smith when there is one, "@bob." is bob.
		for _, candidate := range mention {
			id, ok := byName[candidate]
			if !ok {
				continue
			}
			if members[id] && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
			break
		}
	}
	return ids, nil
}

// isUsernameByte says whether b may be part of a username (the users migration's pattern).
func isUsernameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-'
}

// isWordRune says whether r would join a name to its neighbour: "bob@example.com" mentions nobody, and
// neither does "@bobé".
func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && isUsernameByte(byte(r)) || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// mentionedNames finds each `@name` outside code, lower-cased, as its candidates longest first: the name as
// written, then without trailing dots and dashes, which usually end the sentence rather than the name.
// At most maxMentions distinct mentions are returned.
func mentionedNames(text string) [][]string {
	prose := withoutCode(text)
	found := [][]string{}
	distinct := map[string]bool{}
	for i := 0; i < len(prose) && len(distinct) < maxMentions; i++ {
		if prose[i] != '@' {
			continue
		}
		if before, _ := utf8.DecodeLastRuneInString(prose[:i]); i > 0 && (isWordRune(before) || before == '@') {
			continue
		}
		end := i + 1
		for end < len(prose) && isUsernameByte(prose[end]) {
			end++
		}
		if after, _ := utf8.DecodeRuneInString(prose[end:]); end < len(prose) && isWordRune(after) {
			continue
		}
		name := strings.ToLower(prose[i+1 : end])
		candidates := []string{}
		for name != "" {
			candidates = append(candidates, name)
			trimmed := strings.TrimRight(name, ".-")
			if trimmed == name {
				break
			}
			name = trimmed
		}
		if len(candidates) > 0 && !distinct[candidates[0]] {
			distinct[candidates[0]] = true
			found = append(found, candidates)
		}
		i = end - 1
	}
	return found
}

// withoutCode blanks out code written with backticks, as Markdown reads it: a run of backticks opens a
// span that the next run of the same length closes (inline code and fenced blocks alike); a fence of
// three or more at the start of a line that is never closed runs to the end of the text. Each span becomes
// one space, so what stood beside it is still separated. A backslash-escaped backtick opens nothing.
func withoutCode(text string) string {
	var out strings.Builder
	i := 0
	for i < len(text) {
		c := text[i]
		if c == '\\' && i+1 < len(text) && text[i+1] == '`' {
			out.WriteString("\\`")
			i += 2
			continue
		}
		if c != '`' {
			out.WriteByte(c)
			i++
			continue
		}
		run := backtickRun(text, i)
		if closing := closingRun(text, i+run, run); closing >= 0 {
			out.WriteByte(' ')
			i = closing + run
			continue
		}
		if run >= 3 && atLineStart(text, i) {
			out.WriteByte(' ')
			return out.String()
		}
		out.WriteString(text[i : i+run])
		i += run
	}
	return out.String()
}

func backtickRun(text string, at int) int {
	n := 0
	for at+n < len(text) && text[at+n] == '`' {
		n++
	}
	return n
}

// closingRun finds the next run of exactly n backticks from `from`, or -1.
func closingRun(text string, from int, n int) int {
	for i := from; i < len(text); {
		if text[i] != '`' {
			i++
			continue
		}
		run := backtickRun(text, i)
		if run == n {
			return i
		}
		i += run
	}
	return -1
}

// atLineStart says whether only up to three spaces stand between the line's start and position at.
func atLineStart(text string, at int) bool {
	start := strings.LastIndexByte(text[:at], '\n') + 1
	indent := text[start:at]
	return len(indent) <= 3 && strings.Trim(indent, " ") == ""
}
