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
