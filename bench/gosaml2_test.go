package bench

import (
	"crypto/x509"
	"errors"
	"testing"

	saml2 "github.com/russellhaering/gosaml2"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// newGosaml2 configures gosaml2 v0.12.0 with the IdP's certificate, the
// SP's audience and ACS, and the frozen clock.
func newGosaml2(idp *entra.IdP) validator {
	sp := &saml2.SAMLServiceProvider{
		IdentityProviderSSOURL:      idp.SSOURL,
		IdentityProviderIssuer:      idp.EntityID,
		AssertionConsumerServiceURL: spURL,
		ServiceProviderIssuer:       spURL,
		AudienceURI:                 spURL,
		IDPCertificateStore:         &dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{idp.Cert}},
		Clock:                       dsig.NewFakeClockAt(benchNow),
	}
	return func(form string) (outcome, error) {
		info, err := sp.RetrieveAssertionInfo(form)
		if err != nil {
			return outcome{}, err
		}
		// gosaml2 reports time and audience failures as warnings, not
		// errors; an application must treat them as rejections.
		if w := info.WarningInfo; w.InvalidTime || w.NotInAudience {
			return outcome{}, errors.New("gosaml2: assertion outside its time window or audience")
		}
		o := outcome{NameID: info.NameID, Email: info.Values.Get("email")}
		for _, v := range info.Values["groups"].Values {
			o.Groups = append(o.Groups, v.Value)
		}
		return o, nil
	}
}

func TestGosaml2JudgesCorrectly(t *testing.T) {
	mustJudgeCorrectly(t, "gosaml2", newGosaml2(getFixture(t).idp))
}

func TestGosaml2RejectsOtherIdPKey(t *testing.T) {
	rejectsOtherKey(t, newGosaml2(otherIdP(t)))
}

func BenchmarkGosaml2(b *testing.B) {
	benchValidator(b, "gosaml2", newGosaml2(getFixture(b).idp))
}
