package scim

import (
	"encoding/json"
	"reflect"
	"testing"
)

// doc decodes a JSON object for a test.
func doc(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := decodeJSON([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return normalizeDoc(m).(map[string]any)
}

func ops(t *testing.T, s string) []patchOp {
	t.Helper()
	p, err := decodePatch([]byte(`{"schemas":["` + SchemaPatchOp + `"],"Operations":` + s + `}`))
	if err != nil {
		t.Fatal(err)
	}
	return p.Operations
}

func TestApplyPatch(t *testing.T) {
	const base = `{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},
		"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`
	cases := []struct {
		name, ops, want string
	}{
		{"replace sub-attribute", `[{"op":"replace","path":"name.familyName","value":"Park"}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Park"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`},
		{"value filter with sub-attribute", `[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"kim.lee@corp.example"}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim.lee@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`},
		{"Entra: capitalised op, string boolean", `[{"op":"Replace","path":"active","value":"False"}]`,
			`{"userName":"kim@corp.example","active":false,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`},
		{"Entra: no path, map of attribute paths", `[{"op":"Replace","value":{"active":false,"name.givenName":"Kimberly","emails[type eq \"work\"].value":"k@corp.example"}}]`,
			`{"userName":"kim@corp.example","active":false,"name":{"givenName":"Kimberly","familyName":"Lee"},"emails":[{"type":"work","value":"k@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`},
		{"enterprise extension by path", `[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Sales"},
			{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"boss-id"}}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}],
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"boss-id"}}}`},
		{"enterprise extension without path", `[{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"42"}}}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}],
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"42"}}`},
		{"remove filtered element", `[{"op":"remove","path":"emails[type eq \"home\"]"}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true}]}`},
		{"add to a list appends, same value replaces", `[{"op":"add","path":"emails","value":[{"type":"other","value":"k2@corp.example"},{"type":"home","value":"KIM@home.example"}]}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"other","value":"k2@corp.example"},{"type":"home","value":"KIM@home.example"}]}`},
		{"replace a list", `[{"op":"replace","path":"emails","value":[{"type":"work","value":"new@corp.example"}]}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"new@corp.example"}]}`},
		{"filter matching nothing creates the element", `[{"op":"replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}],"phoneNumbers":[{"type":"mobile","value":"+1 555 0100"}]}`},
		{"remove a sub-attribute and a whole attribute", `[{"op":"remove","path":"name.givenName"},{"op":"remove","path":"emails"}]`,
			`{"userName":"kim@corp.example","active":true,"name":{"familyName":"Lee"}}`},
		{"attribute names are case-insensitive", `[{"op":"replace","path":"NAME.FAMILYNAME","value":"Park"},{"op":"replace","path":"UserName","value":"k@corp.example"}]`,
			`{"userName":"k@corp.example","active":true,"name":{"givenName":"Kim","familyName":"Park"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`},
		{"core schema URN prefix", `[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:displayName","value":"Kim Lee"}]`,
			`{"userName":"kim@corp.example","active":true,"displayName":"Kim Lee","name":{"givenName":"Kim","familyName":"Lee"},"emails":[{"type":"work","value":"kim@corp.example","primary":true},{"type":"home","value":"kim@home.example"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := doc(t, base)
			if err := applyPatch(d, SchemaUser, ops(t, c.ops)); err != nil {
				t.Fatal(err)
			}
			if want := doc(t, c.want); !reflect.DeepEqual(d, want) {
				got, _ := json.Marshal(d)
				exp, _ := json.Marshal(want)
				t.Fatalf("got  %s\nwant %s", got, exp)
			}
		})
	}
}

func TestApplyPatchRefusals(t *testing.T) {
	cases := []struct{ name, ops, scimType string }{
		{"remove without path", `[{"op":"remove"}]`, typeNoTarget},
		{"no path, not an object", `[{"op":"replace","value":"x"}]`, typeInvalidValue},
		{"read-only id", `[{"op":"replace","path":"id","value":"x"}]`, typeMutability},
		{"bad path", `[{"op":"replace","path":"emails[type eq","value":"x"}]`, typeInvalidPath},
		{"unknown extension", `[{"op":"add","path":"urn:example:ext:1.0:User:x","value":"x"}]`, typeInvalidPath},
		{"unsupported operator in value filter", `[{"op":"replace","path":"emails[value gt \"a\"].type","value":"x"}]`, typeInvalidFilter},
	}
	for _, c := range cases {
		d := doc(t, `{"userName":"a","emails":[{"value":"a@b.example","type":"work"}]}`)
		if err := applyPatch(d, SchemaUser, ops(t, c.ops)); err == nil || err.SCIMType != c.scimType {
			t.Errorf("%s: got %v, want %s", c.name, err, c.scimType)
		}
	}
	for _, body := range []string{
		`{"Operations":[{"op":"replace","path":"a","value":1}]}`,                        // no schema
		`{"schemas":["` + SchemaPatchOp + `"],"Operations":[]}`,                         // no operation
		`{"schemas":["` + SchemaPatchOp + `"],"Operations":[{"op":"move","path":"a"}]}`, // unknown op
		`[1,2]`,
	} {
		if _, err := decodePatch([]byte(body)); err == nil {
			t.Errorf("decodePatch(%s) accepted", body)
		}
	}
}

func TestUserInput(t *testing.T) {
	in, err := userInput(doc(t, `{"userName":"UPN@corp.example","active":"False","password":"hunter22",
		"emails":[{"type":"home","value":"h@home.example"},{"type":"work","value":"Kim@Corp.example"}],"name":{"givenName":"Kim","familyName":"Lee"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if in.Active || in.Email != "Kim@Corp.example" || in.DisplayName != "Kim Lee" || in.UserName != "UPN@corp.example" {
		t.Fatalf("got %+v", in)
	}
	if string(in.Resource) == "" || json.Valid(in.Resource) == false || containsKey(in.Resource, "password") || containsKey(in.Resource, "active") {
		t.Fatalf("stored resource %s keeps what it must not", in.Resource)
	}
	if _, err := userInput(doc(t, `{"emails":[]}`)); err == nil {
		t.Fatal("a user without userName was accepted")
	}
	if _, err := userInput(doc(t, `{"userName":"a","active":"maybe"}`)); err == nil {
		t.Fatal("active \"maybe\" was accepted")
	}
}

func containsKey(raw []byte, k string) bool {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	_, ok := m[k]
	return ok
}

func TestGroupChange(t *testing.T) {
	ch, err := groupChange(ops(t, `[{"op":"Add","path":"members","value":[{"value":"a"},{"value":"b"}]},
		{"op":"Remove","path":"members[value eq \"b\" or value eq \"c\"]"},
		{"op":"Replace","value":{"id":"g1","displayName":"Sales"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	if ch.DisplayName == nil || *ch.DisplayName != "Sales" || ch.ReplaceMembers || !reflect.DeepEqual(ch.Add, []string{"a"}) ||
		!reflect.DeepEqual(ch.Remove, []string{"b", "c"}) {
		t.Fatalf("got %+v", ch)
	}
	ch, err = groupChange(ops(t, `[{"op":"replace","path":"members","value":[{"value":"a"}]},{"op":"add","path":"members","value":[{"value":"b"}]}]`))
	if err != nil || !ch.ReplaceMembers || !reflect.DeepEqual(ch.Members, []string{"a", "b"}) {
		t.Fatalf("replace then add: %+v %v", ch, err)
	}
	for _, bad := range []string{
		`[{"op":"remove","path":"displayName"}]`,
		`[{"op":"replace","path":"members[value eq \"a\"]","value":[]}]`,
		`[{"op":"remove","path":"members[display eq \"a\"]"}]`,
		`[{"op":"add","path":"owners","value":"x"}]`,
		`[{"op":"add","path":"members","value":["a"]}]`,
	} {
		if _, err := groupChange(ops(t, bad)); err == nil {
			t.Errorf("groupChange(%s) accepted", bad)
		}
	}
}
