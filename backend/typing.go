package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// Typing indicators: "alice is typing…". A signal is ephemeral: it is never stored, only passed on to
// the people who can read the room, the moment it arrives, on a topic of its own. Like message events
// (room_broadcast.go) it is encoded once and each subscriber costs a membership check in memory, since a
// room's typists signal far more often than anyone posts.
//
// POST /api/palaver/rooms/{id}/typing: 204, or 404 for a room the caller cannot read (a probe learns
// nothing), 403 for a room the caller is only invited to (they can see that room already), 429 with
// Retry-After for a second signal within typingInterval. Whoever may post a message in the room may
// signal: the messages create rule (pb_migrations/1795700003 and 1795700006) is "a public room, or a
// member of the room", and public rooms stay open to everyone signed in for posting
// (pb_migrations/1795700040_public_membership.js).

// TypingTopic is the realtime topic of typing signals: {"room", "user", "name"}.
const TypingTopic = "palaver/typing"

// typingInterval is the least time between two signals of one person in one room; the client sends no
// more often and forgets a typist twice this long after their last signal (typingShown).
const (
	typingInterval = 3 * time.Second
	typingShown    = 2 * typingInterval
)

// maxTypistsSent is how many people typing at once in one room have their signals sent. The line says
// "Several people are typing…" from three on, so nobody reads more names than that; one more than three
// keeps it saying so when one of them sends their message. In a busy room this bounds the events
// per reader: 50 people typing in a room of 1,000 would otherwise be about 16,000 events a second, every
// one on each reader's connection ahead of the messages (bench/typing.ts; see bench/README.md).
const maxTypistsSent = 4

type typingEvent struct {
	Room string `json:"room"`
	User string `json:"user"`
	Name string `json:"name"`
}

// typingPersonInterval spaces one person's signals across all rooms: someone types in one composer at a
// time, and without it a person could signal in a different public room each time, every one going to
// all of its readers, past both the per-room limit and the per-room cap of typists.
const typingPersonInterval = time.Second

func bindTyping(app core.App) {
	limiter := newTypingLimiter(typingInterval)
	perPerson := newTypingLimiter(typingPersonInterval)
	typists := newRoomTypists(maxTypistsSent, typingShown)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/palaver/rooms/{id}/typing", func(e *core.RequestEvent) error {
			return signalTyping(e, perPerson, limiter, typists)
		}).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
	// Their message is there: they are no longer typing it, and their place goes to the next typist.
	app.OnRecordAfterCreateSuccess("messages").BindFunc(func(e *core.RecordEvent) error {
		typists.done(e.Record.GetString("room"), e.Record.GetString("user"))
		return e.Next()
	})
}

func signalTyping(e *core.RequestEvent, perPerson, limiter *typingLimiter, typists *roomTypists) error {
	room, err := e.App.FindRecordById("rooms", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("There is no such room, or you cannot see it.", nil)
	}
	readers := roomReaders{public: room.GetString("kind") == "public", members: room.GetStringSlice("members")}
	if !readers.allows(e.Auth) {
		if slices.Contains(room.GetStringSlice("invited"), e.Auth.Id) {
			return e.ForbiddenError("Accept the invitation to write in this room.", nil)
		}
		return e.NotFoundError("There is no such room, or you cannot see it.", nil)
	}
	// Counted only once allowed: a refused probe spends nobody's budget.
	if wait := perPerson.allow(e.Auth.Id, time.Now()); wait > 0 {
		return refuseUntil(e, wait, errors.New("one typing signal a second, whatever the room"))
	}
	if wait := limiter.allow(e.Auth.Id+"/"+room.Id, time.Now()); wait > 0 {
		return refuseUntil(e, wait, errors.New("one typing signal per room every 3 seconds"))
	}
	// Accepted either way: past the first few typists of a room, a signal changes nothing anyone reads.
	if !typists.admit(room.Id, e.Auth.Id, time.Now()) {
		return e.NoContent(204)
	}
	if err := broadcastTyping(e.App, room.Id, readers, e.Auth); err != nil {
		// Nothing for the typist to do: the next signal tries again.
		e.App.Logger().Warn("Realtime broadcast of a typing signal failed",
			slog.String("topic", TypingTopic), slog.String("room", room.Id), slog.String("error", err.Error()))
	}
	return e.NoContent(204)
}

