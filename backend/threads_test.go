package main

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestThreadFollowers(t *testing.T) {
	cases := []struct {
		name     string
		author   string
		mentions []string
		involved []string
		want     []string
	}{
		{"the author alone", "a", nil, nil, []string{"a"}},
		{"author, then the root's mentions, then the thread", "a", []string{"m"}, []string{"b", "c"}, []string{"a", "m", "b", "c"}},
		{"each person once, where they first appear", "a", []string{"b", "a"}, []string{"a", "c", "b", "c"}, []string{"a", "b", "c"}},
		{"no empty ids", "a", []string{""}, []string{"", "b"}, []string{"a", "b"}},
	}
	for _, c := range cases {
		if got := threadFollowers(c.author, c.mentions, c.involved); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: threadFollowers(%q, %q, %q) = %q, want %q", c.name, c.author, c.mentions, c.involved, got, c.want)
		}
	}
}

// The stored summary is the shared contract's shape (common.md, issue 15): clients read these names.
func TestThreadInfoJSON(t *testing.T) {
	encoded, err := json.Marshal(ThreadInfo{
		Replies: 2, LastReplyAt: "2026-12-02 01:00:00.000Z", Repliers: []string{"b"}, Followers: []string{"a", "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"replies":2,"lastReplyAt":"2026-12-02 01:00:00.000Z","repliers":["b"],"followers":["a","b"]}`
	if string(encoded) != want {
		t.Errorf("ThreadInfo encodes as %s, want %s", encoded, want)
	}
}
