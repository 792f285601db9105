package workspace

import (
	"slices"
	"strings"
)

// SyncInput is everything group sync (docs/access-rules.md) needs to decide a member's role and
// custom groups from the IdP's groups.
type SyncInput struct {
	CurrentRole   string
	CurrentGroups []string // custom group names the user is in now
	IdPGroups     []string // values of the group attribute
	// Mapping translates IdP values to workspace group names; nil (or
	// empty) = no mapping, IdP values match workspace groups directly.
	Mapping map[string]string
	// WorkspaceGroups are the workspace's custom groups: name -> can edit apps.
	WorkspaceGroups map[string]bool
	// LastActiveAdmin: the user is the only active admin of the workspace.
	LastActiveAdmin bool
}

// SyncResult is the outcome of SyncGroups.
type SyncResult struct {
	PreviousRole string   // the input's CurrentRole, for the audit log
	Role         string   // the new role
	RoleChanged  bool     // Role differs from the input's CurrentRole
	Groups       []string // the new custom groups, sorted
	Added        []string // custom groups gained, sorted
	Removed      []string // custom groups lost, sorted
	// UnknownTargets are workspace group names the IdP groups pointed to
	// that exist neither as a role nor as a custom group (ignored, never created).
	UnknownTargets []string
	// DemotionSkipped: the rules asked to demote the last active admin;
	// the role was kept (docs/access-rules.md, group sync rule 6). SkippedRole is the role the rules wanted.
	DemotionSkipped bool
	SkippedRole     string
	// Unmapped are IdP values ignored because a mapping exists and has no
	// row for them (docs/access-rules.md, group sync rule 2); they help the admin spot a missing row.
	Unmapped []string
	// Matched: at least one IdP group matched a role or a custom group.
	Matched bool
}

// SyncGroups applies the group sync rules of docs/access-rules.md to one member. It is pure: the service
// loads the inputs and writes the result and its audit event.
//
// Decisions beyond the bare rules (docs/access-rules.md):
//   - IdP values are trimmed; empty and duplicate values are dropped.
//   - Values and mapping keys shaped like a GUID (Entra group Object IDs)
//     compare case-insensitively, because a GUID's case carries no meaning;
//     every other value compares exactly.
//   - "Nothing matched at all" leaves the role unchanged (group sync rule 4) but still
//     replaces the custom groups by the (empty) matched set (rule 5): the IdP
//     is the source of truth for group membership while sync is on.
func SyncGroups(in SyncInput) SyncResult {
	targets, unmapped := syncTargets(in.IdPGroups, in.Mapping)
	res := SyncResult{PreviousRole: in.CurrentRole, Unmapped: unmapped}
	matchedRole, groups, editRights := "", map[string]bool{}, false
	for _, t := range targets {
		if role, ok := ParseRole(t); ok {
			matchedRole = higherRole(matchedRole, role)
			continue
		}
		canEdit, exists := in.WorkspaceGroups[t]
		if !exists {
			res.UnknownTargets = appendUnique(res.UnknownTargets, t)
			continue
		}
		groups[t] = true
		editRights = editRights || canEdit
	}
	res.Matched = matchedRole != "" || len(groups) > 0
	res.Role = decideRole(in.CurrentRole, matchedRole, editRights, res.Matched)
	if in.LastActiveAdmin && in.CurrentRole == RoleAdmin && res.Role != RoleAdmin {
		res.DemotionSkipped, res.SkippedRole, res.Role = true, res.Role, RoleAdmin
	}
	res.RoleChanged = res.Role != in.CurrentRole
	res.Groups = sortedKeys(groups)
	res.Added, res.Removed = diffSets(in.CurrentGroups, res.Groups)
	slices.Sort(res.UnknownTargets)
	return res
}

// decideRole is group sync rule 4 (docs/access-rules.md): the highest matched role; else builder when a
// matched custom group grants edit rights; else end-user; and the current
// role when nothing matched at all.
func decideRole(current, matchedRole string, editRights, matchedAny bool) string {
	switch {
	case !matchedAny:
		return current
	case matchedRole != "":
		return matchedRole
	case editRights:
		return RoleBuilder
	default:
		return RoleEndUser
	}
}

// syncTargets turns IdP values into workspace group names (docs/access-rules.md, group sync rule 2).
// With a mapping, unmapped values are ignored (and returned as unmapped);
// without one, each value is its own target.
func syncTargets(values []string, mapping map[string]string) (targets, unmapped []string) {
	values = cleanValues(values)
	if len(mapping) == 0 {
		return values, nil
	}
	lookup := make(map[string]string, len(mapping))
	for k, v := range mapping {
		lookup[GroupKey(k)] = strings.TrimSpace(v)
	}
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		t, ok := lookup[GroupKey(v)]
		if !ok || t == "" {
			unmapped = append(unmapped, v)
			continue
		}
		if !seen[t] {
			seen[t] = true
			targets = append(targets, t)
		}
	}
	return targets, unmapped
}

// cleanValues trims values and drops empty and duplicate ones, keeping
// the first occurrence's order.
func cleanValues(values []string) []string {
	out := make([]string, 0, len(values))
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" || seen[GroupKey(v)] {
			continue
		}
		seen[GroupKey(v)] = true
		out = append(out, v)
	}
	return out
}

// GroupKey is the comparison form of an IdP group value or mapping key:
// GUIDs lowercased, everything else trimmed and exact. Sync, the override
// of UI rows by the environment and the admin page all compare with it,
// so they cannot disagree about which row applies.
func GroupKey(v string) string {
	v = strings.TrimSpace(v)
	if isGUID(v) {
		return strings.ToLower(v)
	}
	return v
}

// isGUID reports whether s has the 8-4-4-4-12 hex shape of an Entra Object ID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// diffSets returns what is in after but not before (added) and the reverse
// (removed), both sorted.
func diffSets(before, after []string) (added, removed []string) {
	inBefore, inAfter := toSet(before), toSet(after)
	for a := range inAfter {
		if !inBefore[a] {
			added = append(added, a)
		}
	}
	for b := range inBefore {
		if !inAfter[b] {
			removed = append(removed, b)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

// toSet is the set of a list's members.
func toSet(list []string) map[string]bool {
	set := make(map[string]bool, len(list))
	for _, s := range list {
		set[s] = true
	}
	return set
}

// appendUnique appends s unless list holds it already.
func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// sortedKeys returns a set's members sorted (never nil, so "no groups"
// serializes as [] in the audit log).
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
