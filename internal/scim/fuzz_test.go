package scim

import (
	"encoding/json"
	"testing"
)

// FuzzSCIMInput feeds arbitrary filters and PATCH bodies (unauthenticated
// until the token check, and bounded after it) through the parsers and
// the evaluator: they must never panic, and whatever they accept must
// leave a document that still serializes.
func FuzzSCIMInput(f *testing.F) {
	f.Add(`userName eq "a"`, `[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"x@y.example"}]`)
	f.Add(`emails[type eq "work"].value eq "x"`, `[{"op":"replace","value":{"active":"False","name.givenName":"K"}}]`)
	f.Add(`not (a pr) or b[c eq 1]`, `[{"op":"remove","path":"emails[type eq \"home\" or not (value sw \"a\")]"}]`)
	f.Add(`((((a eq "b"))))`, `[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"m"}}]`)
	f.Fuzz(func(t *testing.T, filt, ops string) {
		_, _ = userFilter(filt)
		_, _ = groupFilter(filt)
		p, err := decodePatch([]byte(`{"schemas":["` + SchemaPatchOp + `"],"Operations":` + ops + `}`))
		if err != nil {
			return
		}
		_, _ = groupChange(p.Operations)
		d := map[string]any{"userName": "a", "emails": []any{map[string]any{"type": "work", "value": "a@b.example"}},
			"name": map[string]any{"givenName": "A"}}
		if applyPatch(d, SchemaUser, p.Operations) == nil {
			if _, err := json.Marshal(d); err != nil {
				t.Fatalf("accepted PATCH left an unserializable document: %v", err)
			}
			_, _ = userInput(d)
		}
	})
}
