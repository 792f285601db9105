package web

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestMergeMappingsEnvironmentWins(t *testing.T) {
	env := map[string]string{"b-guid": "admin", "a-guid": "Sales"}
	ui := []store.GroupMapping{{IdPGroup: "a-guid", WorkspaceGroup: "builder"}, {IdPGroup: "c", WorkspaceGroup: "end-user"}}
	rows := mergeMappings(env, ui)
	want := []mappingRow{
		{IdPGroup: "a-guid", WorkspaceGroup: "Sales", Source: sourceEnv},
		{IdPGroup: "b-guid", WorkspaceGroup: "admin", Source: sourceEnv},
		{IdPGroup: "a-guid", WorkspaceGroup: "builder", Source: sourceUI, Overridden: true},
		{IdPGroup: "c", WorkspaceGroup: "end-user", Source: sourceUI},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows:\n got %+v\nwant %+v", rows, want)
	}
	if to, src, _ := effectiveTarget(rows, "a-guid"); to != "Sales" || src != sourceEnv {
		t.Errorf("a-guid -> %q (%s), want Sales from environment", to, src)
	}
	if to, src, _ := effectiveTarget(rows, "c"); to != "end-user" || src != sourceUI {
		t.Errorf("c -> %q (%s)", to, src)
	}
	if _, _, ok := effectiveTarget(rows, "zzz"); ok {
		t.Error("unmapped value reported as mapped")
	}
}

func TestCleanMappingRows(t *testing.T) {
	got, err := cleanMappingRows([]mappingInput{{" g1 ", " admin "}, {"", ""}, {"g2", "Sales"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.GroupMapping{{IdPGroup: "g1", WorkspaceGroup: "admin"}, {IdPGroup: "g2", WorkspaceGroup: "Sales"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	for _, bad := range [][]mappingInput{{{"g1", ""}}, {{"", "admin"}}, {{"g1", "admin"}, {"g1 ", "builder"}}} {
		if _, err := cleanMappingRows(bad); err == nil || !strings.Contains(err.Error(), "Group mappings") {
			t.Errorf("%+v: want a Group mappings error, got %v", bad, err)
		}
	}
}

func TestSeenTarget(t *testing.T) {
	groups := []string{"admin", "builder", "end-user", "Support"}
	// No mappings at all: names match directly (roles in any case).
	for value, want := range map[string][2]string{
		"Admin": {"admin", sourceDirect}, "Support": {"Support", sourceDirect}, "support": {"", ""}, "7d1e": {"", ""},
	} {
		if to, src := seenTarget(nil, groups, value); to != want[0] || src != want[1] {
			t.Errorf("no mappings, %q -> %q (%s), want %v", value, to, src, want)
		}
	}
	// With mappings: only mapped values go anywhere; GUIDs in any case.
	rows := mergeMappings(map[string]string{"0f6b1c2e-1111-2222-3333-444455556666": "admin"}, nil)
	if to, src := seenTarget(rows, groups, "0F6B1C2E-1111-2222-3333-444455556666"); to != "admin" || src != sourceEnv {
		t.Errorf("upper-case GUID -> %q (%s)", to, src)
	}
	if to, _ := seenTarget(rows, groups, "Support"); to != "" {
		t.Errorf("unmapped value with mappings configured -> %q, want ignored", to)
	}
}

// The environment and the UI map the same Object ID in different case:
// the page marks the UI row overridden and shows the environment's
// target, as group sync applies it (before, both rows looked active).
func TestMergeMappingsGUIDInOtherCaseIsOverridden(t *testing.T) {
	const guid = "0f6b1c2e-1111-2222-3333-444455556666"
	rows := mergeMappings(map[string]string{guid: "admin"}, []store.GroupMapping{{IdPGroup: strings.ToUpper(guid), WorkspaceGroup: "end-user"}})
	if len(rows) != 2 || !rows[1].Overridden || activeRows(rows) != 1 {
		t.Fatalf("rows %+v", rows)
	}
	if to, src, _ := effectiveTarget(rows, strings.ToUpper(guid)); to != "admin" || src != sourceEnv {
		t.Errorf("%s -> %q (%s), want admin from the environment", guid, to, src)
	}
}

// The environment maps one Object ID twice in different case: sync
// refuses the variable (workspace.CheckEnvMappings), and the settings page
// shows the same error instead of two active rows.
func TestGroupMappingsSameGUIDTwiceBanner(t *testing.T) {
	const guid = "0f6b1c2e-1111-2222-3333-444455556666"
	h := newHarness(t)
	h.envMappings["acme"] = map[string]string{guid: "admin", strings.ToUpper(guid): "end-user"}
	page := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	for _, want := range []string{"TJ_SAML_GROUP_MAPPINGS__acme is invalid:", "are the same group", "Group sync is off until this is fixed."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
