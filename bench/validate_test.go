package bench

import (
	"slices"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// outcome is what a contender reports for an accepted response; the same
// facts are checked for every contender.
type outcome struct {
	NameID string
	Email  string
	Groups []string
}

// validator is one contender: it validates a SAMLResponse form value.
type validator func(form string) (outcome, error)

// mustJudgeCorrectly fails tb unless v accepts the fixture with the right
// NameID, email and 20 groups, and rejects the one-byte-tampered copy. It
// runs in every Test and in every benchmark's setup: a fast validator that
// skips a check measures nothing.
func mustJudgeCorrectly(tb testing.TB, name string, v validator) {
	tb.Helper()
	f := getFixture(tb)
	got, err := v(f.form)
	if err != nil {
		tb.Fatalf("%s rejected the valid response: %v", name, err)
	}
	if got.NameID != f.user.UPN {
		tb.Fatalf("%s: NameID = %q, want %q", name, got.NameID, f.user.UPN)
	}
	if got.Email != f.user.Email {
		tb.Fatalf("%s: email = %q, want %q", name, got.Email, f.user.Email)
	}
	if !slices.Equal(got.Groups, f.user.Groups) {
		tb.Fatalf("%s: groups = %q, want the %d of the response", name, got.Groups, len(f.user.Groups))
	}
	if _, err := v(f.tampered); err == nil {
		tb.Fatalf("%s accepted a response with one byte changed inside the signed assertion", name)
	}
}

// benchValidator times v on the fixture after checking it judges correctly.
func benchValidator(b *testing.B, name string, v validator) {
	mustJudgeCorrectly(b, name, v)
	form := getFixture(b).form
	measure(b, func() error { _, err := v(form); return err })
}

func TestFixtureSize(t *testing.T) {
	f := getFixture(t)
	// The response is "about 6.9 KB of XML"; a much smaller one
	// would flatter every contender.
	if n := len(f.raw); n < 6500 || n > 7400 {
		t.Fatalf("response is %d bytes, want about 6.9 KB", n)
	}
	t.Logf("response: %d bytes of XML, %d bytes base64", len(f.raw), len(f.form))
}

var (
	otherOnce sync.Once
	other     *entra.IdP
	otherErr  error
)

// otherIdP is an IdP with the same entity ID as the fixture's but another
// key: a contender configured with it must reject the fixture.
func otherIdP(tb testing.TB) *entra.IdP {
	tb.Helper()
	f := getFixture(tb)
	otherOnce.Do(func() { other, otherErr = entra.NewIdP(f.idp.EntityID, f.idp.SSOURL) })
	if otherErr != nil {
		tb.Fatal(otherErr)
	}
	return other
}

// rejectsOtherKey fails t unless v, configured with otherIdP's certificate,
// rejects the fixture signed by the real IdP.
func rejectsOtherKey(t *testing.T, v validator) {
	t.Helper()
	if _, err := v(getFixture(t).form); err == nil {
		t.Fatal("accepted a response signed by a key that is not in the configured metadata")
	}
}
