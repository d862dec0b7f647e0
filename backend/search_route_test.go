package main

import "testing"

// A date bound compares as text with created: it must stay a four-digit year in UTC.
func TestSearchDateStaysInFourDigitYears(t *testing.T) {
	refused := []struct {
		field, value string
		offset       int
	}{
		{"after", "9999-12-31", 0},
		{"after", "9999-12-31", -300},
		{"before", "9999-12-31T23:59:59-05:00", 0},
		{"after", "9999-12-31T23:59:59.9999Z", 0},
		{"before", "0999-12-31", 0},
		{"before", "10000-01-01", 0},
	}
	for _, c := range refused {
		if _, bound, err := searchDate(c.field, c.value, "", c.offset); err == nil {
			t.Errorf("%s:%s (offset %d) accepted as %q", c.field, c.value, c.offset, bound)
		}
	}
	accepted := []struct {
		field, value string
		offset       int
		want         string
	}{
		{"before", "9999-12-31", 0, "9999-12-31 00:00:00.000Z"},
		{"after", "9999-12-30", 0, "9999-12-31 00:00:00.000Z"},
		{"before", "9999-12-31T23:59:59Z", 0, "9999-12-31 23:59:59.000Z"},
		{"after", "2026-12-01", 60, "2026-12-01 23:00:00.000Z"},
	}
	for _, c := range accepted {
		if _, bound, err := searchDate(c.field, c.value, "", c.offset); err != nil || bound != c.want {
			t.Errorf("%s:%s (offset %d) = %q, %v; want %q", c.field, c.value, c.offset, bound, err, c.want)
		}
	}
}
