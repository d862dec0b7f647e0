package main

import (
	"html"
	"net/http"
	"net/mail"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/routine"
)

// bindEmailClaims keeps anyone from learning whether an email address has an account here.
//
// PocketBase answers a sign-up or an email change to a taken address with a field error, and an account
// signed up with an address can sign in with it at once, so trying the address after signing up would
// tell just the same. Here an address becomes an account's email only when someone proves they read its
// mail: sign-up creates the account without one (its username signs in) and mails the address a
// confirmation link, PocketBase's own email-change token; the link's page sets the email and marks it
// verified. If the address already belongs to an account, its owner is told instead, and nothing
// changes. Both cases answer the same, with the same body, and send their mail after answering, so
// neither the answer nor its timing depends on the address. Usernames are public: they still say "taken".
func bindEmailClaims(app core.App) {
	app.OnRecordCreateRequest("users").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.HasSuperuserAuth() {
			return e.Next()
		}
		claimed := strings.TrimSpace(e.Record.Email())
		if is.EmailFormat.Validate(claimed) != nil {
			// Not an address (so nobody's): PocketBase names it next to every other field error.
			return e.Next()
		}
		e.Record.SetEmail("")
		if err := e.Next(); err != nil {
			return err
		}
		mailClaim(e.App, e.Record, claimed, true)
		return nil
	})

	// PocketBase validates the new address (taken or not) before any hook of its own runs, so the
	// request is answered here, after the route's own rate limit (which runs at that priority).
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "palaverEmailChangeRequest",
			Priority: apis.DefaultRateLimitMiddlewarePriority + 1,
			Func:     requestEmailChange,
		})
		return se.Next()
	})
}

func requestEmailChange(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost || !strings.HasSuffix(e.Request.Pattern, "/request-email-change") {
		return e.Next()
	}
	collection, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	if err != nil || collection.Name != "users" || e.Auth == nil || e.Auth.Collection().Id != collection.Id {
		return e.Next() // PocketBase's own answers: unknown collection, not signed in, wrong account kind
	}
	body := struct {
		NewEmail string `json:"newEmail" form:"newEmail"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("Send the new address as newEmail.", err)
	}
	body.NewEmail = strings.TrimSpace(body.NewEmail)
	// Only what concerns the caller's own request is checked here; whether someone else has the address
	// is never part of the answer.
	if err := validation.Validate(body.NewEmail, validation.Required, validation.Length(1, 255), is.EmailFormat,
		validation.NotIn(e.Auth.Email())); err != nil {
		return e.BadRequestError("Enter a valid new email address.", validation.Errors{"newEmail": err})
	}
	mailClaim(e.App, e.Auth, body.NewEmail, false)
	return e.NoContent(http.StatusNoContent)
}

// mailClaim sends, after the answer, either the confirmation link for an address nobody has, or to an
// address that is taken a note telling its owner someone tried it (only at sign-up: an email change
// to someone else's address is simply never confirmed). A mail that fails is logged, never answered.
func mailClaim(app core.App, record *core.Record, address string, atSignUp bool) {
	if address == "" {
		return
	}
	routine.FireAndForget(func() {
		owner, _ := app.FindAuthRecordByEmail(record.Collection(), address)
		var err error
		switch {
		case owner == nil:
			err = mails.SendRecordChangeEmail(app, record, address)
		case owner.Id != record.Id && atSignUp:
			err = sendAddressTakenNote(app, address)
		}
		if err != nil {
			app.Logger().Warn("could not mail an address claim", "error", err.Error(), "collection", record.Collection().Name)
		}
	})
}

func sendAddressTakenNote(app core.App, address string) error {
	meta := app.Settings().Meta
	appName := html.EscapeString(meta.AppName)
	return app.NewMailClient().Send(&mailer.Message{
		From:    mail.Address{Name: meta.SenderName, Address: meta.SenderAddress},
		To:      []mail.Address{{Address: address}},
		Subject: "Someone tried to sign up to " + meta.AppName + " with your address",
		HTML: "<p>Someone tried to create a new " + appName + " account with this email address, which " +
			"already has one. Nothing was changed and no account uses your address but yours.</p>" +
			"<p>If it was you: sign in with this address or your username, or reset your password from the " +
			"sign-in screen. If it was not you, you need not do anything.</p>",
	})
}
