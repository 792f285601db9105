package saml

import (
	"reflect"
	"testing"
)

const (
	claimEmail       = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
	claimGivenName   = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
	claimSurname     = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"
	claimDisplayName = "http://schemas.microsoft.com/identity/claims/displayname"
	claimName        = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
	claimGroups      = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
	claimGroupsLink  = "http://schemas.microsoft.com/claims/groups.link"
)

func attrs(kv ...any) []Attribute {
	var out []Attribute
	for i := 0; i < len(kv); i += 2 {
		out = append(out, Attribute{Name: kv[i].(string), Values: kv[i+1].([]string)})
	}
	return out
}

// entraAssertion has Entra's default claims, as an unmodified enterprise
// application sends them.
func entraAssertion() *Assertion {
	return &Assertion{
		NameID: "x2V4mWqq0dVwtyz3b-oqJ3gE3iNVNYyD6QuCUkAhU3w",
		Attributes: attrs(
			"http://schemas.microsoft.com/identity/claims/tenantid", []string{"5b5c94c6-14cf-42da-85bc-4e08722b253b"},
			claimEmail, []string{" Ada.Lovelace@Example.COM "},
			claimGivenName, []string{"Ada"},
			claimSurname, []string{"Lovelace"},
			claimDisplayName, []string{"Ada L."},
			claimName, []string{"ada.lovelace@example.com"},
			claimGroups, []string{"3f2b5c1e-0000-4000-8000-000000000001", " admins ", "3f2b5c1e-0000-4000-8000-000000000001", ""},
		),
	}
}

func TestAttributeLookupOrder(t *testing.T) {
	a := &Assertion{Attributes: []Attribute{
		{Name: "http://example.com/claims/Email", Values: []string{"case-insensitive-suffix"}},
		{Name: "http://example.com/claims/email", Values: []string{"suffix"}},
		{Name: "email", Values: []string{"exact"}},
		{Name: "urn:oid:0.9.2342.19200300.100.1.3", FriendlyName: "mail", Values: []string{"friendly"}},
	}}
	cases := map[string]string{"email": "exact", "Email": "case-insensitive-suffix", "EMAIL": "case-insensitive-suffix", "mail": "friendly"}
	for name, want := range cases {
		at, ok := a.Attribute(name)
		if !ok || at.Values[0] != want {
			t.Errorf("Attribute(%q) = %v %v, want %q", name, at.Values, ok, want)
		}
	}
	a.Attributes = a.Attributes[:3]
	a.Attributes[2].Name = "xemail" // not a segment match
	if at, _ := a.Attribute("email"); at.Values[0] != "suffix" {
		t.Errorf("suffix match should beat case-insensitive match, got %v", at.Values)
	}
	for _, name := range []string{"", "mail", "claims/email/x"} {
		if _, ok := a.Attribute(name); ok {
			t.Errorf("Attribute(%q) found something", name)
		}
	}
}

func TestEntraDefaultClaims(t *testing.T) {
	a := entraAssertion()
	if got := a.Email(); got != "ada.lovelace@example.com" {
		t.Errorf("Email = %q", got)
	}
	if got := a.Name(); got != "Ada Lovelace" {
		t.Errorf("Name = %q", got)
	}
	want := []string{"3f2b5c1e-0000-4000-8000-000000000001", "admins"}
	if got := a.Groups("groups"); !reflect.DeepEqual(got, want) {
		t.Errorf("Groups = %q, want %q", got, want)
	}
	if got := a.Groups(""); !reflect.DeepEqual(got, want) {
		t.Errorf("Groups(\"\") = %q, want %q", got, want)
	}
	if got := a.Groups(claimGroups); !reflect.DeepEqual(got, want) {
		t.Errorf("Groups(full URI) = %q", got)
	}
	if a.GroupsOverage("") {
		t.Error("overage without groups.link")
	}
}

