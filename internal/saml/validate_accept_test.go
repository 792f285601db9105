package saml

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"reflect"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

func TestAcceptsEachSigningMode(t *testing.T) {
	for _, mode := range []struct {
		assertion, response bool
		want                string
	}{{true, false, "Assertion"}, {false, true, "Response"}, {true, true, "Response+Assertion"}} {
		t.Run(mode.want, func(t *testing.T) {
			o := baseOpts()
			o.SignAssertion, o.SignResponse = mode.assertion, mode.response
			o.AssertionID, o.ResponseID = "_a1", "_r1"
			a := mustAccept(t, signedResponse(t, o))
			idp, _ := idps(t)
			want := &Assertion{
				ID: "_a1", ResponseID: "_r1", Issuer: testIdPEntity, NameID: testNameID,
				NameIDFormat: NameIDFormatEmail, SPNameQualifier: testSPEntity, SessionIndex: "_sess-1",
				InResponseTo: testRequestID, AuthnInstant: o.Now.Truncate(time.Millisecond),
				IssueInstant: o.Now.Truncate(time.Millisecond), NotOnOrAfter: o.Now.Add(5 * time.Minute).Truncate(time.Millisecond),
				ReplayUntil: o.Now.Add(5*time.Minute + DefaultClockSkew).Truncate(time.Millisecond),
				Attributes: []Attribute{
					{Name: "email", Values: []string{testNameID}},
					{Name: "groups", Values: []string{"admins", "builders"}},
				},
				SignedElement: mode.want, SigningCertSHA256: CertSHA256(idp.Cert),
				ClockDifference: 30 * time.Second,
			}
			if !reflect.DeepEqual(a, want) {
				t.Fatalf("got  %+v\nwant %+v", a, want)
			}
		})
	}
}

func TestStrongerHashesAccepted(t *testing.T) {
	for _, m := range []string{
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
	} {
		o := baseOpts()
		o.SignatureMethod = m
		if a := mustAccept(t, signedResponse(t, o)); a.NameID != testNameID {
			t.Fatalf("%s: NameID %q", m, a.NameID)
		}
	}
}

func TestSHA1OnlyWhenAllowed(t *testing.T) {
	o := baseOpts()
	o.SignatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	raw := signedResponse(t, o)
	wantRejected(t, raw, ReasonSHA1NotAllowed)
	trust := baseTrust(t)
	trust.AllowSHA1 = true
	if _, err := ValidateResponse(raw, trust, baseExp(), testNow); err != nil {
		t.Fatalf("SHA-1 with AllowSHA1: %v", err)
	}
}

// Entra lists old and new certificates during rollover, and responses may
// come without KeyInfo: every trusted certificate is tried.
func TestEveryTrustedCertificateIsTried(t *testing.T) {
	idp, evil := idps(t)
	raw := signedResponse(t, baseOpts())
	noKeyInfo := tamper(t, raw, func(root *etree.Element) {
		sig := el(t, root, "./Assertion/Signature")
		sig.RemoveChild(el(t, sig, "./KeyInfo"))
	})
	for _, doc := range [][]byte{raw, noKeyInfo} {
		trust := baseTrust(t)
		trust.Certs = []*x509.Certificate{evil.Cert, idp.Cert}
		a, err := ValidateResponse(doc, trust, baseExp(), testNow)
		if err != nil {
			t.Fatal(err)
		}
		if a.SigningCertSHA256 != CertSHA256(idp.Cert) {
			t.Fatal("SigningCertSHA256 is not the certificate that verified")
		}
	}
}

// Certificate validity dates are not enforced (docs/saml.md, validation rule 2).
func TestExpiredTrustedCertificateStillVerifies(t *testing.T) {
	idp, _ := idps(t)
	o := baseOpts()
	o.Now = idp.Cert.NotAfter.AddDate(1, 0, 0)
	trust := baseTrust(t)
	if _, err := ValidateResponse(signedResponse(t, o), trust, baseExp(), o.Now.Add(time.Second)); err != nil {
		t.Fatalf("expired trusted certificate: %v", err)
	}
}

func TestUnsolicitedAcceptedOnlyWhenAllowed(t *testing.T) {
	o := baseOpts()
	o.InResponseTo = ""
	raw := signedResponse(t, o)
	wantRejected(t, raw, ReasonUnsolicitedNotAllowed)
	exp := baseExp()
	exp.AllowUnsolicited = true
	a, err := ValidateResponse(raw, baseTrust(t), exp, testNow)
	if err != nil || a.InResponseTo != "" {
		t.Fatalf("unsolicited with AllowUnsolicited: %v %+v", err, a)
	}
}

