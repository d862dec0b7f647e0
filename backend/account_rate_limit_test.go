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
		wait    time.Duration // zero: allowed
	}{
		{"alice", 0, 0},
		{"alice", time.Second, 0},
		{"alice", 2 * time.Second, 8 * time.Second},                // over her budget until her window ends
		{"alice", 9500 * time.Millisecond, 500 * time.Millisecond}, // still over, for the rest of it
		{"bob", 2 * time.Second, 0},                                // his own budget, untouched by hers
		{"alice", 10 * time.Second, 0},                             // a new window
	}
	for i, step := range steps {
		if got := limiter.allow(rule, step.account, start.Add(step.at)); got != step.wait {
			t.Fatalf("step %d (%s at %s): wait = %v, want %v", i, step.account, step.at, got, step.wait)
		}
	}
	// A changed rule (settings saved) starts afresh rather than holding people to the old count.
	raised := core.RateLimitRule{Label: "*:create", MaxRequests: 5, Duration: 10}
	if limiter.allow(raised, "alice", start.Add(11*time.Second)) != 0 {
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

func TestRetryAfterIsWholeSecondsRoundedUpAndAtLeastOne(t *testing.T) {
	cases := map[time.Duration]int{
		8 * time.Second:         8,
		7001 * time.Millisecond: 8,
		500 * time.Millisecond:  1,
		time.Nanosecond:         1,
		0:                       1,
	}
	for wait, want := range cases {
		if got := retryAfterSeconds(wait); got != want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", wait, got, want)
		}
	}
}

func TestAccountRuleAcceptsEveryoneOrSignedInOnly(t *testing.T) {
	for _, audience := range []string{core.RateLimitRuleAudienceAll, core.RateLimitRuleAudienceAuth} {
		settings := core.RateLimitsConfig{Rules: []core.RateLimitRule{{Label: "*:create", Audience: audience}}}
		if _, ok := accountRule(settings); !ok {
			t.Errorf("a *:create rule for audience %q should budget accounts", audience)
		}
	}
	guests := core.RateLimitsConfig{Rules: []core.RateLimitRule{{Label: "*:create", Audience: core.RateLimitRuleAudienceGuest}}}
	if _, ok := accountRule(guests); ok {
		t.Error("a rule for signed-out requests only must not budget accounts")
	}
}
