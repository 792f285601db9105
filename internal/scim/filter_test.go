package scim

import (
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestUserFilter(t *testing.T) {
	cases := []struct {
		in   string
		want store.SCIMUserFilter
	}{
		{``, store.SCIMUserFilter{}},
		{`userName eq "Test_User_1@contoso.example"`, store.SCIMUserFilter{UserName: "Test_User_1@contoso.example"}},
		{`UserName Eq "x"`, store.SCIMUserFilter{UserName: "x"}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"`, store.SCIMUserFilter{UserName: "x"}},
		{`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`, store.SCIMUserFilter{ExternalID: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"}},
		{`emails[type eq "work"].value eq "kim@corp.example"`, store.SCIMUserFilter{Email: "kim@corp.example"}},
		{`emails[type eq "work" and value eq "kim@corp.example"]`, store.SCIMUserFilter{Email: "kim@corp.example"}},
		{`emails.value eq "kim@corp.example"`, store.SCIMUserFilter{Email: "kim@corp.example"}},
		{`userName eq "a" and externalId eq "b"`, store.SCIMUserFilter{UserName: "a", ExternalID: "b"}},
		{`id eq "u1"`, store.SCIMUserFilter{ID: "u1"}},
	}
	for _, c := range cases {
		got, err := userFilter(c.in)
		if err != nil || got != c.want {
			t.Errorf("userFilter(%s) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestUserFilterRefusals(t *testing.T) {
	for _, in := range []string{
		`userName sw "a"`,              // unsupported operator
		`userName eq "a" or id eq "b"`, // or would need a union
		`displayName eq "x"`,           // unsupported attribute
		`not (userName eq "a")`,
		`active eq true`,
		`userName eq`,            // syntax
		`emails[type eq "work"]`, // no value condition
		`emails[value eq "a" or value eq "b"]`,
		`urn:ietf:params:scim:schemas:core:2.0:Group:userName eq "x"`,
		`userName eq "` + strings.Repeat("a", MaxFilterLen) + `"`,
		strings.Repeat("(", 600) + `userName eq "a"` + strings.Repeat(")", 600),
		strings.Repeat("not (", 9) + `userName eq "a"` + strings.Repeat(")", 9),
		strings.Repeat("(", 1000),
	} {
		if _, err := userFilter(in); err == nil || err.SCIMType != typeInvalidFilter || err.Status != 400 {
			t.Errorf("userFilter(%.60s) = %v, want a 400 invalidFilter", in, err)
		}
	}
}

func TestGroupFilter(t *testing.T) {
	got, err := groupFilter(`displayName eq "Sales EU"`)
	if err != nil || got != (store.SCIMGroupFilter{DisplayName: "Sales EU"}) {
		t.Fatalf("got %+v %v", got, err)
	}
	got, err = groupFilter(`externalId eq "e" and id eq "g"`)
	if err != nil || got != (store.SCIMGroupFilter{ExternalID: "e", ID: "g"}) {
		t.Fatalf("got %+v %v", got, err)
	}
	for _, in := range []string{`displayName co "Sales"`, `members[value eq "u"]`, `userName eq "x"`} {
		if _, err := groupFilter(in); err == nil || err.SCIMType != typeInvalidFilter {
			t.Errorf("groupFilter(%s) = %v, want invalidFilter", in, err)
		}
	}
}
