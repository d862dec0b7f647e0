package main

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
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
			Func:     limiter.middleware,
		})
		return se.Next()
	})
}

// accountCreateRule is the settings rule an account's creates are counted against.
const accountCreateRule = "*:create"

func (l *accountLimiter) middleware(e *core.RequestEvent) error {
	if !isMessageCreate(e) {
		return e.Next()
	}
	settings := e.App.Settings().RateLimits
	if !settings.Enabled || e.Auth == nil || e.HasSuperuserAuth() {
		return e.Next()
	}
	rule, ok := settings.FindRateLimitRule([]string{accountCreateRule}, core.RateLimitRuleAudienceAll)
	if !ok {
		return e.Next()
	}
	if !l.allow(rule, e.Auth.Collection().Id+"/"+e.Auth.Id, time.Now()) {
		// PocketBase's own answer to a limited request, so clients handle both alike.
		return e.TooManyRequestsError("", errors.New("triggered the per-account rate limit rule: "+rule.String()))
	}
	return e.Next()
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

func (l *accountLimiter) allow(rule core.RateLimitRule, account string, now time.Time) bool {
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
		return false
	}
	window.used++
	return true
}

// forgetIdle drops windows that ended long ago, so accounts that stopped writing cost no memory.
func (l *accountLimiter) forgetIdle(now time.Time) {
	for account, window := range l.windows {
		if now.Sub(window.start) > time.Hour {
			delete(l.windows, account)
		}
	}
}
