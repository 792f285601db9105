package bench

import (
	"crypto/x509"
	"errors"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// newGatehouse configures Gatehouse's validator as the ACS does for an
// unsolicited login: trust from the IdP's certificate only, the SP URL as
// audience and recipient, the frozen clock. No replay checker: the peers
// have none configured either, and the benchmark validates one response
// many times.
func newGatehouse(idp *entra.IdP) validator {
	trust := &saml.TrustConfig{IdPEntityID: idp.EntityID, Certs: []*x509.Certificate{idp.Cert}}
	exp := &saml.Expectations{SPEntityID: spURL, ACSURL: spURL, AllowUnsolicited: true}
	return func(form string) (outcome, error) {
		raw, err := saml.DecodeResponse(form, 0)
		if err != nil {
			return outcome{}, err
		}
		a, err := saml.ValidateResponse(raw, trust, exp, benchNow)
		if err != nil {
			return outcome{}, err
		}
		o := outcome{NameID: a.NameID}
		for _, at := range a.Attributes {
			switch at.Name {
			case "email":
				if len(at.Values) > 0 {
					o.Email = at.Values[0]
				}
			case "groups":
				o.Groups = at.Values
			}
		}
		return o, nil
	}
}

func TestGatehouseJudgesCorrectly(t *testing.T) {
	mustJudgeCorrectly(t, "gatehouse", newGatehouse(getFixture(t).idp))
}

func TestGatehouseRejectsOtherIdPKey(t *testing.T) {
	rejectsOtherKey(t, newGatehouse(otherIdP(t)))
}

func BenchmarkGatehouse(b *testing.B) {
	benchValidator(b, "gatehouse", newGatehouse(getFixture(b).idp))
}

// TestGatehouseTamperReason checks that the tampered copy is refused for
// the right reason: the digest over the signed assertion no longer matches.
func TestGatehouseTamperReason(t *testing.T) {
	_, err := newGatehouse(getFixture(t).idp)(getFixture(t).tampered)
	var se *saml.Error
	if !errors.As(err, &se) || se.Reason != saml.ReasonDigestMismatch {
		t.Fatalf("tampered response: got %v, want reason %s", err, saml.ReasonDigestMismatch)
	}
}
