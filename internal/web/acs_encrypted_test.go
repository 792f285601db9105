package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// TestEncryptedAssertionSignsIn configures an SP encryption key pair: the
// SP metadata then offers its certificate, and an EncryptedAssertion
// (AES-256-GCM, RSA-OAEP) made for it signs the user in (docs/saml.md, "Encrypted assertions").
func TestEncryptedAssertionSignsIn(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	keyPEM, certPEM, err := saml.GenerateSPKeyPair("gatehouse test SP", time.Now())
	must(t, err)
	e.cfg.SPEncryptionKeyPEM, e.cfg.SPEncryptionCertPEM = keyPEM, certPEM
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	_, cert, err := saml.ParseKeyPair(keyPEM, certPEM)
	must(t, err)

	md := body(t, e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/metadata"))
	if !strings.Contains(md, `use="encryption"`) || !strings.Contains(md, base64.StdEncoding.EncodeToString(cert.Raw)[:60]) {
		t.Errorf("SP metadata lacks the encryption certificate:\n%s", md)
	}

	id := e.startLogin(e.client, "")
	raw, err := e.idp.Response(samltest.ResponseOptions{SPEntityID: e.acs(), ACSURL: e.acs(), InResponseTo: id,
		NameID: "nameid-wes", Attributes: emailAttrs("wes@example.com")})
	must(t, err)
	enc, err := samltest.EncryptAssertion(raw, cert, samltest.AES256GCM, samltest.RSAOAEP)
	must(t, err)
	if strings.Contains(string(enc), "wes@example.com") {
		t.Fatal("the test response is not encrypted")
	}
	resp := e.postACS(e.client, base64.StdEncoding.EncodeToString(enc), "")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme" {
		t.Fatalf("encrypted assertion: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if page := body(t, e.get(e.client, "/w/acme")); !strings.Contains(page, "wes@example.com") {
		t.Error("not signed in as the encrypted assertion's user")
	}
}
