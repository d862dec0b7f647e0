package main

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// bindAccountRateLimit gives every signed-in account its own budget of messages.
//
// PocketBase's limiter counts per client IP, so everyone in an office behind one address would share
// one budget: one fast typist would slow down all their colleagues. Signed-out requests (sign-in,
// sign-up, password mails) stay limited per IP by PocketBase itself, since an address is all that is
// known of them. A signed-in message create is counted here per account, against the same `*:create`
// rule of the settings (so the numbers live in one place, and tests that raise them raise this too);
// PocketBase's own check of that create then meets the `messages:create` rule for signed-in requests
// (migration 1795700049), an address-wide ceiling sized for a whole office, which only stops one
// address that signs up accounts to multiply its budget.
func bindAccountRateLimit(app core.App) {
	limiter := &accountLimiter{windows: map[string]*accountWindow{}}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "palaverAccountRateLimit",
			// Where PocketBase's own limiter stands: after the auth token is read, before any handler.
			Priority: apis.DefaultRateLimitMiddlewarePriority,
			Func:     limiter.limit(isMessageCreate, "message"),
		})
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "palaverRetryAfter",
			// Just outside PocketBase's limiter, so it sees that limiter's refusals on their way out.
			Priority: apis.DefaultRateLimitMiddlewarePriority - 1,
			Func:     retryAfterForPocketBaseLimits,
		})
		warnWithoutAccountRule(se.App)
		return se.Next()
	})
}

// accountCreateRule is the settings rule an account's creates are counted against.
const accountCreateRule = "*:create"

// accountRule is the rule that budgets a signed-in account: `*:create` for everyone or for signed-in
// requests only (an operator who narrows the rule to `@auth` still means it for accounts).
func accountRule(settings core.RateLimitsConfig) (core.RateLimitRule, bool) {
	return settings.FindRateLimitRule(
		[]string{accountCreateRule},
		core.RateLimitRuleAudienceAll,
		core.RateLimitRuleAudienceAuth,
	)
}

// warnWithoutAccountRule says at startup when accounts have no message budget, since nothing else would:
// the limiter simply lets every message through.
func warnWithoutAccountRule(app core.App) {
	settings := app.Settings().RateLimits
	if !settings.Enabled {
		return
	}
	if _, ok := accountRule(settings); !ok {
		app.Logger().Warn(
			"No per-account message limit: add a rate limit rule `"+accountCreateRule+
				"` for audience all or @auth in Settings > Rate limits",
			"rule", accountCreateRule,
		)
	}
}

// refuseUntil answers 429 in PocketBase's own shape, saying when to try again: the `Retry-After` header
// for HTTP clients, and `data.retryAfter` for the JS SDK, whose errors do not carry response headers.
func refuseUntil(e *core.RequestEvent, wait time.Duration, cause error) error {
	seconds := retryAfterSeconds(wait)
	e.Response.Header().Set("Retry-After", strconv.Itoa(seconds))
	refusal := e.TooManyRequestsError("", cause)
	refusal.Data = map[string]any{"retryAfter": seconds}
	return refusal
}

// retryAfterSeconds: whole seconds, rounded up so a client that waits them is past the window, and at
// least one, since `Retry-After: 0` invites an immediate retry that would be refused again.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}

// pocketBaseRulePrefix starts the cause PocketBase gives its own limiter's refusals, followed by the rule.
const pocketBaseRulePrefix = "triggered rate limit rule: "

// retryAfterForPocketBaseLimits adds a wait to the 429s of PocketBase's per-address limiter. Its windows
// are not visible from outside, so the wait is the rule's whole window: an upper bound, never too early.
func retryAfterForPocketBaseLimits(e *core.RequestEvent) error {
	err := e.Next()
	var refusal *router.ApiError
	if !errors.As(err, &refusal) || refusal.Status != http.StatusTooManyRequests {
		return err
	}
	if e.Response.Header().Get("Retry-After") != "" {
		return err
	}
	cause, ok := refusal.RawData().(error)
	if !ok || !strings.HasPrefix(cause.Error(), pocketBaseRulePrefix) {
		return err
	}
	var rule core.RateLimitRule
	if json.Unmarshal([]byte(strings.TrimPrefix(cause.Error(), pocketBaseRulePrefix)), &rule) != nil {
		return err
	}
	return refuseUntil(e, rule.DurationTime(), cause)
}

// limit returns the middleware that counts the requests `counted` picks per signed-in account against the
// account rule, refusing them (as PocketBase refuses, with when to retry) once the window is used up. Each
// limiter has windows of its own: messages and reactions do not eat into each other's budget.
func (l *accountLimiter) limit(counted func(*core.RequestEvent) bool, what string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if !counted(e) {
			return e.Next()
		}
		settings := e.App.Settings().RateLimits
		if !settings.Enabled || e.Auth == nil || e.HasSuperuserAuth() {
			return e.Next()
		}
		rule, ok := accountRule(settings)
		if !ok {
			return e.Next()
		}
		if wait := l.allow(rule, e.Auth.Collection().Id+"/"+e.Auth.Id, time.Now()); wait > 0 {
			// PocketBase's own answer to a limited request, so clients handle both alike.
			return refuseUntil(e, wait, errors.New("triggered the per-account "+what+" rate limit rule: "+rule.String()))
		}
		return e.Next()
	}
}

// isMessageCreate: POST /api/collections/messages/records (by the collection's name or id).
func isMessageCreate(e *core.RequestEvent) bool {
	if e.Request.Method != http.MethodPost || !strings.HasSuffix(e.Request.Pattern, "/api/collections/{collection}/records") {
		return false
	}
	collection, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	return err == nil && collection.Name == "messages"
}

// accountLimiter counts requests per account in fixed windows, as PocketBase's limiter does per IP.
type accountLimiter struct {
	mu      sync.Mutex
	windows map[string]*accountWindow
	calls   int
}

type accountWindow struct {
	rule  string // the rule the window was opened under: a changed rule starts a fresh window
	start time.Time
	used  int
}

// allow counts one request; when the window is used up, it counts nothing and says how long until the
// window reopens (zero means allowed).
func (l *accountLimiter) allow(rule core.RateLimitRule, account string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%1000 == 0 {
		l.forgetIdle(now)
	}
	ruleKey := rule.String()
	window := l.windows[account]
	if window == nil || window.rule != ruleKey || now.Sub(window.start) >= rule.DurationTime() {
		window = &accountWindow{rule: ruleKey, start: now}
		l.windows[account] = window
	}
	if window.used >= rule.MaxRequests {
		return window.start.Add(rule.DurationTime()).Sub(now)
	}
	window.used++
	return 0
}

// forgetIdle drops windows that ended long ago, so accounts that stopped writing cost no memory.
func (l *accountLimiter) forgetIdle(now time.Time) {
	for account, window := range l.windows {
		if now.Sub(window.start) > time.Hour {
			delete(l.windows, account)
		}
	}
}
