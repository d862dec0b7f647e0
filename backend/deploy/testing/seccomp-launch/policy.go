package main

// The system call policy of a systemd unit, computed the way systemd computes it, so the rehearsal can
// apply the unit's own filter without systemd. Pure: the groups come in as text from
// `systemd-analyze syscall-filter`, which is systemd's own list for the systemd that will run the unit.

import (
	"bufio"
	"fmt"
	"sort"
	"strings"
)

// Rule is one SystemCallFilter= line: a list of names and @groups, allowed, or denied when Invert.
type Rule struct {
	Invert bool
	Items  []string
}

// Unit is what a unit file says about system calls.
type Unit struct {
	Rules []Rule
	// Errno is the SystemCallErrorNumber= name (EPERM); empty means systemd kills the process instead.
	Errno string
}

// ParseUnit reads the SystemCallFilter= and SystemCallErrorNumber= lines of a unit file.
func ParseUnit(text string) (Unit, error) {
	var unit Unit
	scanner := bufio.NewScanner(strings.NewReader(text))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		key, value, found := strings.Cut(line, "=")
		if !found || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		switch key {
		case "SystemCallFilter":
			value = strings.TrimSpace(value)
			if value == "" {
				// An empty assignment resets the list, as in systemd.
				unit.Rules = nil
				continue
			}
			rule := Rule{}
			if strings.HasPrefix(value, "~") {
				rule.Invert = true
				value = value[1:]
			}
			for _, item := range strings.Fields(value) {
				// name:errno overrides the error for one call; this policy has one error for all.
				if strings.Contains(item, ":") {
					return unit, fmt.Errorf("SystemCallFilter item %q: per-call errno is not supported by this launcher", item)
				}
				rule.Items = append(rule.Items, item)
			}
			unit.Rules = append(unit.Rules, rule)
		case "SystemCallErrorNumber":
			unit.Errno = strings.TrimSpace(value)
		}
	}
	if len(unit.Rules) == 0 {
		return unit, fmt.Errorf("the unit has no SystemCallFilter= line")
	}
	if unit.Rules[0].Invert {
		// A deny list first means "everything but": not what this launcher's allow-list filter expresses.
		return unit, fmt.Errorf("the unit's first SystemCallFilter= is a deny list; this launcher applies allow lists")
	}
	return unit, scanner.Err()
}

// ParseGroups reads `systemd-analyze syscall-filter` output: a line "@group" starts a group, indented
// lines are its calls and nested groups, comments and blank lines are skipped.
func ParseGroups(text string) map[string][]string {
	groups := map[string][]string{}
	current := ""
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		indented := len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t')
		switch {
		case line == "":
		case !indented && strings.HasPrefix(line, "@"):
			current = line
			groups[current] = []string{}
		case !indented:
			current = "" // a top-level comment ends the group before it
		case strings.HasPrefix(line, "#") || current == "":
		default:
			groups[current] = append(groups[current], line)
		}
	}
	return groups
}

// Allowed is the set of calls the unit allows. As systemd does for an allow list: the first line's list
// starts from @default (the calls every process needs), each allow line adds, each ~ line removes.
func Allowed(unit Unit, groups map[string][]string) (map[string]bool, error) {
	allowed := map[string]bool{}
	var apply func(item string, allow bool, seen map[string]bool) error
	apply = func(item string, allow bool, seen map[string]bool) error {
		if !strings.HasPrefix(item, "@") {
			if allow {
				allowed[item] = true
			} else {
				delete(allowed, item)
			}
			return nil
		}
		members, ok := groups[item]
		if !ok {
			return fmt.Errorf("systemd-analyze does not know the group %s", item)
		}
		if seen[item] {
			return nil
		}
		seen[item] = true
		for _, member := range members {
			if err := apply(member, allow, seen); err != nil {
				return err
			}
		}
		return nil
	}
	if err := apply("@default", true, map[string]bool{}); err != nil {
		return nil, err
	}
	for _, rule := range unit.Rules {
		for _, item := range rule.Items {
			if err := apply(item, !rule.Invert, map[string]bool{}); err != nil {
				return nil, err
			}
		}
	}
	return allowed, nil
}

// CheckErrno accepts the unit's SystemCallErrorNumber= if this launcher can apply it: the filter library
// refuses with EPERM only, which is what the unit says.
func CheckErrno(name string) error {
	switch name {
	case "EPERM":
		return nil
	case "":
		return fmt.Errorf("the unit has no SystemCallErrorNumber=: systemd would kill the service on a refused call, which this launcher does not rehearse")
	default:
		return fmt.Errorf("SystemCallErrorNumber=%s: this launcher refuses with EPERM only", name)
	}
}

// Sorted lists a set's names in order.
func Sorted(set map[string]bool) []string {
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
