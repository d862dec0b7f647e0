package main

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

func TestStatusOf(t *testing.T) {
	cases := []struct {
		name  string
		conns map[string]connPresence
		want  string
	}{
		{"no connection", nil, statusOffline},
		{"one in use", map[string]connPresence{"a": {}}, statusOnline},
		{"one away", map[string]connPresence{"a": {away: true}}, statusAway},
		{"away on one device, in use on another", map[string]connPresence{"a": {away: true}, "b": {}}, statusOnline},
		{"all away", map[string]connPresence{"a": {away: true}, "b": {away: true}}, statusAway},
		{"do not disturb on any device wins", map[string]connPresence{"a": {}, "b": {away: true, dnd: true}}, statusDND},
	}
	for _, c := range cases {
		if got := statusOf(c.conns); got != c.want {
			t.Errorf("%s: statusOf = %q, want %q", c.name, got, c.want)
		}
	}
}

// fakeTimers runs the tracker's grace timers when the test says so.
type fakeTimers struct{ pending []*fakeTimer }

type fakeTimer struct {
	f       func()
	stopped bool
}

func (ft *fakeTimers) afterFunc(_ time.Duration, f func()) func() bool {
	timer := &fakeTimer{f: f}
	ft.pending = append(ft.pending, timer)
	return func() bool {
		was := !timer.stopped
		timer.stopped = true
		return was
	}
}

func (ft *fakeTimers) fire() {
	timers := ft.pending
	ft.pending = nil
	for _, timer := range timers {
		if !timer.stopped {
			timer.f()
		}
	}
}

func newTestTracker() (*presenceTracker, *fakeTimers, *[]string) {
	var events []string
	timers := &fakeTimers{}
	tracker := newPresenceTracker(time.Second, func(user, status string) {
		events = append(events, user+" "+status)
	})
	tracker.afterFunc = timers.afterFunc
	return tracker, timers, &events
}

func expectEvents(t *testing.T, events *[]string, want ...string) {
	t.Helper()
	if len(*events) != len(want) {
		t.Fatalf("events = %q, want %q", *events, want)
	}
	for i := range want {
		if (*events)[i] != want[i] {
			t.Fatalf("events = %q, want %q", *events, want)
		}
	}
	*events = nil
}

func TestPresenceDevicesCountOnce(t *testing.T) {
	tracker, timers, events := newTestTracker()
	tracker.attach("c1", "alice")
	expectEvents(t, events, "alice online")
	tracker.attach("c2", "alice")
	tracker.attach("c2", "alice") // a resubscription of the same connection
	expectEvents(t, events)

	tracker.detach("c1")
	timers.fire()
	expectEvents(t, events)
	if got := tracker.status("alice"); got != statusOnline {
		t.Fatalf("status with one device left = %q", got)
	}

	tracker.detach("c2")
	expectEvents(t, events) // not before the grace period
	if got := tracker.status("alice"); got != statusOnline {
		t.Fatalf("status during the grace period = %q", got)
	}
	timers.fire()
	expectEvents(t, events, "alice offline")
	if got := tracker.status("alice"); got != statusOffline {
		t.Fatalf("status after the grace period = %q", got)
	}
	if len(tracker.people) != 0 || len(tracker.shown) != 0 || len(tracker.clients) != 0 || len(tracker.leaving) != 0 {
		t.Fatalf("memory kept for nobody: %+v", tracker)
	}
}

func TestPresenceReconnectWithinGraceIsSilent(t *testing.T) {
	tracker, timers, events := newTestTracker()
	tracker.attach("c1", "alice")
	expectEvents(t, events, "alice online")
	tracker.detach("c1")
	tracker.attach("c2", "alice")
	timers.fire()
	expectEvents(t, events)
	if got := tracker.status("alice"); got != statusOnline {
		t.Fatalf("status after a reconnect = %q", got)
	}

	// Left again after the cancelled timer: a new grace period, then offline once.
	tracker.detach("c2")
	timers.fire()
	expectEvents(t, events, "alice offline")
}

