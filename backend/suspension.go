package main

import (
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Suspended accounts (users.suspended, migration 1795700170): a superuser sets the flag in the dashboard,
// and from then on the account is refused everywhere without its tokens being revoked. Revoking them
// (a new tokenKey) would make every request look signed out, and the person would never learn why; a
// refusal that names the suspension lets the client say so on its sign-in screen.
//
// The refusal is one error in one shape: 403 with data.account.code = account_suspended, the same for a
// sign-in, a request with an old token, a token refresh and the realtime subscription a client sends
// after its connection was closed.

const (
	suspendedField = "suspended"
	suspendedCode  = "account_suspended"
	// Said once, here: the client shows the server's sentence.
	suspendedMessage = "This account is suspended: it cannot sign in or use this server. Ask the server's administrator why."
)

func suspendedError() *router.ApiError {
	return router.NewApiError(http.StatusForbidden, suspendedMessage, validation.Errors{
		"account": validation.NewError(suspendedCode, suspendedMessage),
	})
}

func isSuspended(record *core.Record) bool {
	return record != nil && record.Collection().Name == "users" && record.GetBool(suspendedField)
}

func bindSuspension(app core.App) {
	// Every request that carries a suspended account's token, whatever it asks, right after the token is
	// read (the auth record is read from the database on each request, so the flag is never stale).
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "palaverSuspendedAccounts",
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
			Func: func(e *core.RequestEvent) error {
				if isSuspended(e.Auth) {
					return suspendedError()
				}
				return e.Next()
			},
		})
		// Only superusers change the flag: an account cannot sign up suspended, nor suspend anyone, nor lift
		// its own suspension (it could not reach this with its token anyway). PocketBase already drops a
		// hidden field from anyone else's body, silently; here the attempt is refused out loud, before the
		// body reaches the handler, so it is never mistaken for success.
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "palaverSuspendedBySuperusersOnly",
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 2,
			Func: func(e *core.RequestEvent) error {
				if isUsersWrite(e) && !e.HasSuperuserAuth() && sendsSuspended(e) {
					return e.ForbiddenError("Only a server administrator can suspend an account or restore it.", nil)
				}
				return e.Next()
			},
		})
		return se.Next()
	})

	// Sign-in by any method (password, OTP, OAuth2) and a refresh end here once the credentials are
	// checked, so a wrong password never tells whether an account is suspended.
	app.OnRecordAuthRequest("users").BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if isSuspended(e.Record) {
			return suspendedError()
		}
		return e.Next()
	})

	// A superuser's change of the flag appends its audit entry.
	app.OnRecordUpdateRequest("users").BindFunc(func(e *core.RecordRequestEvent) error {
		if !e.HasSuperuserAuth() {
			return e.Next()
		}
		was, now := e.Record.Original().GetBool(suspendedField), e.Record.GetBool(suspendedField)
		if was == now {
			return e.Next()
		}
		action := auditAccountRestored
		if now {
			action = auditAccountSuspended
		}
		// The change and its audit entry are stored together or not at all; the response is written
		// after the commit (PocketBase defers it inside a transaction).
		return e.App.RunInTransaction(func(txApp core.App) error {
			if err := appendAudit(txApp, auditEntry{
				Actor:            e.Auth,
				Action:           action,
				TargetCollection: "users",
				Target:           e.Record.Id,
				Detail:           map[string]any{"username": e.Record.GetString("username")},
			}); err != nil {
				return err
			}
			e.App = txApp
			return e.Next()
		})
	})

	// A protected file is fetched with a file token in its URL, which PocketBase reads itself (not the
	// Authorization header the check above sees): one taken before the suspension would serve the
	// account's rooms' files for the rest of its few minutes.
	app.OnFileDownloadRequest().BindFunc(func(e *core.FileDownloadRequestEvent) error {
		if token := e.Request.URL.Query().Get("token"); token != "" {
			if holder, err := e.App.FindAuthRecordByToken(token, core.TokenTypeFile); err == nil && isSuspended(holder) {
				return suspendedError()
			}
		}
		return e.Next()
	})

	// Whatever saved the flag (the dashboard, a script), the account's realtime connections end at once:
	// the SSE loop returns when its client is unregistered. The client's reconnect then sends its
	// subscriptions with the old token and meets the refusal above.
	app.OnRecordAfterUpdateSuccess("users").BindFunc(func(e *core.RecordEvent) error {
		if isSuspended(e.Record) {
			disconnectAccount(e.App, e.Record.Id)
		}
		return e.Next()
	})
}

// isUsersWrite: a create or update of a users record (by the collection's name or id).
func isUsersWrite(e *core.RequestEvent) bool {
	create := e.Request.Method == http.MethodPost && strings.HasSuffix(e.Request.Pattern, "/api/collections/{collection}/records")
	update := e.Request.Method == http.MethodPatch && strings.HasSuffix(e.Request.Pattern, "/api/collections/{collection}/records/{id}")
	if !create && !update {
		return false
	}
	collection, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	return err == nil && collection.Name == "users"
}

// sendsSuspended: the request's body names the field (JSON or multipart alike).
func sendsSuspended(e *core.RequestEvent) bool {
	info, err := e.RequestInfo()
	if err != nil {
		return true
	}
	_, named := info.Body[suspendedField]
	return named
}

// disconnectAccount closes every realtime connection signed in as the account.
func disconnectAccount(app core.App, userID string) {
	broker := app.SubscriptionsBroker()
	for _, chunk := range broker.ChunkedClients(300) {
		for _, client := range chunk {
			auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
			if auth != nil && auth.Collection().Name == "users" && auth.Id == userID {
				broker.Unregister(client.Id())
			}
		}
	}
}
