package saml

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// idpSigner is an IdP key pair for logout messages the IdP sends.
func idpSigner(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	key := mdKey(t, 0)
	return key, mdCert(t, key, "idp logout signer", reqNow.AddDate(1, 0, 0))
}

func wantReasonIs(t *testing.T, err error, r Reason) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Reason != r {
		t.Fatalf("want %s, got %v", r, err)
	}
}

// idpRedirectQuery is the raw query of a LogoutRequest the IdP sends by
// HTTP-Redirect, signed with key (nil = unsigned), behind the IdP's own
// query parameter.
func idpRedirectQuery(t *testing.T, key *rsa.PrivateKey, relayState string) string {
	t.Helper()
	u, err := redirectURL("https://sso.example.com/slo?cfg=1", "SAMLRequest", []byte(idpLogoutRequest), relayState, key)
	if err != nil {
		t.Fatal(err)
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return pu.RawQuery
}

func TestVerifyRedirectSignature(t *testing.T) {
	key, cert := idpSigner(t)
	other := mdCert(t, mdKey(t, 1), "someone else", reqNow.AddDate(1, 0, 0))
	trust := &TrustConfig{Certs: []*x509.Certificate{other, cert}}
	q := idpRedirectQuery(t, key, "state/1")
	if err := VerifyRedirectSignature(q, trust); err != nil {
		t.Fatalf("valid signature refused: %v", err)
	}
	cases := []struct {
		name, query string
		trust       *TrustConfig
		want        Reason
	}{
		{"untrusted key", q, &TrustConfig{Certs: []*x509.Certificate{other}}, ReasonSignatureInvalid},
		{"RelayState changed", strings.Replace(q, "RelayState=state%2F1", "RelayState=state%2F2", 1), trust, ReasonSignatureInvalid},
		{"RelayState dropped", strings.Replace(q, "&RelayState=state%2F1", "", 1), trust, ReasonSignatureInvalid},
		{"unsigned", idpRedirectQuery(t, nil, ""), trust, ReasonSignatureMissing},
		{"SigAlg swapped", strings.Replace(q, url.QueryEscape(SigAlgRSASHA256), url.QueryEscape("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"), 1), trust, ReasonSignatureInvalid},
		{"HMAC SigAlg", strings.Replace(q, url.QueryEscape(SigAlgRSASHA256), url.QueryEscape("http://www.w3.org/2000/09/xmldsig#hmac-sha1"), 1), trust, ReasonAlgorithmForbidden},
		{"repeated parameter", q + "&RelayState=x", trust, ReasonMalformedXML},
		{"no message", "SigAlg=x&Signature=y", trust, ReasonMalformedXML},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantReasonIs(t, VerifyRedirectSignature(c.query, c.trust), c.want)
		})
	}
}

// signQuery signs "SAMLRequest=<v>&SigAlg=<alg>" by hand with sign.
func signQuery(alg string, sign func(signed []byte) []byte) string {
	signed := "SAMLRequest=abc&SigAlg=" + url.QueryEscape(alg)
	return signed + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sign([]byte(signed))))
}

func TestVerifyRedirectSignatureSHA1AndECDSA(t *testing.T) {
	key, cert := idpSigner(t)
	sha1Query := signQuery("http://www.w3.org/2000/09/xmldsig#rsa-sha1", func(b []byte) []byte {
		sum := sha1.Sum(b)
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	})
	wantReasonIs(t, VerifyRedirectSignature(sha1Query, &TrustConfig{Certs: []*x509.Certificate{cert}}), ReasonSHA1NotAllowed)
	if err := VerifyRedirectSignature(sha1Query, &TrustConfig{Certs: []*x509.Certificate{cert}, AllowSHA1: true}); err != nil {
		t.Errorf("SHA-1 refused although allowed: %v", err)
	}

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), NotBefore: reqNow, NotAfter: reqNow.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ec.PublicKey, ec)
	if err != nil {
		t.Fatal(err)
	}
	ecCert, _ := x509.ParseCertificate(der)
	ecTrust := &TrustConfig{Certs: []*x509.Certificate{cert, ecCert}}
	asn1Query := signQuery("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", func(b []byte) []byte {
		sum := sha256.Sum256(b)
		sig, err := ecdsa.SignASN1(rand.Reader, ec, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	})
	rawQuery := signQuery("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", func(b []byte) []byte {
		sum := sha256.Sum256(b)
		r, s, err := ecdsa.Sign(rand.Reader, ec, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	})
	for name, q := range map[string]string{"ASN.1": asn1Query, "r||s": rawQuery} {
		if err := VerifyRedirectSignature(q, ecTrust); err != nil {
			t.Errorf("ECDSA %s refused: %v", name, err)
		}
	}
	wantReasonIs(t, VerifyRedirectSignature(strings.Replace(rawQuery, "abc", "abd", 1), ecTrust), ReasonSignatureInvalid)
}

func TestParseSignedLogoutRequest(t *testing.T) {
	key, cert := idpSigner(t)
	trust := &TrustConfig{Certs: []*x509.Certificate{cert}}
	msg := strings.Replace(idpLogoutRequest, "NAMEID", "bob@example.com", 1)
	doc := etree.NewDocument()
	if err := doc.ReadFromString(msg); err != nil {
		t.Fatal(err)
	}
	signedEl, err := samltest.SignElementWith(key, cert, doc.Root(), "")
	if err != nil {
		t.Fatal(err)
	}
	doc.SetRoot(signedEl)
	signed, err := samltest.Serialize(doc)
	if err != nil {
		t.Fatal(err)
	}
	lr, err := ParseSignedLogoutRequest(signed, trust)
	if err != nil {
		t.Fatal(err)
	}
	if lr.NameID != "bob@example.com" || lr.ID != "_lr1" || lr.SessionIndex != "_s1" || lr.Issuer != "https://sts.windows.net/tenant/" {
		t.Errorf("parsed %+v", lr)
	}
	_, err = ParseSignedLogoutRequest([]byte(strings.Replace(string(signed), "bob@", "eve@", 1)), trust)
	wantReasonIs(t, err, ReasonDigestMismatch)
	_, err = ParseSignedLogoutRequest([]byte(msg), trust)
	wantReasonIs(t, err, ReasonSignatureMissing)
	other := &TrustConfig{Certs: []*x509.Certificate{mdCert(t, mdKey(t, 1), "other", reqNow.AddDate(1, 0, 0))}}
	if _, err := ParseSignedLogoutRequest(signed, other); err == nil {
		t.Error("accepted with an untrusted key")
	}
}
