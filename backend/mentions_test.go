package main

import (
	"reflect"
	"testing"
)

func TestMentionedNames(t *testing.T) {
	cases := []struct {
		text string
		want [][]string
	}{
		{"hi @Alice and @bob", [][]string{{"alice"}, {"bob"}}},
		{"@alice, @alice again", [][]string{{"alice"}}},
		{"thanks @bob.", [][]string{{"bob.", "bob"}}},
		{"ask @bob.smith-", [][]string{{"bob.smith-", "bob.smith"}}},
		{"mail bob@alice.com", [][]string{}},
		{"@@alice", [][]string{}},
		{"(@alice)", [][]string{{"alice"}}},
		{"@alicé", [][]string{}},
		{"éa@alice", [][]string{}},
		{"`@alice` @bob", [][]string{{"bob"}}},
		{"``a ` @alice`` @bob", [][]string{{"bob"}}},
		{"```\n@alice\n```\n@bob", [][]string{{"bob"}}},
		{"x\n```js\n@alice and never closed", [][]string{}},
		{"an unclosed ` tick @alice", [][]string{{"alice"}}},
		{"inline ``` in a line @alice", [][]string{{"alice"}}},
		{"\\`@alice\\`", [][]string{{"alice"}}},
		{"`code`@alice", [][]string{{"alice"}}},
		{"@", [][]string{}},
	}
	for _, c := range cases {
		if got := mentionedNames(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("mentionedNames(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
