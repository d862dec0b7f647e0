package main

import (
	"fmt"
	"testing"
	"time"
)

func TestTypingLimiterAllowsOneSignalPerInterval(t *testing.T) {
	limiter := newTypingLimiter(3 * time.Second)
	start := time.Unix(1_000_000, 0)
	if wait := limiter.allow("alice/room", start); wait != 0 {
		t.Fatalf("first signal refused, wait %v", wait)
	}
	if wait := limiter.allow("alice/room", start.Add(time.Second)); wait != 2*time.Second {
		t.Fatalf("second signal after 1 s: wait %v, want 2s", wait)
	}
	// Another room, or another person, has a budget of its own.
	if wait := limiter.allow("alice/other", start.Add(time.Second)); wait != 0 {
		t.Fatalf("another room refused, wait %v", wait)
	}
	if wait := limiter.allow("bob/room", start.Add(time.Second)); wait != 0 {
		t.Fatalf("another person refused, wait %v", wait)
	}
	// A refused signal does not move the window.
	if wait := limiter.allow("alice/room", start.Add(3*time.Second)); wait != 0 {
		t.Fatalf("signal after 3 s refused, wait %v", wait)
	}
}

func TestTypingLimiterForgetsOldEntries(t *testing.T) {
	limiter := newTypingLimiter(3 * time.Second)
	start := time.Unix(1_000_000, 0)
	for i := range 10_000 {
		limiter.allow(fmt.Sprintf("user%d/room", i), start)
	}
	if limiter.size() != 10_000 {
		t.Fatalf("size %d, want 10000", limiter.size())
	}
	// One signal after the interval sweeps every entry that is over.
	limiter.allow("late/room", start.Add(3*time.Second))
	if limiter.size() != 1 {
		t.Fatalf("size after the interval %d, want 1", limiter.size())
	}
}

func TestRoomTypistsSendsTheFirstFewUntilOneStops(t *testing.T) {
	typists := newRoomTypists(2, 6*time.Second)
	start := time.Unix(1_000_000, 0)
	for _, user := range []string{"a", "b"} {
		if !typists.admit("room", user, start) {
			t.Fatalf("%s refused with room to spare", user)
		}
	}
	if typists.admit("room", "c", start) {
		t.Fatal("a third typist sent while two are typing")
	}
	if !typists.admit("other", "c", start) {
		t.Fatal("another room has places of its own")
	}
	// Those sent keep their place while they go on typing.
	if !typists.admit("room", "a", start.Add(3*time.Second)) {
		t.Fatal("a typist already sent was refused")
	}
	// b's message arrives: c takes the place.
	typists.done("room", "b")
	if !typists.admit("room", "c", start.Add(3*time.Second)) {
		t.Fatal("c refused after b's message")
	}
	// a stops (no signal for 6 s): d takes the place, and rooms nobody types in are forgotten.
	if !typists.admit("room", "d", start.Add(9*time.Second)) {
		t.Fatal("d refused after a stopped")
	}
	typists.admit("room", "x", start.Add(30*time.Second))
	if len(typists.rooms) != 1 || len(typists.rooms["room"]) != 1 {
		t.Fatalf("left over after everyone stopped: %v", typists.rooms)
	}
}
