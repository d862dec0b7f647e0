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
