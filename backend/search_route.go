package main

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// GET /api/palaver/search: full-text search of the messages the caller may read (the index:
// pb_migrations/1795700130_message_search.js; the query language: search_query.go; finding, ranking and
// answering: search_candidates.go, search_ranking.go, search_results.go; matched ranges:
// search_matches.go). The README's "Search" part describes the answer.
const (
	searchMaxQuery       = 500 // characters of q
	searchPerPageDefault = 20
	searchPerPageMax     = 50
	// searchRateLimitLabel is the settings rule each account's searches are counted against
	// (pb_migrations/1795700131_search_rate_limit.js); a plain word, which PocketBase's own limiter never
	// looks for, so the rule is per account and not per address.
	searchRateLimitLabel = "palaverSearch"
	searchInvalid        = "invalid_query"
)

// searchError is a 400 on one field, in PocketBase's shape, for the client to show next to its cause.
type searchError struct{ Field, Message string }

func (e searchError) Error() string { return e.Message }

func (e searchError) apiError() *router.ApiError {
	return apis.NewBadRequestError(e.Message, validation.Errors{
		e.Field: validation.NewError(searchInvalid, e.Message),
	})
}

func bindSearch(app core.App) {
	limiter := &accountLimiter{windows: map[string]*accountWindow{}}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/palaver/search", func(e *core.RequestEvent) error {
			if wait := searchRateLimit(e, limiter); wait > 0 {
				return refuseUntil(e, wait, errors.New("triggered the per-account search rate limit rule"))
			}
			return searchMessages(e)
		}).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
}

// searchRateLimit counts one search of a signed-in account against the palaverSearch rule, if the
// settings have one (and rate limits are on); it answers how long to wait when refused.
func searchRateLimit(e *core.RequestEvent, limiter *accountLimiter) time.Duration {
	settings := e.App.Settings().RateLimits
	if !settings.Enabled || e.HasSuperuserAuth() {
		return 0
	}
	rule, ok := settings.FindRateLimitRule([]string{searchRateLimitLabel},
		core.RateLimitRuleAudienceAll, core.RateLimitRuleAudienceAuth)
	if !ok {
		return 0
	}
	return limiter.allow(rule, e.Auth.Collection().Id+"/"+e.Auth.Id, time.Now())
}

// searchRequest is a search as understood from q and the parameters, checked and resolved.
type searchRequest struct {
	Terms         []searchTerm
	Match         string // the FTS5 expression
	Room          *searchRoom
	From          *searchPerson
	Before, After string // as typed, echoed in filters
	BeforeBound   string // created < this (PocketBase's date format), or ""
	AfterBound    string // created >= this, or ""
	Page, PerPage int
}

type searchRoom struct {
	ID   string `json:"id" db:"id"`
	Name string `json:"name" db:"name"`
	Kind string `json:"kind" db:"kind"`
}

type searchPerson struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// readSearchRequest checks every parameter; a searchError names the field that is wrong.
func readSearchRequest(e *core.RequestEvent, readable map[string]string) (searchRequest, error) {
	params := e.Request.URL.Query()
	var req searchRequest
	q := strings.TrimSpace(params.Get("q"))
	if q == "" {
		return req, searchError{"q", "Add a word to search for."}
	}
	if utf8.RuneCountInString(q) > searchMaxQuery {
		return req, searchError{"q", "Search for at most 500 characters."}
	}
	var err error
	if req.Page, err = intParam(params.Get("page"), 1, 1, 1<<20); err != nil {
		return req, searchError{"page", "page is a whole number from 1."}
	}
	if req.PerPage, err = intParam(params.Get("perPage"), searchPerPageDefault, 1, searchPerPageMax); err != nil {
		return req, searchError{"perPage", "perPage is a whole number from 1 to 50."}
	}
	offset, err := intParam(params.Get("utcOffset"), 0, -840, 840)
	if err != nil {
		return req, searchError{"utcOffset", "utcOffset is minutes east of UTC, from -840 to 840."}
	}
	parsed, err := parseSearchQuery(q)
	if err != nil {
		return req, searchError{"q", err.Error()}
	}
	if req.Terms, err = distinctSearchTerms(parsed.Terms); err != nil {
		return req, searchError{"q", err.Error()}
	}

	if req.Room, err = resolveSearchRoom(e.App, e.Auth.Id, params.Get("room"), parsed.In, readable); err != nil {
		return req, err
	}
	if req.From, err = resolveSearchPerson(e.App, params.Get("from"), parsed.From); err != nil {
		return req, err
	}
	if req.Before, req.BeforeBound, err = searchDate("before", params.Get("before"), parsed.Before, offset); err != nil {
		return req, err
	}
	if req.After, req.AfterBound, err = searchDate("after", params.Get("after"), parsed.After, offset); err != nil {
		return req, err
	}

	roomID, authorID := "", ""
	if req.Room != nil {
		roomID = req.Room.ID
	}
	if req.From != nil {
		authorID = req.From.ID
	}
	words, short := indexedWordsStarting(e.App), false
	expand := func(prefix string) []string {
		found, tooMany := words(prefix)
		if tooMany && utf8.RuneCountInString(prefix) < searchMinNativePrefix {
			short = true
		}
		return found
	}
	req.Match = searchMatchExpression(req.Terms, roomID, authorID, expand)
	if short {
		return req, searchError{"q", fmt.Sprintf("Type at least %d letters before *.", searchMinNativePrefix)}
	}
	if req.Match == "" {
		for _, term := range req.Terms {
			if term.Exclude {
				return req, searchError{"q", "Add a word to search for: -x only excludes."}
			}
		}
		return req, searchError{"q", "Add a word to search for: only letters and numbers are searched."}
	}
	return req, nil
}

