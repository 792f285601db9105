package saml

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// TestEmailAmbiguousRefused: a signed assertion whose email attribute
// arrives twice, or carries two different values, is refused with
// email_ambiguous and a message quoting what arrived, instead of taking
// the first value.
func TestEmailAmbiguousRefused(t *testing.T) {
	duplicateEmail := func(root *etree.Element) {
		for _, at := range root.FindElements("//Attribute") {
			if at.SelectAttrValue("Name", "") == "email" {
				c := at.Copy()
				c.FindElement("AttributeValue").SetText("mallory@example.com")
				at.Parent().AddChild(c)
				return
			}
		}
		t.Fatal("no email attribute")
	}
	sameTwice := func(root *etree.Element) {
		for _, at := range root.FindElements("//Attribute") {
			if at.SelectAttrValue("Name", "") == "email" {
				at.Parent().AddChild(at.Copy())
				return
			}
		}
	}
	for _, tc := range []struct {
		name  string
		attrs map[string][]string
		edit  func(*etree.Element)
		want  []string // in the message
	}{
		{"attribute twice", nil, duplicateEmail, []string{`"email" arrived 2 times`, `"` + testNameID + `"`, `"mallory@example.com"`}},
		{"attribute twice, same value", nil, sameTwice, []string{`arrived 2 times`}},
		{"two values", map[string][]string{"email": {testNameID, "mallory@example.com"}}, nil,
			[]string{`2 different values`, `"` + testNameID + `"`, `"mallory@example.com"`}},
		{"short name and claim URI", map[string][]string{"email": {testNameID}, "http://schemas.example/claims/email": {"mallory@example.com"}}, nil,
			[]string{`arrived 2 times`, `"http://schemas.example/claims/email"`}},
		{"emailaddress twice", map[string][]string{"emailaddress": {"a@example.com", "b@example.com"}}, nil, []string{`"a@example.com", "b@example.com"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := baseOpts()
			if tc.attrs != nil {
				o.Attributes = tc.attrs
			}
			edit := tc.edit
			if edit == nil {
				edit = func(*etree.Element) {}
			}
			raw := built(t, o, edit)
			// Validation records nothing: a refused assertion never reaches
			// the login transaction, which is where the ID is remembered.
			_, err := ValidateResponse(raw, baseTrust(t), baseExp(), testNow)
			wantReason(t, err, ReasonEmailAmbiguous)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %s", err.Error(), w)
				}
			}
		})
	}
}

// TestEmailNotAmbiguous: one value (repeated, or differing only in case),
// and a second source attribute of lower precedence, are accepted.
func TestEmailNotAmbiguous(t *testing.T) {
	for name, attrs := range map[string]map[string][]string{
		"same value twice":     {"email": {testNameID, " " + testNameID}},
		"case only":            {"email": {testNameID, strings.ToUpper(testNameID)}},
		"blank second value":   {"email": {testNameID, " "}},
		"mail of lower rank":   {"email": {testNameID}, "mail": {"other@example.com"}},
		"blank email, mail ok": {"email": {""}, "mail": {testNameID}},
	} {
		t.Run(name, func(t *testing.T) {
			o := baseOpts()
			o.Attributes = attrs
			a := mustAccept(t, signedResponse(t, o))
			if a.Email() != strings.ToLower(testNameID) {
				t.Errorf("Email() = %q", a.Email())
			}
		})
	}
}
