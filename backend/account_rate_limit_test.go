package main

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

func TestAccountLimiterCountsEachAccountInItsOwnWindow(t *testing.T) {
	limiter := &accountLimiter{windows: map[string]*accountWindow{}}
	rule := core.RateLimitRule{Label: "*:create", MaxRequests: 2, Duration: 10}
	start := time.Unix(1_000, 0)
	steps := []struct {
		account string
		at      time.Duration
		allowed bool
	}{
		{"alice", 0, true},
		{"alice", time.Second, true},
		{"alice", 2 * time.Second, false}, // over her budget
		{"bob", 2 * time.Second, true},    // his own budget, untouched by hers
		{"alice", 10 * time.Second, true}, // a new window
	}
	for i, step := range steps {
		if got := limiter.allow(rule, step.account, start.Add(step.at)); got != step.allowed {
			t.Fatalf("step %d (%s at %s): allowed = %v, want %v", i, step.account, step.at, got, step.allowed)
		}
	}
	// A changed rule (settings saved) starts afresh rather than holding people to the old count.
	raised := core.RateLimitRule{Label: "*:create", MaxRequests: 5, Duration: 10}
	if !limiter.allow(raised, "alice", start.Add(11*time.Second)) {
		t.Fatal("a raised limit should start a fresh window")
	}
}

func TestAccountLimiterForgetsIdleAccounts(t *testing.T) {
	limiter := &accountLimiter{windows: map[string]*accountWindow{}}
	rule := core.RateLimitRule{Label: "*:create", MaxRequests: 2, Duration: 10}
	start := time.Unix(1_000, 0)
	limiter.allow(rule, "alice", start)
	limiter.forgetIdle(start.Add(2 * time.Hour))
	if len(limiter.windows) != 0 {
		t.Fatalf("an account idle for hours still holds a window: %v", limiter.windows)
	}
}
