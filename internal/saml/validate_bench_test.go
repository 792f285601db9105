package saml

import (
	"testing"
)

// BenchmarkValidateResponse measures the ACS hot path on a samltest
// response (assertion signed, two attributes) and on the real Entra
// fixture. Compare runs with benchstat; bench/ compares with other
// libraries.
func BenchmarkValidateResponse(b *testing.B) {
	b.Run("samltest", func(b *testing.B) {
		raw := signedResponse(b, baseOpts())
		trust, exp := baseTrust(b), baseExp()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ValidateResponse(raw, trust, exp, testNow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("entra-fixture", func(b *testing.B) {
		raw, trust, exp, now := fixtures[0].setup(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ValidateResponse(raw, trust, exp, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExcC14N compares Gatehouse's canonicalization of the signed
// assertion with goxmldsig's (which copies the element first).
func BenchmarkExcC14N(b *testing.B) {
	root, err := parseSafeXML(readFixtureXML(b, fixtures[0].file))
	if err != nil {
		b.Fatal(err)
	}
	l, err := scanLayout(root)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gatehouse", func(b *testing.B) {
		var c excC14N
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.canonicalize(l.assertion, l.asrtSig, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goxmldsig", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := goxmldsigC14N(l.assertion, l.asrtSig, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
