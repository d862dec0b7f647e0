package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// subscriber is one signed-in person's realtime connection: a plain TCP connection carrying
// `GET /api/realtime` (PocketBase's server-sent events), read by one goroutine. No HTTP client pool
// and no SDK: at 10,000 connections what each costs in goroutines, buffers and parsing is the
// generator's share of the CPU, which must stay small next to the server's.
type subscriber struct {
	index    int
	clientID string
	conn     net.Conn
	body     *bufio.Reader
	closed   atomic.Bool
}

// openSubscriber connects and reads up to PB_CONNECT, whose data carries the client id the
// subscription request names.
func openSubscriber(base *url.URL, index int, timeout time.Duration) (*subscriber, error) {
	conn, err := net.DialTimeout("tcp", base.Host, timeout)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	req := "GET /api/realtime HTTP/1.1\r\nHost: " + base.Host + "\r\nAccept: text/event-stream\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	raw := bufio.NewReaderSize(conn, 4096)
	resp, err := http.ReadResponse(raw, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, fmt.Errorf("realtime connect: HTTP %d", resp.StatusCode)
	}
	s := &subscriber{index: index, conn: conn, body: bufio.NewReaderSize(resp.Body, 4096)}
	name, data, err := s.next()
	if err != nil {
		conn.Close()
		return nil, err
	}
	if name != "PB_CONNECT" {
		conn.Close()
		return nil, fmt.Errorf("first event %q, not PB_CONNECT", name)
	}
	var connect struct {
		ClientID string `json:"clientId"`
	}
	if err := json.Unmarshal(data, &connect); err != nil || connect.ClientID == "" {
		conn.Close()
		return nil, errors.New("PB_CONNECT without a client id")
	}
	s.clientID = connect.ClientID
	_ = conn.SetDeadline(time.Time{})
	return s, nil
}

// next reads one event: its name and its data (the data slice is valid until the next call).
func (s *subscriber) next() (string, []byte, error) {
	var name string
	var data []byte
	for {
		line, err := s.body.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// An event longer than the buffer (a big room record): keep reading the line whole.
			head := append([]byte{}, line...) // ReadSlice's bytes are overwritten by the next read
			rest, err2 := s.body.ReadBytes('\n')
			line, err = append(head, rest...), err2
		}
		if err != nil {
			return "", nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			if name != "" || data != nil {
				return name, data, nil
			}
		case bytes.HasPrefix(line, []byte("event:")):
			name = string(bytes.TrimSpace(line[6:]))
		case bytes.HasPrefix(line, []byte("data:")):
			data = append(data[:0], bytes.TrimSpace(line[5:])...)
		}
	}
}

func (s *subscriber) close() {
	if s.closed.CompareAndSwap(false, true) {
		s.conn.Close()
	}
}

// marker is what the sender writes as a message's text: the phase, the message's number and the time
// it was sent, so every receiver computes its own delivery latency.
const marker = "cap "

func messageText(phase string, seq int, sentAt time.Time) string {
	return marker + phase + " " + strconv.Itoa(seq) + " " + strconv.FormatInt(sentAt.UnixMicro(), 10)
}

var textField = []byte(`"text":"` + marker)

// parseDelivery finds the marker text in an event's data without decoding the whole record.
func parseDelivery(data []byte) (phase string, seq int, sentAtMicro int64, ok bool) {
	at := bytes.Index(data, textField)
	if at < 0 {
		return "", 0, 0, false
	}
	rest := data[at+len(textField):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return "", 0, 0, false
	}
	parts := bytes.Fields(rest[:end])
	if len(parts) != 3 {
		return "", 0, 0, false
	}
	seq, err1 := strconv.Atoi(string(parts[1]))
	sentAtMicro, err2 := strconv.ParseInt(string(parts[2]), 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return string(parts[0]), seq, sentAtMicro, true
}
