package workspace

import (
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Unicode lowercasing maps a few non-ASCII letters onto ASCII ones (KELVIN
// SIGN U+212A to 'k', LATIN CAPITAL LETTER I WITH DOT ABOVE U+0130 to
// 'i'). An address that differs from an existing one only by such a letter
// is a different mailbox (an IdP may let a user pick it, or the attacker
// may own the IDN domain), so it must not normalize into the existing
// address and take over its account.
func TestNormalizeEmailRefusesUnicodeFoldingToASCII(t *testing.T) {
	for _, in := range []string{"\u212Aate@corp.com", "ceo@\u212Aorp.com", "b\u0130ll@corp.com"} {
		if got, err := NormalizeEmail(in); err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error (it folds onto an ASCII address)", in, got)
		}
	}
	// Ordinary case folding and non-ASCII addresses still work.
	for in, want := range map[string]string{"Kate@Corp.COM": "kate@corp.com", "J\u00dcRGEN@example.de": "j\u00fcrgen@example.de"} {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// The SAML login of "\u212Aate@corp.com" must not sign in as kate@corp.com.
func TestSAMLLoginUnicodeLookalikeEmailDoesNotTakeOverAccount(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		kate := f.member("kate@corp.com", RoleAdmin)
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("nid-mallory", "\u212Aate@corp.com"))
		if err == nil {
			if res.User.ID == kate.ID {
				t.Fatalf("a login asserting %q signed in as kate@corp.com", "\u212Aate@corp.com")
			}
			t.Fatalf("login succeeded as %q; want a refusal", res.User.Email)
		}
		wantAccess(t, err, CodeEmailMissing)
		if _, err := st.GetSSOLink(f.ctx, f.cfg.ID, "nid-mallory"); err == nil {
			t.Error("the refused login linked its NameID")
		}
	})
}
