package saml

import "testing"

// Email must not lowercase a look-alike address onto an ASCII one: KELVIN
// SIGN U+212A lowercases to 'k', so "\u212Aate@corp.com" would become
// kate@corp.com, another person's address. Such a value is not taken as
// the email (the next source is tried).
func TestEmailRefusesUnicodeFoldingToASCII(t *testing.T) {
	a := &Assertion{NameID: "opaque-id", Attributes: []Attribute{{Name: "email", Values: []string{"\u212Aate@corp.com"}}}}
	if got := a.Email(); got != "" {
		t.Errorf("Email() = %q, want none (the value folds onto an ASCII address)", got)
	}
	a = &Assertion{NameID: "opaque-id", Attributes: []Attribute{
		{Name: "email", Values: []string{"b\u0130ll@corp.com"}}, {Name: "mail", Values: []string{"Bill.Real@Corp.com"}}}}
	if got := a.Email(); got != "bill.real@corp.com" {
		t.Errorf("Email() = %q, want the next source, lowercased", got)
	}
	a = &Assertion{Attributes: []Attribute{{Name: "email", Values: []string{"J\u00dcRGEN@example.de"}}}}
	if got := a.Email(); got != "j\u00fcrgen@example.de" {
		t.Errorf("Email() = %q, want a non-ASCII address lowercased", got)
	}
}
