package web

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMetadataMistakesGetAdminWording: a URL pasted into the XML box is
// pointed to the Metadata URL field; an unreachable or untrusted metadata
// URL gets a sentence with the next step, not a Go error chain.
func TestMetadataMistakesGetAdminWording(t *testing.T) {
	h := newHarness(t)
	res := h.post("/settings/acme/workspace-login", h.adminToken, samlForm("  https://login.microsoftonline.com/tenant/federationmetadata/2007-06/federationmetadata.xml?appid=x \n"))
	if body := res.Body.String(); res.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "this is a URL, not the metadata XML. Put it in the Metadata URL field instead") ||
		!strings.Contains(body, `name="metadata_xml" rows="12" cols="80" spellcheck="false" aria-describedby="saml-metadata-help" aria-invalid="true"`) {
		t.Errorf("URL in the XML box: %d\n%s", res.Code, between(body, `id="saml-error">`, "</div>"))
	}

	h.srv.sso.Fetch.AllowPrivate = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	form := url.Values{"section": {"saml"}, "enabled": {"on"}, "metadata_url": {"https://" + closed + "/md"}}
	body := h.post("/settings/acme/workspace-login", h.adminToken, form).Body.String()
	msg := between(body, `id="saml-error">`, "</div>")
	if !strings.Contains(msg, "this server could not connect to the metadata server") || !strings.Contains(msg, "Or paste the metadata XML") ||
		strings.Contains(msg, "dial tcp") || strings.Contains(msg, `Get &#34;`) {
		t.Errorf("unreachable URL: %s", msg)
	}

	srv := tlsMetadataServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<x/>")) })
	form.Set("metadata_url", srv.URL+"/md")
	msg = between(h.post("/settings/acme/workspace-login", h.adminToken, form).Body.String(), `id="saml-error">`, "</div>")
	if !strings.Contains(msg, "the server&#39;s TLS certificate is not trusted by this server") {
		t.Errorf("untrusted certificate: %s", msg)
	}
}

// TestEntraCommonMetadataRefused: the multi-tenant metadata (entity ID
// with the literal {tenantid}) is refused with where to find the tenant's
// own metadata; nothing is saved.
func TestEntraCommonMetadataRefused(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "idp", "entra", "tenant-8b966979-2017-FederationMetadata.xml"))
	if err != nil {
		t.Fatal(err)
	}
	common := strings.ReplaceAll(string(raw), `entityID="https://sts.windows.net/8b966979-910b-487c-a604-69229b1ac75c/"`, `entityID="https://sts.windows.net/{tenantid}/"`)
	if common == string(raw) {
		t.Fatal("fixture's entity ID not found")
	}
	h := newHarness(t)
	res := h.post("/settings/acme/workspace-login", h.adminToken, samlForm(common))
	msg := between(res.Body.String(), `id="saml-error">`, "</div>")
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, "multi-tenant (&#34;common&#34;) metadata") ||
		!strings.Contains(msg, "App Federation Metadata Url") {
		t.Fatalf("common metadata: %d %s", res.Code, msg)
	}
	if _, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); err == nil {
		t.Error("common metadata was saved")
	}
}

// TestSSOOffStatusOnThePage: a disabled config is announced as off.
func TestSSOOffStatusOnThePage(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	page := h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(md)).Body.String()
	if !strings.Contains(page, `id="sso-status"><strong>SSO is on.</strong>`) {
		t.Error("enabled SSO not announced")
	}
	off := samlForm("")
	off.Del("enabled")
	page = h.postFollow("/settings/acme/workspace-login", h.adminToken, off).Body.String()
	if !strings.Contains(page, `<strong>SSO is off.</strong> Members cannot sign in with it`) {
		t.Error("disabled SSO not announced")
	}
}
