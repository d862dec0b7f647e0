// Command loadgen is the capacity benchmark's load generator (bench/capacity.ts drives it): it holds
// thousands of signed-in realtime connections subscribed as the app subscribes, posts messages at a
// set rate with their send time in the text, and measures every delivery's latency and every loss,
// in a fraction of a core. The Node workers of bench/fanout.ts needed more CPU than the server they
// measured at 10,000 subscribers; here a connection is one goroutine and a parse of the text field.
//
// It reads one JSON command per line on stdin and answers each with one JSON line on stdout:
// connect, send, creates, status, quit (see the command type). Logs go to stderr.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The topic the server broadcasts messages on (src-shared/realtime-topics.ts MESSAGES_TOPIC).
const messagesTopic = "palaver/messages"

type command struct {
	Cmd string `json:"cmd"`
	// connect
	URL         string   `json:"url"`
	Tokens      []string `json:"tokens"`
	Topics      []string `json:"topics"`
	Concurrency int      `json:"concurrency"`
	TimeoutMs   int      `json:"timeoutMs"`
	// send and creates
	Room    string   `json:"room"`
	Senders []sender `json:"senders"`
	Rate    float64  `json:"rate"`
	Seconds float64  `json:"seconds"`
	Phase   string   `json:"phase"`
	DrainMs int      `json:"drainMs"`
}

type sender struct {
	Token string `json:"token"`
	User  string `json:"user"`
}

type generator struct {
	base    *url.URL
	api     *api
	mu      sync.Mutex
	subs    []*subscriber
	dropped atomic.Int64
	// Events on the other topics the app subscribes to (presence, typing, rooms...): counted only.
	otherEvents atomic.Int64
	phase       atomic.Pointer[phase]
}

// phase is one run of messages: which deliveries arrived (a bit per subscriber and message, to tell
// a duplicate from a first delivery) and their latencies.
type phase struct {
	id          string
	messages    int
	bits        [][]uint64
	received    atomic.Int64
	duplicates  atomic.Int64
	foreign     atomic.Int64
	lastArrival atomic.Int64
	latency     histogram
}

func (g *generator) read(s *subscriber) {
	for {
		name, data, err := s.next()
		if err != nil {
			if !s.closed.Load() {
				g.dropped.Add(1)
			}
			return
		}
		if name != messagesTopic {
			g.otherEvents.Add(1)
			continue
		}
		now := time.Now().UnixMicro()
		ph := g.phase.Load()
		if ph == nil {
			continue
		}
		id, seq, sentAt, ok := parseDelivery(data)
		if !ok || id != ph.id || seq < 0 || seq >= ph.messages || s.index >= len(ph.bits) {
			ph.foreign.Add(1)
			continue
		}
		word, bit := &ph.bits[s.index][seq/64], uint64(1)<<(seq%64)
		if *word&bit != 0 {
			ph.duplicates.Add(1)
			continue
		}
		*word |= bit
		ph.received.Add(1)
		ph.latency.add(s.index, now-sentAt)
		ph.lastArrival.Store(now)
	}
}

// cpuSeconds is this process's user+system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func (g *generator) alive() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, s := range g.subs {
		if !s.closed.Load() {
			n++
		}
	}
	return n
}

func main() {
	g := &generator{}
	in := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<20))
	out := json.NewEncoder(os.Stdout)
	for {
		var c command
		if err := in.Decode(&c); err != nil {
			return // stdin closed: the coordinator is gone
		}
		reply, err := g.run(c)
		if err != nil {
			reply = map[string]any{"error": err.Error()}
		}
		if err := out.Encode(reply); err != nil {
			return
		}
	}
}

func (g *generator) run(c command) (any, error) {
	switch c.Cmd {
	case "connect":
		if g.base == nil {
			base, err := url.Parse(c.URL)
			if err != nil {
				return nil, err
			}
			g.base, g.api = base, newAPI(base)
		}
		return g.connect(c), nil
	case "send":
		return g.send(c)
	case "creates":
		return g.creates(c)
	case "status":
		return map[string]any{"alive": g.alive(), "dropped": g.dropped.Load(), "otherEvents": g.otherEvents.Load(), "cpuSeconds": cpuSeconds()}, nil
	case "quit":
		g.mu.Lock()
		for _, s := range g.subs {
			s.close()
		}
		g.mu.Unlock()
		os.Exit(0)
	}
	return nil, fmt.Errorf("unknown command %q", c.Cmd)
}
