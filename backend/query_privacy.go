package main

import (
	"strings"

	"github.com/ganigeorgiev/fexpr"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// privateAccountFields are the account fields only their owner and superusers may see. PocketBase hides
// them in answers, but it still lets anyone filter or sort by most of them, directly (`verified = true`)
// or through a relation (`messages.user.email`); registering accounts with chosen emails and watching
// where they land in a sort would reveal other people's emails letter by letter.
var privateAccountFields = []string{"email", "emailVisibility", "verified", "tokenKey", "password"}

const privateFieldCode = "validation_private_field"

// bindQueryPrivacy refuses every filter and sort that names a private account field, for everyone but
// superusers: on REST requests and in realtime subscription options.
//
// Filters are read with PocketBase's own parser (fexpr, as tools/search does), never with a pattern: the
// filter language has comments, quotes and nested function calls, and a check that reads a filter
// differently from the server can be walked around (a `//` comment hid a live condition from the old
// regular expression). Realtime topics are read by PocketBase's own subscription client, so the check
// sees exactly the options the server will use.
func bindQueryPrivacy(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Every route, not only the records list: which route reads a filter is PocketBase's business,
		// and a private field has no place in any non-superuser's filter or sort. Runs after the auth
		// token is loaded (the router's auth middleware has a lower priority) and before any query.
		se.Router.BindFunc(func(e *core.RequestEvent) error {
			if e.HasSuperuserAuth() {
				return e.Next()
			}
			for key, values := range e.Request.URL.Query() {
				for _, value := range values {
					if field := privateFieldInParam(key, value); field != "" {
						return refusePrivateField(e, key, field)
					}
				}
			}
			return e.Next()
		})
		return se.Next()
	})

	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		if e.HasSuperuserAuth() {
			return e.Next()
		}
		for _, topic := range e.Subscriptions {
			for key, value := range subscriptionQuery(topic) {
				if field := privateFieldInParam(key, value); field != "" {
					return refusePrivateField(e.RequestEvent, key, field)
				}
			}
		}
		return e.Next()
	})
}

func refusePrivateField(e *core.RequestEvent, param, field string) error {
	message := "Filtering or sorting by " + field + " is not allowed: it is private to its account. Remove it from the " + strings.ToLower(param) + "."
	return e.BadRequestError(message, validation.Errors{
		strings.ToLower(param): validation.NewError(privateFieldCode, message),
	})
}

// subscriptionQuery is the query of a realtime topic's options as the server will use it: a throwaway
// subscription client parses the topic with the same code the server's client does (URL query parsing,
// JSON field names in any letter case, repeated keys merged).
func subscriptionQuery(topic string) map[string]string {
	probe := subscriptions.NewDefaultClient()
	probe.Subscribe(topic)
	query := map[string]string{}
	for _, options := range probe.Subscriptions() {
		for key, value := range options.Query {
			query[key] = value
		}
	}
	return query
}

// privateFieldInParam is the private field named by a `filter` or `sort` query parameter (in any letter
// case, though the server reads only the lowercase ones), or "" when there is none.
func privateFieldInParam(key, value string) string {
	switch strings.ToLower(key) {
	case search.FilterQueryParam:
		return privateFieldInFilter(value)
	case search.SortQueryParam:
		return privateFieldInSort(value)
	}
	return ""
}

// privateFieldInSort checks each sort field as the server splits them.
func privateFieldInSort(sort string) string {
	for _, field := range search.ParseSortFromString(sort) {
		if private := privateFieldInIdentifier(field.Name); private != "" {
			return private
		}
	}
	return ""
}

// privateFieldInFilter checks every identifier of a filter as the server parses it, including function
// arguments at any depth and groups. A filter the parser refuses is left to the server, which refuses it
// the same way (it runs the same parser on the same text).
func privateFieldInFilter(filter string) string {
	if strings.TrimSpace(filter) == "" {
		return ""
	}
	groups, err := fexpr.Parse(filter)
	if err != nil {
		return ""
	}
	return privateFieldInGroups(groups)
}

func privateFieldInGroups(groups []fexpr.ExprGroup) string {
	for _, group := range groups {
		var found string
		switch item := group.Item.(type) {
		case fexpr.Expr:
			found = privateFieldInToken(item.Left)
			if found == "" {
				found = privateFieldInToken(item.Right)
			}
		case fexpr.ExprGroup:
			found = privateFieldInGroups([]fexpr.ExprGroup{item})
		case []fexpr.ExprGroup:
			found = privateFieldInGroups(item)
		}
		if found != "" {
			return found
		}
	}
	return ""
}

func privateFieldInToken(token fexpr.Token) string {
	switch token.Type {
	case fexpr.TokenIdentifier:
		return privateFieldInIdentifier(token.Literal)
	case fexpr.TokenFunction:
		args, _ := token.Meta.([]fexpr.Token)
		for _, arg := range args {
			if found := privateFieldInToken(arg); found != "" {
				return found
			}
		}
	}
	return ""
}

// privateFieldInIdentifier checks every step of a field path (`user.verified`, `email:lower`,
// `@collection.users:alias.email`, `rooms_via_owner.members.email`), in any letter case. The one step
// allowed is the caller's own field directly after `@request.auth.`: that is their own account.
func privateFieldInIdentifier(identifier string) string {
	steps := strings.Split(identifier, ".")
	for i, step := range steps {
		if i == 2 && strings.EqualFold(steps[0], "@request") && strings.EqualFold(steps[1], "auth") {
			continue
		}
		name, _, _ := strings.Cut(step, ":")
		for _, private := range privateAccountFields {
			if strings.EqualFold(strings.TrimSpace(name), private) {
				return private
			}
		}
	}
	return ""
}
