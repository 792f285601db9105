package workspace

import (
	"strings"
	"unicode/utf8"
)

// TargetWarning is a mapping row whose workspace group is neither a role
// nor a custom group of the workspace: group sync ignores it (it never
// creates groups), which an admin would otherwise only notice when a
// sign-in does not get the expected role.
type TargetWarning struct {
	IdPGroup, Target string
	// Suggestion is the closest existing name ("" when none is close).
	Suggestion string
}

// Message is the warning as the settings page, the API and the log say it.
func (w TargetWarning) Message() string {
	msg := "The IdP group \"" + w.IdPGroup + "\" is mapped to \"" + w.Target +
		"\", which is not a role (admin, builder, end-user) or a group of this workspace; group sync ignores this row."
	if w.Suggestion != "" {
		msg += " Did you mean \"" + w.Suggestion + "\"?"
	} else {
		msg += " Create the group first, or correct the name."
	}
	return msg
}

// UnknownTargets checks each (IdP group, target) pair against the
// workspace's custom group names, in the order given. Targets are matched
// as group sync matches them (roles in any case, custom groups exactly).
func UnknownTargets(pairs [][2]string, customGroups []string) []TargetWarning {
	var out []TargetWarning
	for _, p := range pairs {
		if knownTarget(p[1], customGroups) {
			continue
		}
		out = append(out, TargetWarning{IdPGroup: p[0], Target: p[1], Suggestion: closestName(p[1], customGroups)})
	}
	return out
}

// knownTarget reports whether group sync would apply target.
func knownTarget(target string, customGroups []string) bool {
	if _, ok := ParseRole(target); ok {
		return true
	}
	for _, g := range customGroups {
		if g == target {
			return true
		}
	}
	return false
}

// closestName is the role or custom group closest to target: one that
// differs only in case first, else the smallest edit distance (ignoring
// case) within a third of the name's length, at least 2. "" when none.
func closestName(target string, customGroups []string) string {
	names := append([]string{RoleAdmin, RoleBuilder, RoleEndUser}, customGroups...)
	lt := strings.ToLower(target)
	for _, n := range customGroups {
		if strings.ToLower(n) == lt {
			return n
		}
	}
	best, bestD := "", max(2, utf8.RuneCountInString(target)/3)+1
	for _, n := range names {
		if d := editDistance(lt, strings.ToLower(n), bestD); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b in runes, or limit
// when it is at least limit (names are short; the limit keeps a long
// pasted value cheap).
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 256 || len(rb) > 256 {
		return limit
	}
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
