package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// TestSPKeyGenerateOnThePage: "Generate a signing/encryption key" on the
// Workspace login page publishes the certificates in the SP metadata and
// turns request signing on.
func TestSPKeyGenerateOnThePage(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	page := h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(md)).Body.String()
	if !strings.Contains(page, "Generate a signing key") || !strings.Contains(page, "Generate an encryption key") {
		t.Fatalf("no SP key actions on the page")
	}
	for _, use := range []string{"signing", "encryption"} {
		h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"spkeys"}, "use": {use}, "action": {"generate"}})
	}
	cfg, _ := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	if cfg.SPSigningKeyPEM == "" || cfg.SPEncryptionKeyPEM == "" || !cfg.SignRequests {
		t.Fatalf("keys not stored: signing %v encryption %v sign %v", cfg.SPSigningKeyPEM != "", cfg.SPEncryptionKeyPEM != "", cfg.SignRequests)
	}
	spmd := h.get("/api/sso/saml/"+cfg.ID+"/metadata", "").Body.String()
	if !strings.Contains(spmd, `use="signing"`) || !strings.Contains(spmd, `use="encryption"`) || !strings.Contains(spmd, `AuthnRequestsSigned="true"`) {
		t.Errorf("SP metadata:\n%s", spmd)
	}
	// A second generation keeps the first certificate as "previous".
	h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"spkeys"}, "use": {"encryption"}, "action": {"generate"}})
	spmd = h.get("/api/sso/saml/"+cfg.ID+"/metadata", "").Body.String()
	if n := strings.Count(spmd, `use="encryption"`); n != 2 {
		t.Errorf("%d encryption certificates during the rollover, want 2", n)
	}
	page = h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"spkeys"}, "use": {"encryption"}, "action": {"remove_previous"}}).Body.String()
	spmd = h.get("/api/sso/saml/"+cfg.ID+"/metadata", "").Body.String()
	if n := strings.Count(spmd, `use="encryption"`); n != 1 || strings.Contains(page, "Remove the previous encryption certificate") {
		t.Errorf("%d encryption certificates after removing the previous one", n)
	}
	events, _ := h.st.ListAudit(h.ctx, storeFilter(h, "config.sp_key"))
	if len(events) != 4 || strings.Contains(string(events[0].Details), "PRIVATE KEY") {
		t.Errorf("sp key audit: %d events", len(events))
	}
}

// TestEncryptedAssertionDuringRollover: after a new encryption key, an IdP
// still encrypting to the old certificate signs users in until the admin
// removes the previous key; then it is refused.
func TestEncryptedAssertionDuringRollover(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	ctx := context.Background()
	oldKey, oldCert, err := saml.GenerateSPKeyPair("old", e.svc.Now())
	must(t, err)
	must(t, e.svc.SetSPKey(ctx, "", e.cfg.WorkspaceID, workspace.SPKeyEncryption, oldKey, oldCert))
	newKey, newCert, err := saml.GenerateSPKeyPair("new", e.svc.Now())
	must(t, err)
	must(t, e.svc.SetSPKey(ctx, "", e.cfg.WorkspaceID, workspace.SPKeyEncryption, newKey, newCert))
	_, oldC, _ := saml.ParseKeyPair(oldKey, oldCert)
	_, newC, _ := saml.ParseKeyPair(newKey, newCert)

	signIn := func(cert any, who string) int {
		id := e.startLogin(e.client, "")
		raw, err := e.idp.Response(samltest.ResponseOptions{SPEntityID: e.acs(), ACSURL: e.acs(), InResponseTo: id,
			NameID: "nameid-" + who, Attributes: emailAttrs(who + "@example.com")})
		must(t, err)
		c := oldC
		if cert == "new" {
			c = newC
		}
		enc, err := samltest.EncryptAssertion(raw, c, samltest.AES256GCM, samltest.RSAOAEP)
		must(t, err)
		resp := e.postACS(e.client, base64.StdEncoding.EncodeToString(enc), "")
		body(t, resp)
		return resp.StatusCode
	}
	if code := signIn("new", "nia"); code != http.StatusSeeOther {
		t.Fatalf("new key: %d", code)
	}
	if code := signIn("old", "olaf"); code != http.StatusSeeOther {
		t.Fatalf("old key during the rollover: %d", code)
	}
	must(t, e.svc.RemovePreviousSPKey(ctx, "", e.cfg.WorkspaceID, workspace.SPKeyEncryption))
	if code := signIn("old", "otto"); code == http.StatusSeeOther {
		t.Fatal("old key accepted after the rollover ended")
	}
}

// TestSPKeysAPI: the API generates and installs keys and ends a rollover.
func TestSPKeysAPI(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(md))
	res := h.api(http.MethodPost, "/api/v1/workspaces/acme/saml/sp-keys", h.apiToken, map[string]string{"use": "encryption", "action": "generate"})
	first := decodeBody[spKeysJSON](t, res.Body.String())
	if res.Code != http.StatusOK || first.Encryption == nil || first.PreviousEncryption != nil {
		t.Fatalf("generate: %d %s", res.Code, res.Body.String())
	}
	key, cert, err := saml.GenerateSPKeyPair("mine", h.now)
	must(t, err)
	res = h.api(http.MethodPost, "/api/v1/workspaces/acme/saml/sp-keys", h.apiToken, map[string]string{"use": "encryption", "action": "install", "keyPEM": key, "certPEM": cert})
	second := decodeBody[spKeysJSON](t, res.Body.String())
	if res.Code != http.StatusOK || second.PreviousEncryption == nil || second.PreviousEncryption.SHA256 != first.Encryption.SHA256 {
		t.Fatalf("install: %d %s", res.Code, res.Body.String())
	}
	res = h.api(http.MethodPost, "/api/v1/workspaces/acme/saml/sp-keys", h.apiToken, map[string]string{"use": "encryption", "action": "install", "keyPEM": key, "certPEM": "junk"})
	if res.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad PEM: %d", res.Code)
	}
	res = h.api(http.MethodPost, "/api/v1/workspaces/acme/saml/sp-keys", h.apiToken, map[string]string{"use": "encryption", "action": "remove-previous"})
	if third := decodeBody[spKeysJSON](t, res.Body.String()); third.PreviousEncryption != nil {
		t.Errorf("remove-previous: %s", res.Body.String())
	}
}
