package workspace

import (
	"strings"
)

// The three roles of a membership (docs/concepts.md). They are also reserved names:
// no custom group may be called like a role, in any case.
const (
	RoleAdmin   = "admin"
	RoleBuilder = "builder"
	RoleEndUser = "end-user"
)

// roleRank orders roles for "highest role wins" (docs/access-rules.md, group sync rule 4).
var roleRank = map[string]int{RoleEndUser: 1, RoleBuilder: 2, RoleAdmin: 3}

// ParseRole returns the canonical role for s, compared case-insensitively
// and ignoring surrounding spaces; ok is false when s names no role.
func ParseRole(s string) (string, bool) {
	if foldsOntoOtherLetter(s) {
		// "ADMİN" (U+0130) lowercases to "admin" but is no case of it.
		return "", false
	}
	r := strings.ToLower(strings.TrimSpace(s))
	if _, ok := roleRank[r]; ok {
		return r, true
	}
	return "", false
}

// higherRole returns the higher of two roles ("" counts as no role).
func higherRole(a, b string) string {
	if roleRank[b] > roleRank[a] {
		return b
	}
	return a
}