// intParam reads a whole number between low and high, or fallback when absent.
func intParam(raw string, fallback, low, high int) (int, error) {
	if raw == "" {
		return fallback, nil
	}
	value, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || value < low || value > high {
		return 0, errors.New("out of range")
	}
	return value, nil
}

// resolveSearchPerson finds the author of the `from` parameter (a user id) or of `from:@username` in q.
// Every signed-in account may see every profile, so an unknown name is simply said to be unknown.
func resolveSearchPerson(app core.App, id, username string) (*searchPerson, error) {
	var found *searchPerson
	find := func(where string, value string) (*searchPerson, bool) {
		var person searchPerson
		err := app.DB().NewQuery("SELECT id, username, name FROM users WHERE "+where+" LIMIT 1").
			Bind(dbx.Params{"value": value}).Row(&person.ID, &person.Username, &person.Name)
		return &person, err == nil
	}
	if id != "" {
		person, ok := find("id = {:value}", id)
		if !ok {
			return nil, searchError{"from", "There is no such person."}
		}
		found = person
	}
	if username == "" {
		return found, nil
	}
	person, ok := find("username = {:value} COLLATE NOCASE", username)
	if !ok {
		return nil, searchError{"from", "No one is called @" + username + "."}
	}
	if found != nil && found.ID != person.ID {
		return nil, searchError{"from", "from:@" + username + " is another person than the one chosen: keep one."}
	}
	return person, nil
}

// pbDateLayout is how PocketBase stores dates: the created column compares as text in this format.
const pbDateLayout = "2006-01-02 15:04:05.000Z"

// searchDate reads a date filter from its parameter or from q (both given must agree): YYYY-MM-DD is a
// day in the person's time zone (utcOffset minutes east of UTC), an RFC 3339 time is that instant.
// before: created before the day starts (or before the instant); after: created after the day ends (or
// after the instant). It returns the value as typed and the bound on `created`.
func searchDate(field, param, typed string, utcOffset int) (string, string, error) {
	value := param
	if value == "" {
		value = typed
	} else if typed != "" && typed != param {
		return "", "", searchError{field, field + ":" + typed + " is another date than the one chosen: keep one."}
	}
	if value == "" {
		return "", "", nil
	}
	// The bound compares as text with created, so it must be a four-digit year in UTC: year 10000 (the day
	// after 9999-12-31, or an instant that lands there in UTC) would sort before every date.
	fits := func(bound time.Time) bool { return bound.UTC().Year() >= 0 && bound.UTC().Year() <= 9999 }
	zone := time.FixedZone("", utcOffset*60)
	if day, err := time.ParseInLocation(time.DateOnly, value, zone); err == nil && day.Year() >= 1000 {
		if field == "after" {
			day = day.AddDate(0, 0, 1)
		}
		if fits(day) {
			return value, day.UTC().Format(pbDateLayout), nil
		}
	}
	if instant, err := time.Parse(time.RFC3339Nano, value); err == nil && instant.Year() >= 1000 {
		if field == "after" {
			instant = instant.Truncate(time.Millisecond).Add(time.Millisecond)
		}
		if fits(instant) {
			return value, instant.UTC().Format(pbDateLayout), nil
		}
	}
	return "", "", searchError{field, field + ": takes a date as YYYY-MM-DD, like " + field + ":2026-12-01."}
}

func searchMessages(e *core.RequestEvent) error {
	readable, err := readableRooms(e.App, e.Auth.Id)
	if err != nil {
		return e.InternalServerError("Could not search; try again.", err)
	}
	req, err := readSearchRequest(e, readable)
	var refusal searchError
	if errors.As(err, &refusal) {
		return refusal.apiError()
	}
	if err != nil {
		return e.InternalServerError("Could not search; try again.", err)
	}
	answer, err := runSearch(e.Request.Context(), e.App, e.Auth.Id, readable, req, time.Now())
	if err != nil && e.Request.Context().Err() != nil {
		return nil // the caller went away (a newer search replaced this one): no one to answer
	}
	if err != nil {
		return e.InternalServerError("Could not search; try again.", err)
	}
	return e.JSON(http.StatusOK, answer)
}
