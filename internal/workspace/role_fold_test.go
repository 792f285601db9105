package workspace

import "testing"

// Role names match case-insensitively (docs/access-rules.md, group sync rule 3), but "ADMİN" (U+0130)
// or "bu\u0130lder" is no case of "admin"/"builder": Unicode lowercasing
// folds U+0130 onto 'i'. An IdP group a user may name freely must not
// grant a role through such a look-alike.
func TestSyncGroupsLookalikeRoleNameGrantsNothing(t *testing.T) {
	for _, name := range []string{"adm\u0130n", "ADM\u0130N", "bu\u0130lder"} {
		if r, ok := ParseRole(name); ok {
			t.Errorf("ParseRole(%q) = %q, want no role", name, r)
		}
		res := SyncGroups(SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{name}})
		if res.Role != RoleEndUser {
			t.Errorf("IdP group %q: role %q, want end-user unchanged", name, res.Role)
		}
	}
	if r, ok := ParseRole(" Admin "); !ok || r != RoleAdmin {
		t.Errorf("ParseRole(\" Admin \") = %q, %v; want admin", r, ok)
	}
	if res := SyncGroups(SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"ADMIN"}}); res.Role != RoleAdmin {
		t.Errorf("IdP group ADMIN: role %q, want admin", res.Role)
	}
}
