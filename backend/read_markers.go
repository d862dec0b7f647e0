package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// ReadsTopic is the realtime topic on which a person's devices learn that one of them moved its read
// marker in a room, with that room's counts worked out again at the new marker. The same name as
// READS_TOPIC in src-shared/realtime-topics.ts, which backend/tests/read-markers.rules.test.ts subscribes with.
const ReadsTopic = "palaver/reads"

// unreadCap is where a room's count stops: the client shows "999+" from there, and a room never read
// costs at most this many counted rows. The newest are the ones counted, so a fresh mention in a room
// far behind still shows.
const unreadCap = 1000

const (
	readMarkersCollection = "read_markers"
	readMarkerWrongID     = "A read marker's id is made from its person and room (readMarkerId in src-shared/read-marker-id.ts): send that id or none."
	readMarkerElsewhere   = "That message is not in this room (or no longer exists): mark a message of the room itself as read."
	readMarkerFixed       = "A read marker stays with its person and room: update the marker of the other room instead."
)

// readMarkerIDSpace is 36^15: PocketBase's default ids are 15 characters of a-z0-9.
var readMarkerIDSpace = new(big.Int).Exp(big.NewInt(36), big.NewInt(15), nil)

// readMarkerID is the record id of one person's marker in one room, as the client computes it
// (src-shared/read-marker-id.ts) and migration 1795700121 did for the markers it made: the first 128 bits
// of the SHA-256 of "user\nroom", modulo 36^15, in base 36, padded with zeros to 15 characters. Ids are
// unique across the collection, so a client free to choose one could take the id someone else's marker
// will need.
func readMarkerID(userID, roomID string) string {
	sum := sha256.Sum256([]byte(userID + "\n" + roomID))
	value := new(big.Int).SetBytes(sum[:16])
	text := value.Mod(value, readMarkerIDSpace).Text(36)
	return strings.Repeat("0", 15-len(text)) + text
}

// RoomUnread is one room's entry in GET /api/palaver/unread and the payload of palaver/reads (with Room).
type RoomUnread struct {
	Room     string `json:"room,omitempty"`
	Unread   int    `json:"unread"`
	Mentions int    `json:"mentions"`
	Message  string `json:"message"`
	ReadAt   string `json:"readAt"`
}

// bindReadMarkers keeps read markers honest (pb_migrations/1795700120_read_markers.js has the rules):
//
//   - a marker's id is readMarkerID(user, room) on create, whoever creates it; a client that sends
//     another id is told so (400 on `id`) rather than silently given the right one;
//   - `message` must be a message of the marker's room (400 on `message`), and `readAt` is always that
//     message's `created` (empty without a message), whatever the client sent;
//   - `user` and `room` never change after create (the update rule refuses it through the API; this
//     refuses it from Go and migrations too);
//
// serves the counts for all of a person's rooms in one request, and after every create and update tells
// the owner's own connections (every device of theirs, nobody else) on palaver/reads.
func bindReadMarkers(app core.App) {
	app.OnRecordValidate(readMarkersCollection).BindFunc(func(e *core.RecordEvent) error {
		record := e.Record
		if record.IsNew() {
			record.SetRaw("id", readMarkerID(record.GetString("user"), record.GetString("room")))
		} else {
			before := record.Original()
			for _, field := range []string{"user", "room"} {
				if record.GetString(field) != before.GetString(field) {
					return apis.NewBadRequestError(readMarkerFixed, validation.Errors{
						field: validation.NewError("validation_read_marker_fixed", readMarkerFixed),
					})
				}
			}
		}
		readAt, err := readAtOf(e.App, record.GetString("room"), record.GetString("message"))
		if err != nil {
			return err
		}
		record.Set("readAt", readAt)
		return e.Next()
	})

	app.OnRecordCreateRequest(readMarkersCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		given := e.Record.Id
		if given != "" && given != readMarkerID(e.Record.GetString("user"), e.Record.GetString("room")) {
			return e.BadRequestError(readMarkerWrongID, validation.Errors{
				"id": validation.NewError("validation_read_marker_id", readMarkerWrongID),
			})
		}
		return e.Next()
	})

	// A person's second create of a marker (another device got there first) breaks the unique (user, room)
	// index, which PocketBase reports on `user` and `room`; it is answered on `id` instead, as for any
	// record id already taken, so that clients need one check ("taken: update it") whichever came first.
	app.OnRecordCreateExecute(readMarkersCollection).BindFunc(func(e *core.RecordEvent) error {
		err := e.Next()
		var fields validation.Errors
		if errors.As(err, &fields) && isNotUnique(fields["user"]) && isNotUnique(fields["room"]) {
			return validation.Errors{"id": validation.NewError("validation_not_unique", "Value must be unique.")}
		}
		return err
	})

	// Deleting a message empties every marker at it in one statement, in the delete's transaction, before
	// PocketBase's cascade would load and save each of those markers (a public room's newest message can
	// be where every member's marker is). readAt stays: nothing the person read has changed, the room does
	// not turn unread again, and no marker event goes out.
	app.OnRecordDeleteExecute("messages").BindFunc(func(e *core.RecordEvent) error {
		return inTransaction(e, func(txApp core.App) error {
			_, err := txApp.DB().NewQuery("UPDATE read_markers SET message = '' WHERE message = {:id}").
				Bind(dbx.Params{"id": e.Record.Id}).Execute()
			if err != nil {
				return err
			}
			return e.Next()
		})
	})

	announce := func(e *core.RecordEvent) error {
		marker := e.Record
		// A marker whose message was deleted (emptied above, or by PocketBase's cascade, without
		// validation) keeps its readAt: nothing the person read has changed, so nothing is sent.
		if marker.GetString("message") == "" && marker.GetString("readAt") != "" {
			return e.Next()
		}
		if err := announceReadMarker(e.App, marker); err != nil {
			e.App.Logger().Warn("Realtime announcement of a read marker failed; the person's other devices catch up on their next reconnect",
				slog.String("topic", ReadsTopic), slog.String("marker", marker.Id), slog.String("error", err.Error()))
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(readMarkersCollection).BindFunc(announce)
	app.OnRecordAfterUpdateSuccess(readMarkersCollection).BindFunc(announce)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/palaver/unread", func(e *core.RequestEvent) error {
			rooms, err := unreadCounts(e.App, e.Auth.Id, "")
			if err != nil {
				return e.InternalServerError("Could not count the unread messages; try again.", err)
			}
			return e.JSON(200, map[string]any{"rooms": rooms})
		}).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
}

