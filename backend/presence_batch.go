package main

import (
	"encoding/json"
	"sync"
	"time"
)

// presenceBurstEvery is the shortest time between two presence broadcasts. Each broadcast reaches every
// signed-in subscriber, so N people coming online together (everyone reconnecting after a restart)
// would be N²/2 deliveries if each change went out alone: 50 million at 10,000 people. A change after
// a quiet moment still goes out at once; the changes of a burst go out together, one event per
// subscriber every presenceBurstEvery, so the burst costs N deliveries per quarter second instead.
const presenceBurstEvery = 250 * time.Millisecond

type presenceChange struct {
	User   string `json:"user"`
	Status string `json:"status"`
}

// presenceBatcher collects status changes and hands them to `send` as described above. A person who
// changed twice within one batch is sent once, with the newest status.
type presenceBatcher struct {
	mu        sync.Mutex
	pending   map[string]int // user id -> index in changes
	changes   []presenceChange
	last      time.Time
	scheduled bool
	every     time.Duration
	now       func() time.Time
	afterFunc func(d time.Duration, f func())
	send      func(changes []presenceChange)
}

func newPresenceBatcher(every time.Duration, send func(changes []presenceChange)) *presenceBatcher {
	return &presenceBatcher{
		pending:   map[string]int{},
		every:     every,
		now:       time.Now,
		afterFunc: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		send:      send,
	}
}

func (b *presenceBatcher) add(user, status string) {
	b.mu.Lock()
	if i, ok := b.pending[user]; ok {
		b.changes[i].Status = status
	} else {
		b.pending[user] = len(b.changes)
		b.changes = append(b.changes, presenceChange{User: user, Status: status})
	}
	if b.scheduled {
		b.mu.Unlock()
		return
	}
	now := b.now()
	if wait := b.every - now.Sub(b.last); wait > 0 {
		b.scheduled = true
		b.mu.Unlock()
		b.afterFunc(wait, b.flush)
		return
	}
	changes := b.takeLocked(now)
	b.mu.Unlock()
	b.send(changes)
}

func (b *presenceBatcher) flush() {
	b.mu.Lock()
	b.scheduled = false
	changes := b.takeLocked(b.now())
	b.mu.Unlock()
	if len(changes) > 0 {
		b.send(changes)
	}
}

func (b *presenceBatcher) takeLocked(now time.Time) []presenceChange {
	changes := b.changes
	b.changes = nil
	clear(b.pending)
	b.last = now
	return changes
}

// encodePresence is the event's data: one change as `{"user", "status"}`, several as a list of them.
func encodePresence(changes []presenceChange) ([]byte, error) {
	if len(changes) == 1 {
		return json.Marshal(changes[0])
	}
	return json.Marshal(changes)
}
