package forwardauth

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// maxRuleGroups bounds the group= values of one check (the query comes
// from the proxy's configuration, but is still input).
const maxRuleGroups = 32

// Rule is a check's access rule, from its query: group= (repeatable; the
// member must be in at least one) and role= (once; the member's role must
// be at least this one: end-user < builder < admin). Both, when given,
// must hold. An empty Rule admits every active member.
type Rule struct {
	Groups  []string
	MinRole string
}

// ParseRule reads group= and role= from q. Unknown roles, a repeated role,
// empty values and too many groups are errors: a rule the proxy's operator
// mistyped must fail loudly, never admit everyone.
func ParseRule(q url.Values) (Rule, error) {
	var r Rule
	groups := q["group"]
	if len(groups) > maxRuleGroups {
		return r, fmt.Errorf("forwardauth: at most %d group= values", maxRuleGroups)
	}
	for _, g := range groups {
		if g == "" {
			return r, fmt.Errorf("forwardauth: empty group= value")
		}
		r.Groups = append(r.Groups, g)
	}
	switch roles := q["role"]; len(roles) {
	case 0:
	case 1:
		role, ok := workspace.ParseRole(roles[0])
		if !ok {
			return r, fmt.Errorf("forwardauth: role=%q is not one of admin, builder, end-user", roles[0])
		}
		r.MinRole = role
	default:
		return r, fmt.Errorf("forwardauth: role= given more than once")
	}
	return r, nil
}

// Allows reports whether a member with role and groups passes r. Group
// names compare exactly, as everywhere else in Gatehouse.
func (r Rule) Allows(role string, groups []string) bool {
	if r.MinRole != "" && !workspace.RoleAtLeast(role, r.MinRole) {
		return false
	}
	if len(r.Groups) == 0 {
		return true
	}
	for _, g := range r.Groups {
		if slices.Contains(groups, g) {
			return true
		}
	}
	return false
}
