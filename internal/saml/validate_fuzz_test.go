package saml

import (
	"testing"
)

// FuzzValidateResponse mutates signed responses (real IdP fixtures and
// samltest ones). Invariants: no panic, and nothing is ever accepted
// unless a trusted key signed it: an accepted result names a trusted
// certificate and carries exactly the identity that was signed (mutations
// can only break signatures, never change who signs in).
func FuzzValidateResponse(f *testing.F) {
	type config struct {
		trust  *TrustConfig
		exp    *Expectations
		now    func() (n int64)
		nameID string
	}
	var configs []config
	for _, fx := range fixtures {
		raw, trust, exp, now := fx.setup(f)
		configs = append(configs, config{trust, exp, now.UnixNano, fx.nameID})
		f.Add(raw, uint8(len(configs)-1))
	}
	configs = append(configs, config{baseTrust(f), baseExp(), testNow.UnixNano, testNameID})
	self := uint8(len(configs) - 1)
	for _, mode := range [][2]bool{{true, false}, {false, true}, {true, true}} {
		o := baseOpts()
		o.SignAssertion, o.SignResponse = mode[0], mode[1]
		f.Add(signedResponse(f, o), self)
	}
	f.Fuzz(func(t *testing.T, raw []byte, which uint8) {
		c := configs[int(which)%len(configs)]
		a, err := ValidateResponse(raw, c.trust, c.exp, unixNano(c.now()))
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is not *saml.Error: %T %v", err, err)
			}
			return
		}
		trusted := false
		for _, cert := range c.trust.Certs {
			trusted = trusted || a.SigningCertSHA256 == CertSHA256(cert)
		}
		if !trusted {
			t.Fatalf("accepted with untrusted certificate %s", a.SigningCertSHA256)
		}
		if a.NameID != c.nameID {
			t.Fatalf("accepted a NameID that was never signed: %q", a.NameID)
		}
		if a.SignedElement == "" {
			t.Fatal("accepted without a signed element")
		}
	})
}
