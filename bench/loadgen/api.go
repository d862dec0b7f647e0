package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// api makes the generator's ordinary requests (subscriptions, message creates) over a pool of
// keep-alive connections, separate from the realtime streams.
type api struct {
	base   *url.URL
	client *http.Client
}

func newAPI(base *url.URL) *api {
	transport := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	return &api{base: base, client: &http.Client{Transport: transport, Timeout: 60 * time.Second}}
}

// post sends JSON with a token and returns the status (and the body when it is not 2xx, for errors).
func (a *api) post(path, token string, body any) (int, string, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequest(http.MethodPost, a.base.String()+path, bytes.NewReader(raw))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return resp.StatusCode, string(answer), nil
	}
	return resp.StatusCode, "", nil
}

// subscribe sets a connection's subscriptions as the signed-in person (what the SDK does after
// PB_CONNECT, with every topic the app listens on in one request).
func (a *api) subscribe(clientID, token string, topics []string) error {
	status, body, err := a.post("/api/realtime", token, map[string]any{"clientId": clientID, "subscriptions": topics})
	if err != nil {
		return err
	}
	if status != http.StatusNoContent {
		return fmt.Errorf("subscribe: HTTP %d %.80s", status, body)
	}
	return nil
}

// createMessage posts one message through the API rules, as the app's outbox does.
func (a *api) createMessage(s sender, room, text string) error {
	status, body, err := a.post("/api/collections/messages/records", s.Token, map[string]string{"room": room, "user": s.User, "text": text})
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("create: HTTP %d %.80s", status, body)
	}
	return nil
}

// errorKinds counts errors by message, for the reply (a few kinds, never one entry per failure).
type errorKinds map[string]int

func (e errorKinds) add(err error) {
	key := err.Error()
	if len(key) > 120 {
		key = key[:120]
	}
	if len(e) < 20 || e[key] > 0 {
		e[key]++
	} else {
		e["(other)"]++
	}
}
