package workspace

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzSyncGroups checks the group sync invariants (docs/access-rules.md) on arbitrary inputs: the new
// custom groups exist and are what matched, the role is a role (or the
// unchanged current one), the last active admin is never demoted, and the
// reported changes add up.
func FuzzSyncGroups(f *testing.F) {
	f.Add("admin,Sales", "", "builder", "Sales", false)
	f.Add("x,y", "x=Admin;y=Engineering", "admin", "", true)
	f.Add(" Sales , sales ,,", "Sales=end-user", "end-user", "Support,Sales", false)
	f.Fuzz(func(t *testing.T, idp, mapping, role, current string, last bool) {
		in := SyncInput{CurrentRole: role, IdPGroups: strings.Split(idp, ","), WorkspaceGroups: testGroups, LastActiveAdmin: last}
		for _, c := range strings.Split(current, ",") {
			if _, ok := testGroups[c]; ok {
				in.CurrentGroups = appendUnique(in.CurrentGroups, c)
			}
		}
		if mapping != "" {
			in.Mapping = map[string]string{}
			for _, kv := range strings.Split(mapping, ";") {
				k, v, _ := strings.Cut(kv, "=")
				in.Mapping[k] = v
			}
		}
		res := SyncGroups(in)
		for _, g := range res.Groups {
			if _, ok := testGroups[g]; !ok {
				t.Fatalf("group %q does not exist", g)
			}
		}
		if _, ok := ParseRole(res.Role); !ok && res.Role != role {
			t.Fatalf("role %q is neither a role nor the current one %q", res.Role, role)
		}
		if !res.Matched && res.Role != role {
			t.Fatalf("nothing matched but the role changed %q -> %q", role, res.Role)
		}
		if last && role == RoleAdmin && res.Role != RoleAdmin {
			t.Fatal("last active admin demoted")
		}
		if res.RoleChanged != (res.Role != role) {
			t.Fatal("RoleChanged disagrees with the roles")
		}
		after := slices.Clone(in.CurrentGroups)
		after = slices.DeleteFunc(after, func(g string) bool { return slices.Contains(res.Removed, g) })
		after = append(after, res.Added...)
		slices.Sort(after)
		if !slices.Equal(after, res.Groups) {
			t.Fatalf("current %v - removed %v + added %v != groups %v", in.CurrentGroups, res.Removed, res.Added, res.Groups)
		}
	})
}

func BenchmarkSyncGroups(b *testing.B) {
	groups := map[string]bool{}
	mapping := map[string]string{}
	var idp []string
	for i := range 200 {
		name := "group-" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
		groups[name] = i%3 == 0
		guid := "0b6c2f4e-7d1a-4c39-9a8e-" + strings.Repeat("0", 9) + string(rune('a'+i%6)) + string(rune('a'+i/6%6)) + string(rune('a'+i/36%6))
		mapping[guid] = name
		idp = append(idp, guid)
	}
	in := SyncInput{CurrentRole: RoleEndUser, IdPGroups: idp, Mapping: mapping, WorkspaceGroups: groups}
	// Every IdP value maps to an existing group, a third of which can edit
	// apps: the member ends up a builder in every workspace group. A
	// benchmark of a decision that went wrong measures nothing.
	want := SyncGroups(in)
	if !want.Matched || want.Role != RoleBuilder || len(want.Groups) != len(groups) || len(want.Added) != len(groups) {
		b.Fatalf("unexpected sync result: role %q, %d groups (want %d), matched %v", want.Role, len(want.Groups), len(groups), want.Matched)
	}
	var got SyncResult
	b.ReportAllocs()
	for b.Loop() {
		got = SyncGroups(in)
	}
	if !reflect.DeepEqual(got, want) {
		b.Fatalf("SyncGroups is not deterministic: %+v, then %+v", want, got)
	}
}
