package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestGroupMappingsValid(t *testing.T) {
	g := ParseGroupMappings([]string{
		"PATH=/usr/bin",
		`TJ_SAML_GROUP_MAPPINGS__acme={"0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a87": "admin", " Sales ": " Sales team "}`,
		`TJ_SAML_GROUP_MAPPINGS__acme_corp={"eng": "Engineering"}`,
		`TJ_SAML_GROUP_MAPPINGS__BIG_CO={"x": "builder"}`,
		`TJ_SAML_GROUP_MAPPINGS__empty={}`,
	})
	cases := []struct {
		slug string
		want map[string]string
	}{
		{"acme", map[string]string{"0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a87": "admin", "Sales": "Sales team"}},
		{"acme-corp", map[string]string{"eng": "Engineering"}}, // '-' becomes '_'
		{"big-co", map[string]string{"x": "builder"}},          // upper-case form accepted
		{"empty", map[string]string{}},
		{"unset", nil},
	}
	for _, c := range cases {
		got, err := g.Lookup(c.slug)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Lookup(%q) = %v, %v; want %v", c.slug, got, err, c.want)
		}
	}
	if p := g.Problems(); len(p) != 0 {
		t.Errorf("Problems() = %q, want none", p)
	}
	// Lookup hands out copies: a caller cannot change what others see.
	m, _ := g.Lookup("acme")
	m["Sales"] = "changed"
	if again, _ := g.Lookup("acme"); again["Sales"] != "Sales team" {
		t.Error("Lookup returned the shared map")
	}
}

func TestGroupMappingsInvalid(t *testing.T) {
	cases := []struct {
		name, value string
		wantParts   []string
	}{
		{"syntax error with position", `{"a": "admin",` + "\n" + ` "b" "x"}`, []string{"invalid JSON at line 2, column", "byte"}},
		{"truncated", `{"a": "admin"`, []string{"invalid JSON"}},
		{"not an object: array", `["admin"]`, []string{"must be a JSON object", "an array"}},
		{"not an object: string", `"admin"`, []string{"must be a JSON object", "a string"}},
		{"not an object: null", `null`, []string{"must be a JSON object", "null"}},
		{"number value", `{"a": 1}`, []string{`the value of "a" must be a string`, "a number"}},
		{"object value", `{"a": {"b": "c"}}`, []string{`the value of "a" must be a string`, "an object"}},
		{"array value", `{"a": ["admin"]}`, []string{`"a"`, "an array"}},
		{"null value", `{"a": null}`, []string{`"a"`, "null"}},
		{"duplicate key", `{"a": "admin", "a": "builder"}`, []string{`IdP group "a" appears twice`}},
		{"duplicate after trimming", `{"a": "admin", " a": "builder"}`, []string{`appears twice`}},
		{"empty key", `{"": "admin"}`, []string{"empty"}},
		{"empty value", `{"a": "  "}`, []string{`"a" maps to an empty`}},
		{"empty variable", ``, []string{"empty value"}},
		{"trailing data", `{"a": "admin"} {"b": "x"}`, []string{"invalid JSON"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := ParseGroupMappings([]string{"TJ_SAML_GROUP_MAPPINGS__acme=" + c.value, `TJ_SAML_GROUP_MAPPINGS__other={"a": "admin"}`})
			m, err := g.Lookup("acme")
			var ge *GroupMappingsError
			if m != nil || !errors.As(err, &ge) {
				t.Fatalf("Lookup = %v, %v; want a *GroupMappingsError", m, err)
			}
			if ge.Variable != "TJ_SAML_GROUP_MAPPINGS__acme" || !strings.HasPrefix(err.Error(), "TJ_SAML_GROUP_MAPPINGS__acme: ") {
				t.Errorf("error does not name the variable: %v", err)
			}
			for _, p := range c.wantParts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q lacks %q", err, p)
				}
			}
			// Another workspace's valid variable is unaffected.
			if o, err := g.Lookup("other"); err != nil || o["a"] != "admin" {
				t.Errorf("other workspace: %v, %v", o, err)
			}
			probs := g.Problems()
			if len(probs) != 1 || !strings.Contains(probs[0], "TJ_SAML_GROUP_MAPPINGS__acme") || !strings.Contains(probs[0], "group sync is off") {
				t.Errorf("Problems() = %q", probs)
			}
		})
	}
}

