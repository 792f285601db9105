package workspace

import (
	"strings"
	"testing"
)

func TestParseRole(t *testing.T) {
	for in, want := range map[string]string{"admin": RoleAdmin, "ADMIN": RoleAdmin, " Builder ": RoleBuilder, "End-User": RoleEndUser} {
		if got, ok := ParseRole(in); !ok || got != want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "administrator", "end user", "enduser", "owner"} {
		if got, ok := ParseRole(in); ok {
			t.Errorf("ParseRole(%q) = %q, want not a role", in, got)
		}
	}
}

func TestValidateSlug(t *testing.T) {
	for _, ok := range []string{"acme", "a", "acme-corp", "team-42", strings.Repeat("a", 63)} {
		if err := ValidateSlug(ok); err != nil {
			t.Errorf("ValidateSlug(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Acme", "acme corp", "acme_corp", "-acme", "acme-", "acmé", "../x", strings.Repeat("a", 64)} {
		if err := ValidateSlug(bad); err == nil || !IsValidation(err) {
			t.Errorf("ValidateSlug(%q) = %v, want a ValidationError", bad, err)
		}
	}
}

func TestValidateGroupName(t *testing.T) {
	for _, ok := range []string{"Sales", "Admins", "end users", "Ingénierie", "builder-2"} {
		if err := ValidateGroupName(ok); err != nil {
			t.Errorf("ValidateGroupName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"admin", "Admin", "BUILDER", "End-User", " end-user", "", "   ", " Sales", "a\nb", strings.Repeat("x", 201)} {
		if err := ValidateGroupName(bad); err == nil || !IsValidation(err) {
			t.Errorf("ValidateGroupName(%q) = %v, want a ValidationError", bad, err)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Pat@Example.COM":     "pat@example.com",
		"  pat@example.com\t": "pat@example.com",
		"pat.o+x@a.example":   "pat.o+x@a.example",
	} {
		got, err := NormalizeEmail(in)
		if err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "pat", "pat@", "@example.com", "Pat <pat@example.com>", "a@b@c.com", "pat@example.com, x@y.com", strings.Repeat("a", 250) + "@x.com"} {
		if got, err := NormalizeEmail(bad); err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error", bad, got)
		}
	}
}
