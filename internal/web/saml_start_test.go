package web

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// TestSignedAuthnRequest: with "sign requests" and an SP signing key, the
// HTTP-Redirect start carries SigAlg and a Signature that the SP
// certificate verifies over the query string as sent (SAML bindings §3.4.4.1).
func TestSignedAuthnRequest(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	keyPEM, certPEM, err := saml.GenerateSPKeyPair("gatehouse signing", time.Now())
	must(t, err)
	e.cfg.SPSigningKeyPEM, e.cfg.SPSigningCertPEM, e.cfg.SignRequests = keyPEM, certPEM, true
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	_, cert, err := saml.ParseKeyPair(keyPEM, certPEM)
	must(t, err)

	resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/login")
	body(t, resp)
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(t, err)
	raw := loc.RawQuery
	i := strings.Index(raw, "&Signature=")
	if i < 0 || loc.Query().Get("SigAlg") != "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" {
		t.Fatalf("unsigned or wrong SigAlg: %s", raw)
	}
	sig, err := base64.StdEncoding.DecodeString(loc.Query().Get("Signature"))
	must(t, err)
	sum := sha256.Sum256([]byte(raw[:i]))
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("request signature does not verify: %v", err)
	}

	// Binding cookie: short-lived, HttpOnly, Secure, SameSite=None.
	var binding *http.Cookie
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, bindingCookiePrefix) {
			binding = c
		}
	}
	if binding == nil || !binding.HttpOnly || !binding.Secure || binding.SameSite != http.SameSiteNoneMode ||
		binding.MaxAge <= 0 || binding.MaxAge > 600 {
		t.Errorf("binding cookie %+v", binding)
	}
}
