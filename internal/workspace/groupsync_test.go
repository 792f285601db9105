package workspace

import (
	"slices"
	"testing"
)

// groups of the test workspace: name -> can edit apps.
var testGroups = map[string]bool{"Sales": false, "Engineering": true, "Support": false}

const (
	guidAdmins = "0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a87"
	guidSales  = "5e8f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
)

func TestSyncGroups(t *testing.T) {
	cases := []struct {
		name string
		in   SyncInput
		want SyncResult
	}{
		{
			name: "role names match case-insensitively (direct)",
			in:   SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"ADMIN"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleAdmin, RoleChanged: true, Groups: []string{}, Matched: true},
		},
		{
			name: "custom group names match exactly (direct): sales is not Sales",
			in:   SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, Groups: []string{}, UnknownTargets: []string{"sales"}},
		},
		{
			name: "direct match of a custom group",
			in:   SyncInput{CurrentRole: RoleBuilder, IdPGroups: []string{"Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, RoleChanged: true, Groups: []string{"Sales"}, Added: []string{"Sales"}, Matched: true},
		},
		{
			name: "with a mapping, unmapped IdP groups are ignored even when they name a workspace group",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"Sales", "admin", "idp-eng"},
				Mapping: map[string]string{"idp-eng": "Engineering"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleBuilder, RoleChanged: true, Groups: []string{"Engineering"}, Added: []string{"Engineering"},
				Unmapped: []string{"Sales", "admin"}, Matched: true},
		},
		{
			name: "mapped target role names are case-insensitive",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"it-admins"},
				Mapping: map[string]string{"it-admins": "Admin"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleAdmin, RoleChanged: true, Groups: []string{}, Matched: true},
		},
		{
			name: "nonexistent targets are ignored and reported, never created",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"a", "b"},
				Mapping: map[string]string{"a": "Marketing", "b": "Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, Groups: []string{"Sales"}, Added: []string{"Sales"},
				UnknownTargets: []string{"Marketing"}, Matched: true},
		},
		{
			name: "highest role wins",
			in:   SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"end-user", "Builder", "admin"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleAdmin, RoleChanged: true, Groups: []string{}, Matched: true},
		},
		{
			name: "highest role wins over an edit-rights group",
			in:   SyncInput{CurrentRole: RoleAdmin, IdPGroups: []string{"Engineering", "end-user"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, RoleChanged: true, Groups: []string{"Engineering"}, Added: []string{"Engineering"}, Matched: true},
		},
		{
			name: "builder from an edit-rights group when no role matched",
			in:   SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"Engineering", "Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleBuilder, RoleChanged: true, Groups: []string{"Engineering", "Sales"}, Added: []string{"Engineering", "Sales"}, Matched: true},
		},
		{
			name: "end-user when only groups without edit rights matched",
			in:   SyncInput{CurrentRole: RoleBuilder, IdPGroups: []string{"Support"}, CurrentGroups: []string{"Support"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, RoleChanged: true, Groups: []string{"Support"}, Matched: true},
		},
		{
			name: "role unchanged when nothing matched; custom groups replaced by none",
			in: SyncInput{CurrentRole: RoleBuilder, CurrentGroups: []string{"Sales", "Engineering"},
				IdPGroups: []string{"unrelated"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleBuilder, Groups: []string{}, Removed: []string{"Engineering", "Sales"}, UnknownTargets: []string{"unrelated"}},
		},
		{
			name: "no IdP groups at all: role unchanged, groups emptied",
			in:   SyncInput{CurrentRole: RoleAdmin, CurrentGroups: []string{"Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleAdmin, Groups: []string{}, Removed: []string{"Sales"}},
		},
		{
			name: "custom groups fully replaced",
			in: SyncInput{CurrentRole: RoleEndUser, CurrentGroups: []string{"Sales", "Support"},
				IdPGroups: []string{"Support", "Engineering"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleBuilder, RoleChanged: true, Groups: []string{"Engineering", "Support"},
				Added: []string{"Engineering"}, Removed: []string{"Sales"}, Matched: true},
		},
		{
			name: "last active admin keeps the role; demotion skipped and recorded",
			in:   SyncInput{CurrentRole: RoleAdmin, IdPGroups: []string{"Sales"}, WorkspaceGroups: testGroups, LastActiveAdmin: true},
			want: SyncResult{Role: RoleAdmin, Groups: []string{"Sales"}, Added: []string{"Sales"},
				DemotionSkipped: true, SkippedRole: RoleEndUser, Matched: true},
		},
		{
			name: "an admin who is not the last one is demoted",
			in:   SyncInput{CurrentRole: RoleAdmin, IdPGroups: []string{"Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, RoleChanged: true, Groups: []string{"Sales"}, Added: []string{"Sales"}, Matched: true},
		},
		{
			name: "last admin flag does not stop a promotion or keeping admin",
			in:   SyncInput{CurrentRole: RoleAdmin, IdPGroups: []string{"admin"}, WorkspaceGroups: testGroups, LastActiveAdmin: true},
			want: SyncResult{Role: RoleAdmin, Groups: []string{}, Matched: true},
		},
		{
			name: "one IdP group mapped to a role and another to a custom group (Entra GUIDs)",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{guidAdmins, guidSales},
				Mapping: map[string]string{guidAdmins: "admin", guidSales: "Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleAdmin, RoleChanged: true, Groups: []string{"Sales"}, Added: []string{"Sales"}, Matched: true},
		},
		{
			name: "GUIDs compare case-insensitively",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{guidAdmins},
				Mapping: map[string]string{upper(guidAdmins): "admin"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleAdmin, RoleChanged: true, Groups: []string{}, Matched: true},
		},
		{
			name: "non-GUID mapping keys compare exactly",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"IT-Admins"},
				Mapping: map[string]string{"it-admins": "admin"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, Groups: []string{}, Unmapped: []string{"IT-Admins"}},
		},
		{
			name: "duplicate and whitespace values are cleaned",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{" Sales ", "Sales", "", "   ", "\tSales\n"},
				WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, Groups: []string{"Sales"}, Added: []string{"Sales"}, Matched: true},
		},
		{
			name: "mapping values are trimmed and two IdP groups may point to one target",
			in: SyncInput{CurrentRole: RoleEndUser, IdPGroups: []string{"a", "b"},
				Mapping: map[string]string{"a": " Sales ", "b": "Sales"}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleEndUser, Groups: []string{"Sales"}, Added: []string{"Sales"}, Matched: true},
		},
		{
			name: "a mapping row with an empty target counts as unmapped",
			in: SyncInput{CurrentRole: RoleBuilder, IdPGroups: []string{"a"},
				Mapping: map[string]string{"a": "  "}, WorkspaceGroups: testGroups},
			want: SyncResult{Role: RoleBuilder, Groups: []string{}, Unmapped: []string{"a"}},
		},
		{
			name: "new member (no role yet) with nothing matched keeps the empty role for the caller to default",
			in:   SyncInput{IdPGroups: nil, WorkspaceGroups: testGroups},
			want: SyncResult{Role: "", Groups: []string{}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := SyncGroups(c.in)
			assertSync(t, got, c.want)
		})
	}
}

// assertSync compares results field by field (nil and empty lists are
// equal, except Groups which must never be nil).
func assertSync(t *testing.T, got, want SyncResult) {
	t.Helper()
	if got.Role != want.Role || got.RoleChanged != want.RoleChanged || got.Matched != want.Matched ||
		got.DemotionSkipped != want.DemotionSkipped || got.SkippedRole != want.SkippedRole {
		t.Errorf("role/flags: got role=%q changed=%v matched=%v skipped=%v(%q), want role=%q changed=%v matched=%v skipped=%v(%q)",
			got.Role, got.RoleChanged, got.Matched, got.DemotionSkipped, got.SkippedRole,
			want.Role, want.RoleChanged, want.Matched, want.DemotionSkipped, want.SkippedRole)
	}
	if got.Groups == nil {
		t.Errorf("Groups is nil; want a (possibly empty) list")
	}
	for _, f := range []struct {
		name      string
		got, want []string
	}{
		{"Groups", got.Groups, want.Groups}, {"Added", got.Added, want.Added}, {"Removed", got.Removed, want.Removed},
		{"UnknownTargets", got.UnknownTargets, want.UnknownTargets}, {"Unmapped", got.Unmapped, want.Unmapped},
	} {
		if len(f.got) != len(f.want) || (len(f.got) > 0 && !slices.Equal(f.got, f.want)) {
			t.Errorf("%s: got %q, want %q", f.name, f.got, f.want)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestIsGUID(t *testing.T) {
	for s, want := range map[string]bool{
		guidAdmins: true, upper(guidAdmins): true,
		"0b6c2f4e7d1a4c399a8e3f2d1c0b9a87":       false, // no dashes
		"0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a8g":   false, // not hex
		"0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a8":    false, // short
		"0b6c2f4e-7d1a-4c39-9a8e_3f2d1c0b9a87":   false, // wrong separator
		"{0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a87}": false,
	} {
		if got := isGUID(s); got != want {
			t.Errorf("isGUID(%q) = %v, want %v", s, got, want)
		}
	}
}
