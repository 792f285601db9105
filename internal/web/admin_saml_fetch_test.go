package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// tlsMetadataServer serves h over TLS on loopback.
func tlsMetadataServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// The save path refuses what the fetcher refuses, with the settings page's
// texts; the fetcher's own cases are tested in internal/saml.
func TestWorkspaceLoginMetadataURLPrivateRefused(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	srv := tlsMetadataServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(md)) })
	form := url.Values{"section": {"saml"}, "enabled": {"on"}, "metadata_url": {srv.URL + "/md"}}
	res := h.post("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body.String(), "Metadata URL: the host resolves to a private, loopback or link-local address, which this instance does not allow (GATEHOUSE_ALLOW_PRIVATE_METADATA_URLS)") {
		t.Fatalf("status %d", res.Code)
	}
	if _, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("config stored: %v", err)
	}
	form.Set("metadata_url", "http://idp.example.com/md")
	if res := h.post("/settings/acme/workspace-login", h.adminToken, form); res.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body.String(), "must be an absolute https:// URL") {
		t.Errorf("http URL: %d", res.Code)
	}
}

// With the options the refresh uses (private addresses allowed, the
// instance's TLS client), the save path fetches and stores the document,
// and a failing URL shows the fetcher's reason without a "fetch metadata"
// prefix.
func TestWorkspaceLoginMetadataURLFetchedWithRefreshOptions(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	srv := tlsMetadataServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(md))
	})
	h.srv.sso.Fetch.AllowPrivate = true
	h.srv.sso.Fetch.Client = srv.Client()

	form := url.Values{"section": {"saml"}, "enabled": {"on"}, "metadata_url": {srv.URL + "/missing"}}
	res := h.post("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Metadata URL: the server answered HTTP 404") {
		t.Fatalf("missing document: status %d", res.Code)
	}
	form.Set("metadata_url", srv.URL+"/md")
	if res := h.post("/settings/acme/workspace-login", h.adminToken, form); res.Code >= 400 {
		t.Fatalf("save: status %d", res.Code)
	}
	cfg, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	if err != nil || cfg.MetadataXML != md {
		t.Fatalf("stored config: %v (metadata stored: %v)", err, cfg != nil && cfg.MetadataXML == md)
	}

	// Without the instance's TLS client the test CA is not trusted.
	h.srv.sso.Fetch.Client = nil
	if _, err := saml.FetchIdPMetadata(h.ctx, srv.URL+"/md", h.srv.sso.Fetch); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
}
