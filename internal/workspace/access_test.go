package workspace

import (
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestDecideAccess(t *testing.T) {
	active := &store.Membership{Status: store.StatusActive, Role: RoleEndUser}
	invited := &store.Membership{Status: store.StatusInvited, Role: RoleEndUser}
	archived := &store.Membership{Status: store.StatusArchived, Role: RoleAdmin}
	odd := &store.Membership{Status: "suspended", Role: RoleAdmin}
	user := &store.User{Email: "pat@example.com"}
	gone := &store.User{Email: "pat@example.com", Archived: true}
	open := &store.LoginSettings{Signup: true}
	closed := &store.LoginSettings{Signup: false}
	domains := &store.LoginSettings{Signup: true, AllowedDomains: []string{"example.com"}}

	cases := []struct {
		name     string
		in       AccessInput
		action   string
		code     string
		expected string
	}{
		{"existing active member is signed in", AccessInput{Email: "pat@example.com", User: user, Membership: active, Settings: closed}, ActionSignIn, "", ""},
		{"invited member is activated", AccessInput{Email: "pat@example.com", User: user, Membership: invited, Settings: closed}, ActionActivate, "", ""},
		{"not a member, signup on: joins", AccessInput{Email: "new@example.com", Settings: open, AllowSignup: true}, ActionJoin, "", ""},
		{"existing user, not a member, signup on: joins", AccessInput{Email: "pat@example.com", User: user, Settings: open, AllowSignup: true}, ActionJoin, "", ""},
		{"not a member, signup off", AccessInput{Email: "new@example.com", Settings: closed, AllowSignup: true}, "", CodeNotAMember, MsgNotAMember},
		{"password login never provisions", AccessInput{Email: "pat@example.com", User: user, Settings: open, AllowSignup: false}, "", CodeNotAMember, MsgNotAMember},
		{"archived in the workspace", AccessInput{Email: "pat@example.com", User: user, Membership: archived, Settings: open, AllowSignup: true}, "", CodeArchivedInWorkspace, MsgArchivedInWorkspace},
		{"unknown status is refused", AccessInput{Email: "pat@example.com", User: user, Membership: odd, Settings: open}, "", CodeArchivedInWorkspace, MsgArchivedInWorkspace},
		{"archived instance-wide wins over an active membership", AccessInput{Email: "pat@example.com", User: gone, Membership: active, Settings: open}, "", CodeArchivedInstance, MsgArchivedInstance},
		{"archived instance-wide, not a member", AccessInput{Email: "pat@example.com", User: gone, Settings: open, AllowSignup: true}, "", CodeArchivedInstance, MsgArchivedInstance},
		{"domain allowed", AccessInput{Email: "pat@EXAMPLE.com", User: user, Membership: active, Settings: domains}, ActionSignIn, "", ""},
		{"domain not allowed, even for an active member", AccessInput{Email: "pat@evil.test", User: user, Membership: active, Settings: domains}, "", CodeDomainNotAllowed, MsgDomainNotAllowed},
		{"domain checked before the archive (no account oracle)", AccessInput{Email: "pat@evil.test", User: gone, Settings: domains}, "", CodeDomainNotAllowed, MsgDomainNotAllowed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			action, err := DecideAccess(c.in)
			if action != c.action {
				t.Errorf("action %q, want %q", action, c.action)
			}
			switch {
			case c.code == "" && err != nil:
				t.Errorf("unexpected refusal %v", err)
			case c.code != "" && (err == nil || err.Code != c.code || err.Message != c.expected):
				t.Errorf("got %v, want %s: %s", err, c.code, c.expected)
			}
		})
	}
}

func TestDomainAllowed(t *testing.T) {
	cases := []struct {
		email   string
		allowed []string
		want    bool
	}{
		{"a@example.com", nil, true},
		{"a@example.com", []string{}, true},
		{"a@example.com", []string{"", "  "}, true}, // only blanks = no restriction
		{"a@example.com", []string{"example.com"}, true},
		{"a@Example.COM", []string{"example.com"}, true},
		{"a@example.com", []string{" EXAMPLE.com "}, true},
		{"a@example.com", []string{"@example.com"}, true},
		{"a@eu.example.com", []string{"example.com"}, false}, // subdomains must be listed
		{"a@eu.example.com", []string{"example.com", "eu.example.com"}, true},
		{"a@example.com.evil.test", []string{"example.com"}, false},
		{"a@notexample.com", []string{"example.com"}, false},
		{"a@example.org", []string{"example.com"}, false},
		{"example.com", []string{"example.com"}, false}, // no '@': no domain
	}
	for _, c := range cases {
		if got := DomainAllowed(c.email, c.allowed); got != c.want {
			t.Errorf("DomainAllowed(%q, %q) = %v, want %v", c.email, c.allowed, got, c.want)
		}
	}
}

func TestValidateDomains(t *testing.T) {
	for _, ok := range [][]string{nil, {"example.com"}, {" @Example.com ", "eu.example.co.uk", "xn--bcher-kva.example"}} {
		if err := ValidateDomains(ok); err != nil {
			t.Errorf("ValidateDomains(%q): %v", ok, err)
		}
	}
	for _, bad := range [][]string{{"example,com"}, {"localhost"}, {"exa mple.com"}, {"-example.com"}, {"example..com"}, {"*.example.com"}} {
		if err := ValidateDomains(bad); err == nil || !IsValidation(err) {
			t.Errorf("ValidateDomains(%q) = %v, want a ValidationError", bad, err)
		}
	}
}

func TestAutoSSOAllowed(t *testing.T) {
	cases := []struct {
		password bool
		sso      int
		want     bool
	}{
		{false, 1, true},
		{true, 1, false},
		{false, 0, false},
		{false, 2, false},
		{true, 0, false},
	}
	for _, c := range cases {
		if got := AutoSSOAllowed(c.password, c.sso); got != c.want {
			t.Errorf("AutoSSOAllowed(password=%v, sso=%d) = %v", c.password, c.sso, got)
		}
	}
}