func TestPresenceDeclarations(t *testing.T) {
	tracker, _, events := newTestTracker()
	tracker.attach("laptop", "alice")
	tracker.attach("desktop", "alice")
	tracker.attach("phone", "bob")
	*events = nil

	if err := tracker.declare("phone", "alice", true, false); err == nil {
		t.Fatal("alice declared for bob's connection")
	}
	if err := tracker.declare("unknown", "alice", true, false); err == nil {
		t.Fatal("a declaration for an unknown connection was accepted")
	}
	expectEvents(t, events)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tracker.declare("laptop", "alice", true, false))
	expectEvents(t, events) // the desktop is still in use
	must(tracker.declare("desktop", "alice", true, false))
	expectEvents(t, events, "alice away")
	must(tracker.declare("desktop", "alice", true, false))
	expectEvents(t, events) // no change, no event
	must(tracker.declare("laptop", "alice", false, true))
	expectEvents(t, events, "alice dnd")
	tracker.detach("laptop")
	expectEvents(t, events, "alice away")
	if got := tracker.status("bob"); got != statusOnline {
		t.Fatalf("bob = %q", got)
	}
}

func TestPresenceConnectionChangingHands(t *testing.T) {
	tracker, timers, events := newTestTracker()
	tracker.attach("c1", "alice")
	tracker.attach("c1", "bob") // PocketBase refuses this, but the tracker must not count alice twice
	timers.fire()
	expectEvents(t, events, "alice online", "bob online", "alice offline")
	if tracker.userOf("c1") != "bob" || len(tracker.clientsOf("alice")) != 0 {
		t.Fatalf("c1 still counted for alice")
	}
}

// BenchmarkPresenceTrackerMemory is what bench/presence.ts reports as the tracker's own memory: the heap
// kept for 10,000 connected people, one connection each (go test -bench PresenceTrackerMemory).
func BenchmarkPresenceTrackerMemory(b *testing.B) {
	const people = 10_000
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tracker := newPresenceTracker(time.Second, func(string, string) {})
		for i := range people {
			// Ids as PocketBase makes them: 15 characters for a user, 40 for a realtime client.
			tracker.attach(fmt.Sprintf("client%034d", i), fmt.Sprintf("user%011d", i))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/people, "bytes/person")
		runtime.KeepAlive(tracker)
	}
}

func TestPresenceBatcherSendsAloneAfterQuietAndBurstsTogether(t *testing.T) {
	clock := time.Unix(1_000_000, 0)
	var timers []func()
	var sent [][]presenceChange
	batcher := newPresenceBatcher(250*time.Millisecond, func(changes []presenceChange) { sent = append(sent, changes) })
	batcher.now = func() time.Time { return clock }
	batcher.afterFunc = func(_ time.Duration, f func()) { timers = append(timers, f) }

	batcher.add("alice", statusOnline)
	if len(sent) != 1 || len(timers) != 0 {
		t.Fatalf("a change after a quiet moment waited: sent %v, timers %d", sent, len(timers))
	}

	// A burst: bob, carol, and alice twice, within the quarter second.
	clock = clock.Add(10 * time.Millisecond)
	for _, c := range []presenceChange{{"bob", statusOnline}, {"carol", statusOnline}, {"alice", statusAway}, {"alice", statusDND}} {
		batcher.add(c.User, c.Status)
	}
	if len(sent) != 1 || len(timers) != 1 {
		t.Fatalf("the burst was not held for one send: sent %d, timers %d", len(sent), len(timers))
	}
	clock = clock.Add(240 * time.Millisecond)
	timers[0]()
	want := []presenceChange{{"bob", statusOnline}, {"carol", statusOnline}, {"alice", statusDND}}
	if len(sent) != 2 || fmt.Sprint(sent[1]) != fmt.Sprint(want) {
		t.Fatalf("burst sent as %v, want %v", sent, want)
	}

	// Quiet again: the next change goes at once.
	clock = clock.Add(time.Second)
	batcher.add("bob", statusOffline)
	if len(sent) != 3 || len(timers) != 1 {
		t.Fatalf("a change after the burst waited: sent %d, timers %d", len(sent), len(timers))
	}
}

func TestEncodePresence(t *testing.T) {
	one, _ := encodePresence([]presenceChange{{"alice", statusAway}})
	several, _ := encodePresence([]presenceChange{{"alice", statusAway}, {"bob", statusOffline}})
	if string(one) != `{"user":"alice","status":"away"}` {
		t.Errorf("one change = %s", one)
	}
	if string(several) != `[{"user":"alice","status":"away"},{"user":"bob","status":"offline"}]` {
		t.Errorf("several changes = %s", several)
	}
}