// typistName is what the line says when the client does not know the person yet: their chosen name,
// else their username (src-shared/person-name.ts displayName; the client tidies it further).
func typistName(typist *core.Record) string {
	if name := strings.TrimSpace(typist.GetString("name")); name != "" {
		return name
	}
	return typist.GetString("username")
}

// broadcastTyping sends one signal to every subscriber of TypingTopic who can read the room, except the
// typist's own connections (their other devices have no use for it) and those who blocked the typist.
func broadcastTyping(app core.App, roomID string, readers roomReaders, typist *core.Record) error {
	chunks := app.SubscriptionsBroker().ChunkedClients(300)
	if len(chunks) == 0 {
		return nil
	}
	blockers, err := blocks.blockersOf(app, typist.Id)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(typingEvent{Room: roomID, User: typist.Id, Name: typistName(typist)})
	if err != nil {
		return err
	}
	for _, chunk := range chunks {
		for _, client := range chunk {
			subs := client.Subscriptions(TypingTopic)
			if len(subs) == 0 {
				continue
			}
			auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
			if !readers.allows(auth) || auth.Id == typist.Id {
				continue
			}
			if _, blocked := blockers[auth.Id]; blocked {
				continue
			}
			for sub := range subs {
				// "palaver/typing?options=..." is ours; a longer name that merely starts with it is not.
				if sub != TypingTopic && !strings.HasPrefix(sub, TypingTopic+"?") {
					continue
				}
				msg := subscriptions.Message{Name: sub, Data: payload}
				routine.FireAndForget(func() { client.Send(msg) })
			}
		}
	}
	return nil
}

// typingLimiter remembers when each (person, room) last signalled, for one interval only: every entry is
// dropped once its interval is over (swept at most once per interval), so its size follows the signals of
// the last few seconds, never the number of people or rooms there have ever been.
type typingLimiter struct {
	mu       sync.Mutex
	interval time.Duration
	last     map[string]time.Time
	swept    time.Time
}

func newTypingLimiter(interval time.Duration) *typingLimiter {
	return &typingLimiter{interval: interval, last: map[string]time.Time{}}
}

// allow notes a signal for key at now, or, within the interval of the last one, notes nothing and says
// how long until the next is allowed (zero means allowed).
func (l *typingLimiter) allow(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) >= l.interval {
		for k, at := range l.last {
			if now.Sub(at) >= l.interval {
				delete(l.last, k)
			}
		}
		l.swept = now
	}
	if at, ok := l.last[key]; ok {
		if since := now.Sub(at); since < l.interval {
			return l.interval - since
		}
	}
	l.last[key] = now
	return 0
}

func (l *typingLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.last)
}

// roomTypists remembers, per room, who signalled within the last `shown` and was sent: at most `max` at a
// time, the earliest first. Someone else's signal is sent once one of them stops (their signals stop for
// `shown`, or their message arrives). Rooms nobody types in are forgotten, swept at most once per `shown`.
type roomTypists struct {
	mu    sync.Mutex
	max   int
	shown time.Duration
	rooms map[string]map[string]time.Time
	swept time.Time
}

func newRoomTypists(max int, shown time.Duration) *roomTypists {
	return &roomTypists{max: max, shown: shown, rooms: map[string]map[string]time.Time{}}
}

// admit notes a signal of user in room at now and says whether it is to be sent.
func (t *roomTypists) admit(room, user string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Sub(t.swept) >= t.shown {
		for id, typists := range t.rooms {
			t.forgetStopped(id, typists, now)
		}
		t.swept = now
	}
	if typists := t.rooms[room]; typists != nil {
		t.forgetStopped(room, typists, now)
	}
	typists := t.rooms[room]
	if typists == nil {
		typists = map[string]time.Time{}
		t.rooms[room] = typists
	}
	if _, sent := typists[user]; !sent && len(typists) >= t.max {
		return false
	}
	typists[user] = now
	return true
}

// done forgets user as a typist of room: their message arrived.
func (t *roomTypists) done(room, user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if typists := t.rooms[room]; typists != nil {
		delete(typists, user)
		if len(typists) == 0 {
			delete(t.rooms, room)
		}
	}
}

func (t *roomTypists) forgetStopped(room string, typists map[string]time.Time, now time.Time) {
	for user, at := range typists {
		if now.Sub(at) >= t.shown {
			delete(typists, user)
		}
	}
	if len(typists) == 0 {
		delete(t.rooms, room)
	}
}
