package web

import (
	"reflect"
	"testing"
)

func TestFlattenDetails(t *testing.T) {
	got := flattenDetails([]byte(`{"roleBefore":"end-user","roleAfter":"admin","groupsAdded":["Sales","Ops"],"groupsRemoved":[],"n":2,"x":{"a":1}}`))
	want := []detailPair{
		{"groupsAdded", "Sales, Ops"}, {"groupsRemoved", "(none)"}, {"n", "2"},
		{"roleAfter", "admin"}, {"roleBefore", "end-user"}, {"x", `{"a":1}`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if got := flattenDetails([]byte(`not json`)); len(got) != 1 || got[0].Value != "not json" {
		t.Errorf("raw details hidden: %+v", got)
	}
	if got := flattenDetails(nil); got != nil {
		t.Errorf("empty: %+v", got)
	}
}
