package main

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// connect opens and subscribes one connection per token, `concurrency` at a time, and keeps them.
func (g *generator) connect(c command) map[string]any {
	started := time.Now()
	timeout := time.Duration(max(c.TimeoutMs, 1000)) * time.Millisecond
	var next atomic.Int64
	var mu sync.Mutex
	errs := errorKinds{}
	held, failed := 0, 0
	g.mu.Lock()
	first := len(g.subs)
	g.mu.Unlock()
	var wg sync.WaitGroup
	for range max(c.Concurrency, 1) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(c.Tokens) {
					return
				}
				s, err := openSubscriber(g.base, first+i, timeout)
				if err == nil {
					err = g.api.subscribe(s.clientID, c.Tokens[i], c.Topics)
					if err != nil {
						s.close()
					}
				}
				mu.Lock()
				if err != nil {
					failed++
					errs.add(err)
				} else {
					held++
					g.mu.Lock()
					for len(g.subs) <= s.index {
						g.subs = append(g.subs, nil)
					}
					g.subs[s.index] = s
					g.mu.Unlock()
					go g.read(s)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// Gaps left by failures: a closed placeholder keeps every index meaning one token.
	g.mu.Lock()
	for i, s := range g.subs {
		if s == nil {
			g.subs[i] = &subscriber{index: i}
			g.subs[i].closed.Store(true)
		}
	}
	g.mu.Unlock()
	return map[string]any{"held": held, "failed": failed, "errors": errs, "seconds": time.Since(started).Seconds(), "alive": g.alive()}
}

// send posts messages at c.Rate a second for c.Seconds, each with its send time in the text, then
// waits for the deliveries: until every connected subscriber has every message, or c.DrainMs after
// the last create was answered. What has not arrived by then is missing.
func (g *generator) send(c command) (map[string]any, error) {
	if len(c.Senders) == 0 || c.Rate <= 0 {
		return nil, errors.New("send: a sender and a rate are needed")
	}
	total := int(c.Rate*c.Seconds + 0.5)
	ph := &phase{id: c.Phase, messages: total}
	g.mu.Lock()
	ph.bits = make([][]uint64, len(g.subs))
	for i := range ph.bits {
		ph.bits[i] = make([]uint64, (total+63)/64)
	}
	g.mu.Unlock()
	aliveAtStart := g.alive()
	droppedAtStart := g.dropped.Load()
	g.phase.Store(ph)
	defer g.phase.Store(nil)

	cpu0, t0 := cpuSeconds(), time.Now()
	var created atomic.Int64
	var createLatency histogram
	var mu sync.Mutex
	errs := errorKinds{}
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / c.Rate)
	for seq := range total {
		// Paced against the start, not the previous send: a slow create does not delay the next.
		time.Sleep(time.Until(t0.Add(time.Duration(seq) * interval)))
		wg.Go(func() {
			s := c.Senders[seq%len(c.Senders)]
			sentAt := time.Now()
			err := g.api.createMessage(s, c.Room, messageText(c.Phase, seq, sentAt))
			createLatency.add(seq, time.Since(sentAt).Microseconds())
			if err != nil {
				mu.Lock()
				errs.add(err)
				mu.Unlock()
				return
			}
			created.Add(1)
		})
	}
	wg.Wait()
	sendSeconds := time.Since(t0).Seconds()
	drain := time.Duration(max(c.DrainMs, 1000)) * time.Millisecond
	deadline := time.Now().Add(drain)
	expected := created.Load() * int64(aliveAtStart)
	for time.Now().Before(deadline) && ph.received.Load() < expected {
		time.Sleep(20 * time.Millisecond)
	}
	wall := time.Since(t0).Seconds()
	cpu := cpuSeconds() - cpu0
	last := ph.lastArrival.Load()
	return map[string]any{
		"phase":               c.Phase,
		"rate":                c.Rate,
		"asked":               total,
		"created":             created.Load(),
		"createErrors":        errs,
		"subscribers":         aliveAtStart,
		"expected":            expected,
		"received":            ph.received.Load(),
		"missing":             expected - ph.received.Load(),
		"duplicates":          ph.duplicates.Load(),
		"foreign":             ph.foreign.Load(),
		"droppedDuring":       g.dropped.Load() - droppedAtStart,
		"latency":             ph.latency.summary(),
		"createLatency":       createLatency.summary(),
		"sendSeconds":         sendSeconds,
		"seconds":             wall,
		"lastArrivalSeconds":  max(0, float64(last-t0.UnixMicro())/1e6),
		"generatorCpuSeconds": cpu,
		"generatorCpuPercent": 100 * cpu / wall,
	}, nil
}

// creates measures how many messages a second the server takes through the API rules: every sender
// posts one message after another (one in flight each) for c.Seconds.
func (g *generator) creates(c command) (map[string]any, error) {
	if len(c.Senders) == 0 {
		return nil, errors.New("creates: senders are needed")
	}
	cpu0, t0 := cpuSeconds(), time.Now()
	end := t0.Add(time.Duration(c.Seconds * float64(time.Second)))
	var created atomic.Int64
	var latency histogram
	var mu sync.Mutex
	errs := errorKinds{}
	var wg sync.WaitGroup
	for i, s := range c.Senders {
		wg.Go(func() {
			for n := 0; time.Now().Before(end); n++ {
				at := time.Now()
				err := g.api.createMessage(s, c.Room, "creates "+c.Phase)
				latency.add(i, time.Since(at).Microseconds())
				if err != nil {
					mu.Lock()
					errs.add(err)
					mu.Unlock()
					time.Sleep(10 * time.Millisecond)
					continue
				}
				created.Add(1)
			}
		})
	}
	wg.Wait()
	wall := time.Since(t0).Seconds()
	return map[string]any{
		"clients":             len(c.Senders),
		"created":             created.Load(),
		"perSecond":           float64(created.Load()) / wall,
		"errors":              errs,
		"latency":             latency.summary(),
		"seconds":             wall,
		"generatorCpuPercent": 100 * (cpuSeconds() - cpu0) / wall,
	}, nil
}
