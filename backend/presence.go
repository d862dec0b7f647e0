package main

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// PresenceTopic carries `{"user": id, "status": "online|away|dnd|offline"}` whenever a person's status
// changes, to signed-in subscribers only (src-shared/realtime-topics.ts names it for the client); the
// changes of a burst come together as a list of them (presence_batch.go).
//
// Presence is worked out from the realtime connections themselves and kept in memory only: a person is
// online while any of their connections is open, whatever the number of devices, and nothing is
// written to the database per connection or heartbeat. A restart forgets everyone; clients reconnect
// and declare again. Memory is one small map per connected person, removed with their last connection.
const PresenceTopic = "palaver/presence"

const (
	statusOnline  = "online"
	statusAway    = "away"
	statusDND     = "dnd"
	statusOffline = "offline"
)

// presenceOfflineGrace is how long a person who lost their last connection still counts as connected.
// The SDK reconnects within a second after a dropped connection, and PocketBase ends every connection
// after 30 minutes on purpose: without a grace everyone would flicker offline and online for all
// their contacts each half hour. Short enough that closing the app shows as offline almost at once.
const presenceOfflineGrace = 1500 * time.Millisecond

// presenceSweepEvery bounds how long a connection whose sign-in PocketBase cleared by a path no hook
// reports (an auth collection's token secret changed) may still count for that person.
const presenceSweepEvery = 15 * time.Second

// presenceMaxIDs is the most ids one GET may ask about: a room's member list or a page of the people finder.
const presenceMaxIDs = 200

// presenceAuthUser is the user a realtime client is signed in as, or "" (signed out, or a superuser:
// the dashboard is not a person anyone talks to).
func presenceAuthUser(client subscriptions.Client) string {
	auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
	if auth == nil || auth.Collection().Name != "users" {
		return ""
	}
	return auth.Id
}

// resync makes the tracker agree with PocketBase about the given connections: gone, or signed in as
// someone else or nobody (PocketBase clears a connection's sign-in when the password changes or the
// account is deleted).
func (t *presenceTracker) resync(broker *subscriptions.Broker, clientIDs []string) {
	for _, clientID := range clientIDs {
		client, err := broker.ClientById(clientID)
		if err != nil || client.IsDiscarded() {
			t.detach(clientID)
			continue
		}
		if user := presenceAuthUser(client); user != "" {
			t.attach(clientID, user)
		} else {
			t.detach(clientID)
		}
	}
}

// broadcastPresence sends status changes to every signed-in subscriber of the topic, encoded once.
func broadcastPresence(app core.App, changes []presenceChange) {
	payload, err := encodePresence(changes)
	if err != nil {
		app.Logger().Warn("Could not encode a presence change", slog.String("error", err.Error()))
		return
	}
	for _, chunk := range app.SubscriptionsBroker().ChunkedClients(300) {
		for _, client := range chunk {
			subs := client.Subscriptions(PresenceTopic)
			if len(subs) == 0 {
				continue
			}
			auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
			if auth == nil || (auth.Collection().Name != "users" && !auth.IsSuperuser()) {
				continue
			}
			for sub := range subs {
				// "palaver/presence?options=..." is ours; a longer name that merely starts with it is not.
				if sub != PresenceTopic && !strings.HasPrefix(sub, PresenceTopic+"?") {
					continue
				}
				msg := subscriptions.Message{Name: sub, Data: payload}
				routine.FireAndForget(func() { client.Send(msg) })
			}
		}
	}
}

type presenceDeclaration struct {
	// ClientID is the realtime connection that declares (pb.realtime.clientId in the SDK): a request
	// carries no connection of its own, and each device declares for itself.
	ClientID string `json:"clientId"`
	Away     bool   `json:"away"`
	DND      bool   `json:"dnd"`
}

func bindPresence(app core.App) {
	batcher := newPresenceBatcher(presenceBurstEvery, func(changes []presenceChange) {
		broadcastPresence(app, changes)
	})
	tracker := newPresenceTracker(presenceOfflineGrace, batcher.add)

	// A connection counts once it is signed in, which PocketBase learns from its subscriptions (the
	// SDK sends its token with them); it stops counting when it closes: e.Next() returns then.
	app.OnRealtimeConnectRequest().BindFunc(func(e *core.RealtimeConnectRequestEvent) error {
		err := e.Next()
		tracker.detach(e.Client.Id())
		return err
	})
	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		tracker.resync(e.App.SubscriptionsBroker(), []string{e.Client.Id()})
		return nil
	})

	// PocketBase clears the sign-in of a person's connections when their password changes (signing out
	// every device) or their account goes; its own hooks run first (priority -99), so the connections
	// are read after it.
	afterAccountChange := func(e *core.ModelEvent) error {
		if e.Model.TableName() == "users" {
			tracker.resync(e.App.SubscriptionsBroker(), tracker.clientsOf(anyToString(e.Model.PK())))
		}
		return e.Next()
	}
	app.OnModelAfterUpdateSuccess().Bind(&hook.Handler[*core.ModelEvent]{Func: afterAccountChange, Priority: 99})
	app.OnModelAfterDeleteSuccess().Bind(&hook.Handler[*core.ModelEvent]{Func: afterAccountChange, Priority: 99})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Anything no hook reports (a changed token secret of the users collection) is caught here.
		ticker := time.NewTicker(presenceSweepEvery)
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-ticker.C:
					tracker.resync(se.App.SubscriptionsBroker(), tracker.clientsOf(""))
				case <-done:
					return
				}
			}
		}()
		se.App.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			ticker.Stop()
			close(done)
			return te.Next()
		})

		se.Router.POST("/api/palaver/presence", func(e *core.RequestEvent) error {
			var body presenceDeclaration
			if err := e.BindBody(&body); err != nil {
				return e.BadRequestError("The presence declaration is not valid JSON: send {clientId, away, dnd}.", err)
			}
			if body.ClientID == "" {
				return e.BadRequestError("Say which realtime connection declares: clientId is pb.realtime.clientId.", nil)
			}
			if err := tracker.declare(body.ClientID, e.Auth.Id, body.Away, body.DND); err != nil {
				// The same answer for an unknown id and for someone else's: a probe learns nothing.
				return e.NotFoundError("No realtime connection of yours has this clientId: connect and subscribe first.", err)
			}
			return e.NoContent(http.StatusNoContent)
		}).Bind(apis.RequireAuth("users"))

		se.Router.GET("/api/palaver/presence", func(e *core.RequestEvent) error {
			result := map[string]string{}
			raw := e.Request.URL.Query().Get("ids")
			if raw == "" {
				return e.JSON(http.StatusOK, result)
			}
			ids := strings.Split(raw, ",")
			if len(ids) > presenceMaxIDs {
				return e.BadRequestError("Ask about at most 200 people at once.", nil)
			}
			for _, id := range ids {
				if id = strings.TrimSpace(id); id != "" {
					result[id] = tracker.status(id)
				}
			}
			return e.JSON(http.StatusOK, result)
		}).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
}

func anyToString(v any) string {
	s, _ := v.(string)
	return s
}
