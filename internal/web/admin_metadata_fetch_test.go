package web

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// tlsMetadataServer serves body at /md over TLS on loopback and returns a
// fetcher that trusts it.
func tlsMetadataServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, pool
}

func TestMetadataFetcherLoopbackRefusedUnlessAllowed(t *testing.T) {
	_, md := goodMetadata(t)
	srv, pool := tlsMetadataServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(md)) })
	refused := &metadataFetcher{rootCAs: pool}
	if _, err := refused.fetch(context.Background(), srv.URL+"/md"); !errors.Is(err, errPrivateAddress) {
		t.Fatalf("loopback fetched without permission: %v", err)
	}
	allowed := &metadataFetcher{rootCAs: pool, allowPrivate: true}
	got, err := allowed.fetch(context.Background(), srv.URL+"/md")
	if err != nil || string(got) != md {
		t.Fatalf("allowed fetch: %v (%d bytes)", err, len(got))
	}
}

func TestMetadataFetcherLimits(t *testing.T) {
	srv, pool := tlsMetadataServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Write([]byte(strings.Repeat("x", maxMetadataLen+1)))
		case "/missing":
			http.NotFound(w, r)
		case "/to-http":
			http.Redirect(w, r, "http://example.com/md", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
	})
	f := &metadataFetcher{rootCAs: pool, allowPrivate: true}
	for path, want := range map[string]string{
		"/big": "larger than", "/missing": "HTTP 404", "/to-http": "non-https", "/loop": "too many redirects",
	} {
		if _, err := f.fetch(context.Background(), srv.URL+path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error containing %q", path, err, want)
		}
	}
	// An untrusted certificate is refused even for allowed addresses.
	if _, err := (&metadataFetcher{allowPrivate: true}).fetch(context.Background(), srv.URL+"/missing"); err == nil {
		t.Error("self-signed certificate accepted")
	}
}

func TestIsPublicAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "::1": false, "fd00::1": false, "fe80::1": false, "224.0.0.1": false,
	} {
		if got := isPublicAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("%s: %v, want %v", s, got, want)
		}
	}
}

func TestWorkspaceLoginMetadataURLPrivateRefused(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	srv, _ := tlsMetadataServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(md)) })
	form := url.Values{"section": {"saml"}, "enabled": {"on"}, "metadata_url": {srv.URL + "/md"}}
	res := h.post("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Metadata URL: the host resolves to a private") {
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
