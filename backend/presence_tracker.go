package main

import (
	"errors"
	"sync"
	"time"
)

// The presence tracker: who is connected, what each connection declared, and the status each person
// shows (presence.go binds it to PocketBase's realtime connections and routes).

// pendingLeave is an offline announcement waiting for the grace period; compared by identity, so a
// timer that fires just as it was cancelled and replaced by a newer one does nothing.
type pendingLeave struct{ stop func() bool }

// connPresence is what one connection declared.
type connPresence struct{ away, dnd bool }

// statusOf is a person's status from what each of their connections declared: do not disturb if any
// says so (the person asked for quiet somewhere), else online if any is in use, else away; offline
// without connections.
func statusOf(conns map[string]connPresence) string {
	if len(conns) == 0 {
		return statusOffline
	}
	status := statusAway
	for _, c := range conns {
		if c.dnd {
			return statusDND
		}
		if !c.away {
			status = statusOnline
		}
	}
	return status
}

// presenceTracker holds every signed-in connection by person. Its methods are safe for concurrent use;
// `announce` runs under the tracker's lock, so the broadcasts of one person leave in the order of the
// changes (the sends themselves are asynchronous, as PocketBase's are).
type presenceTracker struct {
	mu      sync.Mutex
	people  map[string]map[string]connPresence // user id -> client id -> declaration
	clients map[string]string                  // client id -> user id
	shown   map[string]string                  // user id -> status last announced (absent = offline)
	leaving map[string]*pendingLeave           // user id -> the pending offline announcement
	grace   time.Duration
	// afterFunc runs f after d and returns a stop function (time.AfterFunc; tests pass their own).
	afterFunc func(d time.Duration, f func()) func() bool
	announce  func(user, status string)
}

func newPresenceTracker(grace time.Duration, announce func(user, status string)) *presenceTracker {
	return &presenceTracker{
		people:  map[string]map[string]connPresence{},
		clients: map[string]string{},
		shown:   map[string]string{},
		leaving: map[string]*pendingLeave{},
		grace:   grace,
		afterFunc: func(d time.Duration, f func()) func() bool {
			return time.AfterFunc(d, f).Stop
		},
		announce: announce,
	}
}

// attach counts a connection for a person (again after a reconnect: a new client id).
func (t *presenceTracker) attach(clientID, userID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if current, ok := t.clients[clientID]; ok {
		if current == userID {
			return
		}
		t.removeLocked(clientID)
	}
	t.clients[clientID] = userID
	conns := t.people[userID]
	if conns == nil {
		conns = map[string]connPresence{}
		t.people[userID] = conns
	}
	conns[clientID] = connPresence{}
	t.updateLocked(userID)
}

// detach stops counting a connection: it closed, or it no longer carries that person's sign-in.
func (t *presenceTracker) detach(clientID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.removeLocked(clientID)
}

func (t *presenceTracker) removeLocked(clientID string) {
	userID, ok := t.clients[clientID]
	if !ok {
		return
	}
	delete(t.clients, clientID)
	if conns := t.people[userID]; conns != nil {
		delete(conns, clientID)
		if len(conns) == 0 {
			delete(t.people, userID)
		}
	}
	t.updateLocked(userID)
}

var errNotYourConnection = errors.New("no realtime connection of yours has this id")

// declare records what one connection of the person says: away (no input for a while) and/or do not
// disturb. Only the person's own connections: another's client id is refused.
func (t *presenceTracker) declare(clientID, userID string, away, dnd bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.clients[clientID] != userID {
		return errNotYourConnection
	}
	t.people[userID][clientID] = connPresence{away: away, dnd: dnd}
	t.updateLocked(userID)
	return nil
}

// status is the person's status as last announced, so an answer and the events agree.
func (t *presenceTracker) status(userID string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.shown[userID]; ok {
		return s
	}
	return statusOffline
}

// userOf is the person a tracked connection counts for ("" if none).
func (t *presenceTracker) userOf(clientID string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.clients[clientID]
}

// clientsOf lists the tracked connections of a person, or of everyone when userID is "".
func (t *presenceTracker) clientsOf(userID string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ids []string
	for clientID, owner := range t.clients {
		if userID == "" || owner == userID {
			ids = append(ids, clientID)
		}
	}
	return ids
}

// updateLocked announces the person's status if it changed. Going offline waits for the grace period,
// and a connection back within it cancels the announcement.
func (t *presenceTracker) updateLocked(userID string) {
	next := statusOf(t.people[userID])
	shown, known := t.shown[userID]
	if next == statusOffline {
		if !known {
			return
		}
		if _, pending := t.leaving[userID]; pending {
			return
		}
		leave := &pendingLeave{}
		t.leaving[userID] = leave
		leave.stop = t.afterFunc(t.grace, func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			if t.leaving[userID] != leave {
				return
			}
			delete(t.leaving, userID)
			if statusOf(t.people[userID]) != statusOffline {
				return
			}
			delete(t.shown, userID)
			t.announce(userID, statusOffline)
		})
		return
	}
	if leave, pending := t.leaving[userID]; pending {
		leave.stop()
		delete(t.leaving, userID)
	}
	if known && shown == next {
		return
	}
	t.shown[userID] = next
	t.announce(userID, next)
}
