package main

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

func TestEventsAndDeliveries(t *testing.T) {
	sent := time.UnixMicro(1_700_000_000_123_456)
	text := messageText("p3", 17, sent)
	stream := "id:abc\nevent:PB_CONNECT\ndata:{\"clientId\":\"abc\"}\n\n" +
		"id:1\nevent:palaver/messages\ndata:{\"action\":\"create\",\"record\":{\"room\":\"r\",\"text\":\"" + text + "\",\"user\":\"u\"}}\n\n"
	s := &subscriber{body: bufio.NewReaderSize(strings.NewReader(stream), 16)}
	name, data, err := s.next()
	if err != nil || name != "PB_CONNECT" || string(data) != `{"clientId":"abc"}` {
		t.Fatalf("first event %q %q %v", name, data, err)
	}
	name, data, err = s.next()
	if err != nil || name != "palaver/messages" {
		t.Fatalf("second event %q %v", name, err)
	}
	phase, seq, at, ok := parseDelivery(data)
	if !ok || phase != "p3" || seq != 17 || at != sent.UnixMicro() {
		t.Fatalf("parsed %q %d %d %v", phase, seq, at, ok)
	}
	if _, _, _, ok := parseDelivery([]byte(`{"record":{"text":"hello"}}`)); ok {
		t.Fatal("a message without the marker was taken for one")
	}
}