// TestReplayUntilIncludesSkew: the caller remembers the assertion ID until
// NotOnOrAfter plus the configured skew, or the default skew when none is
// configured; validation itself does not check replay (the caller does,
// atomically with the sign-in).
func TestReplayUntilIncludesSkew(t *testing.T) {
	raw := signedResponse(t, baseOpts())
	for skew, want := range map[time.Duration]time.Duration{0: DefaultClockSkew, 90 * time.Second: 90 * time.Second} {
		exp := baseExp()
		exp.ClockSkew = skew
		for range 2 { // the same response validates twice
			a, err := ValidateResponse(raw, baseTrust(t), exp, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.ReplayUntil.Sub(a.NotOnOrAfter); got != want || a.NotOnOrAfter.IsZero() {
				t.Errorf("skew %v: ReplayUntil is NotOnOrAfter + %v, want + %v", skew, got, want)
			}
		}
	}
}

func TestECDSASignatureRawForm(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := samltest.SelfSignedECDSACert(key, "ecdsa idp")
	if err != nil {
		t.Fatal(err)
	}
	idp, _ := idps(t)
	sign := func(asn1Form bool) []byte {
		doc := idp.BuildResponse(baseOpts())
		a := el(t, doc.Root(), "./Assertion")
		signed, err := samltest.SignElementECDSA(key, cert, a, "", asn1Form)
		if err != nil {
			t.Fatal(err)
		}
		samltest.ReplaceChild(doc.Root(), a, signed)
		out, err := samltest.Serialize(doc)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	trust := baseTrust(t)
	trust.Certs = []*x509.Certificate{idp.Cert, cert}
	a, err := ValidateResponse(sign(false), trust, baseExp(), testNow)
	if err != nil {
		t.Fatalf("ECDSA r||s: %v", err)
	}
	if a.SigningCertSHA256 != CertSHA256(cert) {
		t.Fatal("wrong signing certificate reported")
	}
	_, err = ValidateResponse(sign(true), trust, baseExp(), testNow)
	wantReason(t, err, ReasonSignatureInvalid)
}

func TestShortRSAKeyRefused(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := samltest.SelfSignedCert(key, "weak idp")
	if err != nil {
		t.Fatal(err)
	}
	idp, _ := idps(t)
	doc := idp.BuildResponse(baseOpts())
	a := el(t, doc.Root(), "./Assertion")
	signed, err := samltest.SignElementWith(key, cert, a, "")
	if err != nil {
		t.Fatal(err)
	}
	samltest.ReplaceChild(doc.Root(), a, signed)
	raw, _ := samltest.Serialize(doc)
	trust := baseTrust(t)
	trust.Certs = []*x509.Certificate{cert}
	_, err = ValidateResponse(raw, trust, baseExp(), testNow)
	wantReason(t, err, ReasonKeyTooShort)
}

func TestNoTrustedCertificates(t *testing.T) {
	trust := baseTrust(t)
	trust.Certs = nil
	_, err := ValidateResponse(signedResponse(t, baseOpts()), trust, baseExp(), testNow)
	wantReason(t, err, ReasonNoTrustedCertificates)
}

// The returned identity is read from the very node whose canonical bytes
// were hashed (no re-lookup, no second tree), and a change to that node
// before verification is a digest mismatch: what is read is what was
// signed.
func TestVerifiedElementIsTheHashedNode(t *testing.T) {
	raw := signedResponse(t, baseOpts())
	root, err := parseResponseXML(raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	a := el(t, root, "./Assertion")
	verified, _, err := verifySignature(a, el(t, a, "./Signature"), baseTrust(t))
	if err != nil {
		t.Fatal(err)
	}
	if verified != a {
		t.Fatal("verifySignature returned another element than the one it hashed")
	}
	root, err = parseResponseXML(raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	a = el(t, root, "./Assertion")
	el(t, a, "./Subject/NameID").SetText("mallory@example.com")
	_, _, err = verifySignature(a, el(t, a, "./Signature"), baseTrust(t))
	wantReason(t, err, ReasonDigestMismatch)
}

// The ACS validates many responses at once: ValidateResponse keeps no
// shared state (run with -race to check).
func TestConcurrentValidation(t *testing.T) {
	raws := [][]byte{signedResponse(t, baseOpts())}
	o := baseOpts()
	o.SignAssertion, o.SignResponse = true, true
	raws = append(raws, signedResponse(t, o))
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			var err error
			for j := 0; j < 5 && err == nil; j++ {
				_, err = ValidateResponse(raws[(i+j)%2], baseTrust(t), baseExp(), testNow)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
