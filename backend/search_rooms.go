package main

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// readableRooms is every room whose messages the caller may read, by the messages list rule, as id ->
// kind: public rooms, and the private rooms and direct conversations they are a member of (members: a
// JSON array of ids, so the quoted id matches one whole element). An invitation is not membership.
//
// Only id and kind, which come before members in the row: a public room's members run to thousands of
// ids, stored on overflow pages that reading a later column (name) would walk for every room.
func readableRooms(app core.App, me string) (map[string]string, error) {
	var rows []struct {
		ID   string `db:"id"`
		Kind string `db:"kind"`
	}
	err := app.DB().NewQuery("SELECT id, kind FROM rooms WHERE kind = 'public' OR instr(members, {:quoted}) > 0").
		Bind(dbx.Params{"quoted": `"` + me + `"`}).All(&rows)
	if err != nil {
		return nil, err
	}
	rooms := make(map[string]string, len(rows))
	for _, row := range rows {
		rooms[row.ID] = row.Kind
	}
	return rooms, nil
}

// searchRoomsByID reads the id, name and kind of the given rooms.
func searchRoomsByID(app core.App, ids []string) (map[string]searchRoom, error) {
	unique := make([]any, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	var rows []searchRoom
	err := app.DB().Select("id", "name", "kind").From("rooms").Where(dbx.In("id", unique...)).All(&rows)
	rooms := make(map[string]searchRoom, len(rows))
	for _, row := range rows {
		rooms[row.ID] = row
	}
	return rooms, err
}

// resolveSearchRoom finds the room of the `room` parameter (an id) or of `in:#name` in q, among the rooms
// the caller can read. Both given must be the same room. A name matches in any letter case (public room
// names are unique so, by idx_rooms_public_name); a name that several readable rooms share is refused
// rather than guessed (the client can send the room's id). A room one cannot read gets the same answer
// as one that does not exist.
func resolveSearchRoom(app core.App, me, id, name string, readable map[string]string) (*searchRoom, error) {
	var found *searchRoom
	if id != "" {
		if _, ok := readable[id]; !ok {
			return nil, searchError{"room", "There is no such room that you can read."}
		}
		rooms, err := searchRoomsByID(app, []string{id})
		room, ok := rooms[id]
		if err != nil || !ok {
			return nil, searchError{"room", "There is no such room that you can read."}
		}
		found = &room
	}
	if name == "" {
		return found, nil
	}
	var named []searchRoom
	public := searchRoom{}
	err := app.DB().Select("id", "name", "kind").From("rooms").
		Where(dbx.NewExp("kind = 'public' AND name = {:name} COLLATE NOCASE", dbx.Params{"name": name})).One(&public)
	if err == nil {
		named = append(named, public)
	}
	var own []searchRoom
	if err := app.DB().Select("id", "name", "kind").From("rooms").
		Where(dbx.NewExp("kind != 'public' AND instr(members, {:quoted}) > 0", dbx.Params{"quoted": `"` + me + `"`})).
		All(&own); err != nil {
		return nil, err
	}
	for _, room := range own {
		if room.Name != "" && strings.EqualFold(room.Name, name) {
			named = append(named, room)
		}
	}
	switch {
	case len(named) == 0:
		return nil, searchError{"room", "No room called #" + name + " that you can read."}
	case found != nil:
		for _, room := range named {
			if room.ID == found.ID {
				return found, nil
			}
		}
		return nil, searchError{"room", "in:#" + name + " is another room than the one chosen: keep one."}
	case len(named) > 1:
		return nil, searchError{"room", "More than one room you can read is called #" + name + ": choose it from the list."}
	}
	return &named[0], nil
}

// searchMaxPrefixWords is how many words of the index a prefix may stand for before FTS5's own prefix
// search is used instead (slower, but never a wrong answer).
const searchMaxPrefixWords = 50

// searchMinNativePrefix is the fewest letters a prefix needs for FTS5's own prefix search. FTS5 gathers
// the whole list of messages of every word starting so before its first row: for `a*` or `th*` that is
// a good part of the whole index, read at every keystroke of search-as-you-type. Three letters narrow
// it to a few hundred words at most, and people searching by prefix type that many anyway. A shorter
// prefix that stands for at most searchMaxPrefixWords words is still searched (as those words).
const searchMinNativePrefix = 3

// indexedWordsStarting lists the words of the index (message_search_terms, an fts5vocab table:
// migration 1795700132) that start with a folded prefix, or nil when there are none or too many
// (tooMany then).
func indexedWordsStarting(app core.App) func(prefix string) (words []string, tooMany bool) {
	return func(prefix string) ([]string, bool) {
		var words []string
		err := app.DB().NewQuery("SELECT term FROM message_search_terms WHERE term >= {:low} AND term < {:high} LIMIT {:limit}").
			Bind(dbx.Params{"low": prefix, "high": prefix + "\U0010FFFF", "limit": searchMaxPrefixWords + 1}).Column(&words)
		if err != nil {
			return nil, false
		}
		if len(words) > searchMaxPrefixWords {
			return nil, true
		}
		return words, false
	}
}
