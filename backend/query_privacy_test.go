package main

import (
	"net/url"
	"testing"
)

// The privacy check reads filters, sorts and realtime options the way the server does; these are the
// spellings an attacker tries. The end-to-end attacks are in backend/tests/*.rules.test.ts and
// backend/tests/realtime.test.ts.
func TestPrivateFieldInFilter(t *testing.T) {
	refused := map[string]string{
		"verified = true":                              "verified",
		"EMAIL ~ 'a'":                                  "email",
		"email:lower ~ 'a'":                            "email",
		"user.verified = true":                         "verified",
		"room.members.email ~ 'a'":                     "email",
		"members:each.tokenKey != ''":                  "tokenKey",
		"@collection.users:u.email ~ 'a'":              "email",
		"@request.auth.id != '' && owner.password = 1": "password",
		"(id != '' && (emailVisibility = true))":       "emailVisibility",
		// A quote inside a comment is no string to the parser: the condition between the comments is live.
		"id != \"\" // \"\n && verified = true // \"":              "verified",
		"strftime('%d', verified) = '25'":                          "verified",
		"strftime('%d', // \"\n verified) = \"25\" // \"":          "verified",
		"geoDistance(0, 0, 0, strftime('%d', verified:lower)) > 0": "verified",
		"@request.auth.rooms_via_owner.members.verified = true":    "verified",
	}
	for filter, want := range refused {
		if got := privateFieldInFilter(filter); got != want {
			t.Errorf("privateFieldInFilter(%q) = %q, want %q", filter, got, want)
		}
	}

	allowed := []string{
		"",
		"text ~ 'email' || text ~ \"verified\"",
		"username = 'x' // sorted by email? no",
		"@request.auth.email != ''",
		"room.kind = 'public' && created > @now",
		"emails = 1",      // another field that merely starts with a private name
		"not a filter ((", // the server refuses it itself
	}
	for _, filter := range allowed {
		if got := privateFieldInFilter(filter); got != "" {
			t.Errorf("privateFieldInFilter(%q) = %q, want it allowed", filter, got)
		}
	}
}

func TestPrivateFieldInSort(t *testing.T) {
	for sort, want := range map[string]string{
		"email":               "email",
		"-created, +verified": "verified",
		"user.email":          "email",
		"-created,id":         "",
		"@random":             "",
	} {
		if got := privateFieldInSort(sort); got != want {
			t.Errorf("privateFieldInSort(%q) = %q, want %q", sort, got, want)
		}
	}
}

func TestSubscriptionQueryReadsTheOptionsAsTheServerDoes(t *testing.T) {
	options := func(json string) string { return "options=" + url.QueryEscape(json) }
	for _, topic := range []string{
		"users/*?" + options(`{"query":{"filter":"verified = true"}}`),
		"users/*?x=1&" + options(`{"query":{"filter":"verified = true"}}`),
		"users/*?" + options(`{"Query":{"filter":"verified = true"}}`),
		"users/*?" + options(`{"query":{"filter":"verified = true"},"query":{}}`),
		"users/*?" + options(`{"query":{"filter":"verified = true"}}`) + "&" + options(`{}`),
	} {
		field := ""
		for key, value := range subscriptionQuery(topic) {
			if found := privateFieldInParam(key, value); found != "" {
				field = found
			}
		}
		if field != "verified" {
			t.Errorf("topic %q: the private filter was not found", topic)
		}
	}
}