func isNotUnique(err error) bool {
	var code validation.Error
	return errors.As(err, &code) && code.Code() == "validation_not_unique"
}

// readAtOf is the `created` of the message a marker points at, which must be in the marker's room.
func readAtOf(app core.App, roomID, messageID string) (string, error) {
	if messageID == "" {
		return "", nil
	}
	var found struct {
		Room    string `db:"room"`
		Created string `db:"created"`
	}
	err := app.DB().Select("room", "created").From("messages").Where(dbx.HashExp{"id": messageID}).One(&found)
	// The same answer for a message elsewhere and one that does not exist: marking is no way to learn
	// whether a message exists in a room one cannot read.
	if err != nil || found.Room != roomID {
		return "", apis.NewBadRequestError(readMarkerElsewhere, validation.Errors{
			"message": validation.NewError("validation_read_marker_message", readMarkerElsewhere),
		})
	}
	return found.Created, nil
}

// unreadCountsQuery counts, for each room the person is a member of (or only {:only} when given), the
// messages after their marker by (created, id), as the client does (lib/unread.ts, lib/thread-notify.ts
// countsAsUnread): not by the person or someone they blocked (%s: a condition on their ids, filled in by
// queryUnreadCounts), and either in the room's list or a reply that concerns them (it mentions them, or
// they follow its thread: its root's threadInfo.followers).
//
// One statement for all rooms, after one read of the person's blocks. Each room is a range of
// idx_messages_room_unread from the marker, stopped after unreadCap counted rows: that index holds every
// column the conditions read but a reply's root's followers (migration 1795700122), so the messages table
// is only visited for those roots, by primary key. The excluded authors are values rather than a
// subquery on blocks: SQLite builds a subquery's list again each time it enters a room's count, which
// cost about a fifth of the query at 1M messages (bench/unread.ts), and a few inequalities cost less
// again than a list. SQLite has no LATERAL join and a scalar subquery
// returns one value, so each room's two counts come packed in one number: unread + mentionsPacking *
// mentions (unread never reaches it). EXPLAIN QUERY PLAN: `SCAN r`, `SEARCH k USING INDEX
// idx_read_markers_user_room`, then per room `SEARCH m USING COVERING INDEX idx_messages_room_unread
// (room=? AND (created,id)>(?,?))` and the root by `sqlite_autoindex_messages_1 (id=?)`.
//
// `instr(members, '"id"')`: members and mentions are JSON arrays of 15-character [a-z0-9] ids, so the quoted
// id matches a whole element and nothing else.
const unreadCountsQuery = `
SELECT r.id AS room, COALESCE(k.message, '') AS message, COALESCE(k.readAt, '') AS readAt,
	(SELECT COALESCE(SUM(1 + {:packing} * c.mentioned), 0) FROM (
		SELECT instr(m.mentions, {:quoted}) > 0 AS mentioned
		FROM messages m INDEXED BY idx_messages_room_unread
		WHERE m.room = r.id
			AND (m.created, m.id) > (COALESCE(k.readAt, ''), COALESCE(k.message, ''))
			AND %s
			AND (m.thread = '' OR m.thread IS NULL OR m.alsoInRoom = TRUE
				OR instr(m.mentions, {:quoted}) > 0
				OR EXISTS (SELECT 1 FROM messages t, json_each(t.threadInfo, '$.followers') f
					WHERE t.id = m.thread AND json_valid(t.threadInfo) AND f.value = {:me}))
		ORDER BY m.created DESC, m.id DESC
		LIMIT {:cap}) c) AS packed
FROM rooms r
LEFT JOIN read_markers k ON k.user = {:me} AND k.room = r.id
WHERE %s instr(r.members, {:quoted}) > 0`

