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