func TestGroupMappingsExactAndUpperCase(t *testing.T) {
	same := ParseGroupMappings([]string{`TJ_SAML_GROUP_MAPPINGS__acme={"a":"admin"}`, `TJ_SAML_GROUP_MAPPINGS__ACME={"a": "admin"}`})
	if m, err := same.Lookup("acme"); err != nil || m["a"] != "admin" {
		t.Errorf("same value in both forms: %v, %v", m, err)
	}
	differ := ParseGroupMappings([]string{`TJ_SAML_GROUP_MAPPINGS__acme={"a":"admin"}`, `TJ_SAML_GROUP_MAPPINGS__ACME={"a":"builder"}`})
	if _, err := differ.Lookup("acme"); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("different values in both forms: %v, want an error", err)
	}
	mixed := ParseGroupMappings([]string{`TJ_SAML_GROUP_MAPPINGS__Acme={"a":"admin"}`})
	if m, err := mixed.Lookup("acme"); m != nil || err != nil {
		t.Errorf("mixed-case variable matched: %v, %v (only exact and upper-case forms count)", m, err)
	}
	last := ParseGroupMappings([]string{`TJ_SAML_GROUP_MAPPINGS__acme={"a":"admin"}`, `TJ_SAML_GROUP_MAPPINGS__acme={"a":"builder"}`})
	if m, _ := last.Lookup("acme"); m["a"] != "builder" {
		t.Errorf("a later duplicate entry should win, as in the process environment: %v", m)
	}
}

func TestGroupMappingsNilAndVar(t *testing.T) {
	var g *GroupMappings
	if m, err := g.Lookup("acme"); m != nil || err != nil || g.Problems() != nil {
		t.Error("nil GroupMappings must behave as no variables")
	}
	if v := GroupMappingsVar("acme-corp-2"); v != "TJ_SAML_GROUP_MAPPINGS__acme_corp_2" {
		t.Errorf("GroupMappingsVar = %q", v)
	}
}

func TestGroupMappingsTooLarge(t *testing.T) {
	big := `{"a": "` + strings.Repeat("x", maxMappingsValue) + `"}`
	_, err := ParseGroupMappings([]string{"TJ_SAML_GROUP_MAPPINGS__acme=" + big}).Lookup("acme")
	if err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("oversized value: %v", err)
	}
}

func FuzzParseMappingValue(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `[]`, `{"a":1}`, `{"a":"b","a":"c"}`, "{\n\"a\" \"b\"}", ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseMappingValue(s)
		if (m == nil) == (err == nil) {
			t.Fatalf("want exactly one of mapping and error: %v, %v", m, err)
		}
		for k, v := range m {
			if k == "" || v == "" || strings.TrimSpace(k) != k || strings.TrimSpace(v) != v {
				t.Fatalf("untrimmed or empty entry %q: %q", k, v)
			}
		}
	})
}

func TestGroupMappingsUnmatched(t *testing.T) {
	g := ParseGroupMappings([]string{
		"TJ_SAML_GROUP_MAPPINGS__acme_corp={}", "TJ_SAML_GROUP_MAPPINGS__OTHER={}",
		"TJ_SAML_GROUP_MAPPINGS__acme-corp={}", "TJ_SAML_GROUP_MAPPINGS__typo={}", "PATH=/bin",
	})
	got := g.Unmatched([]string{"acme-corp", "other"})
	want := []string{"TJ_SAML_GROUP_MAPPINGS__acme-corp", "TJ_SAML_GROUP_MAPPINGS__typo"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Unmatched = %v, want %v", got, want)
	}
	if (*GroupMappings)(nil).Unmatched([]string{"x"}) != nil {
		t.Fatal("nil mappings report variables")
	}
}