const mentionsPacking = 4096

// maxExcludedAuthorsInline is up to how many excluded authors (the person and whom they blocked) are
// compared one by one rather than looked up in a list.
const maxExcludedAuthorsInline = 8

// unreadCounts runs unreadCountsQuery for one person: every room they are a member of, or only the room
// `only` (absent from the answer when they are not a member of it).
func unreadCounts(app core.App, userID, only string) (map[string]RoomUnread, error) {
	return queryUnreadCounts(app.DB(), userID, only)
}

func queryUnreadCounts(db dbx.Builder, userID, only string) (map[string]RoomUnread, error) {
	var blocked []string
	err := db.NewQuery("SELECT blocked FROM blocks WHERE user = {:me}").Bind(dbx.Params{"me": userID}).Column(&blocked)
	if err != nil {
		return nil, err
	}
	params := dbx.Params{
		"me": userID, "quoted": `"` + userID + `"`, "only": only, "cap": unreadCap, "packing": mentionsPacking,
	}
	authors := append([]string{userID}, blocked...)
	placeholders := make([]string, len(authors))
	for i, author := range authors {
		name := fmt.Sprintf("author%d", i)
		params[name] = author
		placeholders[i] = "{:" + name + "}"
	}
	// A few inequalities cost less per message than a lookup in the list SQLite builds for NOT IN.
	excluded := "m.user NOT IN (" + strings.Join(placeholders, ", ") + ")"
	if len(placeholders) <= maxExcludedAuthorsInline {
		excluded = "m.user != " + strings.Join(placeholders, " AND m.user != ")
	}
	var rows []struct {
		Room    string `db:"room"`
		Message string `db:"message"`
		ReadAt  string `db:"readAt"`
		Packed  int    `db:"packed"`
	}
	// One room (a marker's move): found by its id, not by reading every room's members.
	onlyRoom := ""
	if only != "" {
		onlyRoom = "r.id = {:only} AND"
	}
	err = db.NewQuery(fmt.Sprintf(unreadCountsQuery, excluded, onlyRoom)).Bind(params).All(&rows)
	if err != nil {
		return nil, err
	}
	rooms := make(map[string]RoomUnread, len(rows))
	for _, row := range rows {
		rooms[row.Room] = RoomUnread{
			Unread:   row.Packed % mentionsPacking,
			Mentions: row.Packed / mentionsPacking,
			Message:  row.Message,
			ReadAt:   row.ReadAt,
		}
	}
	return rooms, nil
}

// announceReadMarker sends the marker with its room's counts to the owner's own palaver/reads
// subscribers: one query and one encoding, then a comparison of ids per connection, as
// room_broadcast.go does for messages (PocketBase's per-record path would run the list rule per
// subscriber).
func announceReadMarker(app core.App, marker *core.Record) error {
	owner := marker.GetString("user")
	var targets []subscriptions.Client
	for _, chunk := range app.SubscriptionsBroker().ChunkedClients(300) {
		for _, client := range chunk {
			auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
			if auth == nil || auth.Id != owner || auth.Collection().Name != "users" {
				continue
			}
			if len(client.Subscriptions(ReadsTopic)) > 0 {
				targets = append(targets, client)
			}
		}
	}
	if len(targets) == 0 {
		return nil
	}

	room := marker.GetString("room")
	counts, err := unreadCounts(app, owner, room)
	if err != nil {
		return err
	}
	event := counts[room] // zero counts when they are no longer a member
	event.Room = room
	event.Message = marker.GetString("message")
	event.ReadAt = marker.GetString("readAt")
	payload, err := json.Marshal(event)
	if err != nil {
		return err
	}
	for _, client := range targets {
		for sub := range client.Subscriptions(ReadsTopic) {
			// The SDK appends "?options=..." to a topic subscribed with options; a longer name that merely
			// starts with ours is another topic.
			if sub != ReadsTopic && !strings.HasPrefix(sub, ReadsTopic+"?") {
				continue
			}
			msg := subscriptions.Message{Name: sub, Data: payload}
			routine.FireAndForget(func() { client.Send(msg) })
		}
	}
	return nil
}