func TestEmailSources(t *testing.T) {
	cases := []struct {
		name string
		a    *Assertion
		want string
	}{
		{"email wins over emailaddress", &Assertion{Attributes: attrs("emailaddress", []string{"b@x.test"}, "email", []string{"a@x.test"})}, "a@x.test"},
		{"renamed Entra claim", &Assertion{Attributes: attrs("email", []string{"A@X.test"}, claimEmail, []string{"b@x.test"})}, "a@x.test"},
		{"mail (Okta/LDAP)", &Assertion{Attributes: attrs("mail", []string{"c@x.test"})}, "c@x.test"},
		{"blank email falls through", &Assertion{Attributes: attrs("email", []string{"  "}, "mail", []string{"d@x.test"})}, "d@x.test"},
		{"second value used when first blank", &Assertion{Attributes: attrs("email", []string{"", "e@x.test"})}, "e@x.test"},
		{"not an address falls through", &Assertion{NameID: "f@x.test", Attributes: attrs("email", []string{"not-an-address"})}, "f@x.test"},
		{"display-name form refused", &Assertion{Attributes: attrs("email", []string{"Eve <eve@x.test>"})}, ""},
		{"NameID email", &Assertion{NameID: " G@X.test "}, "g@x.test"},
		{"NameID opaque", &Assertion{NameID: "abc123", Attributes: attrs("uid", []string{"h"})}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.a.Email(); got != c.want {
				t.Errorf("Email = %q, want %q", got, c.want)
			}
		})
	}
}

func TestNameSources(t *testing.T) {
	cases := []struct {
		name string
		a    *Assertion
		want string
	}{
		{"Okta firstName lastName", &Assertion{Attributes: attrs("firstName", []string{"Grace"}, "lastName", []string{"Hopper"}, "displayname", []string{"x"})}, "Grace Hopper"},
		{"firstName only", &Assertion{Attributes: attrs("firstName", []string{"Grace"})}, "Grace"},
		{"Entra givenname surname", &Assertion{Attributes: attrs(claimGivenName, []string{"Alan"}, claimSurname, []string{" Turing "})}, "Alan Turing"},
		{"displayname", &Assertion{Attributes: attrs(claimDisplayName, []string{"Dr. Who"}, "name", []string{"n"})}, "Dr. Who"},
		{"name", &Assertion{Attributes: attrs("name", []string{"Plain Name"})}, "Plain Name"},
		{"email local part", &Assertion{Attributes: attrs("email", []string{"Linus.T@x.test"})}, "linus.t"},
		{"nothing", &Assertion{NameID: "opaque"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.a.Name(); got != c.want {
				t.Errorf("Name = %q, want %q", got, c.want)
			}
		})
	}
}

func TestGroupsAndOverage(t *testing.T) {
	overage := &Assertion{Attributes: attrs(claimGroupsLink, []string{"https://graph.windows.net/tenant/users/u/getMemberObjects"})}
	if !overage.GroupsOverage("") || !overage.GroupsOverage("groups") {
		t.Error("overage not detected")
	}
	if overage.Groups("") != nil {
		t.Error("groups invented")
	}
	both := &Assertion{Attributes: attrs(claimGroupsLink, []string{"x"}, "memberOf", []string{"eng"})}
	if both.GroupsOverage("memberOf") {
		t.Error("overage although the configured attribute arrived")
	}
	if !both.GroupsOverage("") {
		t.Error("overage for default attribute not detected")
	}
	google := &Assertion{Attributes: attrs("groups", []string{"eng", "ops", "eng"})}
	if got := google.Groups(""); !reflect.DeepEqual(got, []string{"eng", "ops"}) {
		t.Errorf("Groups = %q", got)
	}
	if got := google.Groups("memberOf"); got != nil {
		t.Errorf("other attribute: %q", got)
	}
}

func TestAttributeNamesAndMap(t *testing.T) {
	a := &Assertion{Attributes: attrs("b", []string{"1"}, "a", []string{"2", "3"}, "b", []string{"4"})}
	if got := a.AttributeNames(); !reflect.DeepEqual(got, []string{"b", "a"}) {
		t.Errorf("AttributeNames = %q", got)
	}
	m := a.AttributeMap()
	want := map[string][]string{"b": {"1", "4"}, "a": {"2", "3"}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("AttributeMap = %v", m)
	}
	m["a"][0] = "changed"
	if a.Attributes[1].Values[0] != "2" {
		t.Error("AttributeMap shares value slices with the assertion")
	}
	if got := (&Assertion{}).AttributeMap(); got == nil || len(got) != 0 {
		t.Errorf("empty map = %v", got)
	}
}
