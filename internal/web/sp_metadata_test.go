package web

import (
	"net/http"
	"strings"
	"testing"
)

// The SP metadata of a known config is served; an unknown config ID is a
// 404 page (lookupFailed), not a server error.
func TestSPMetadataKnownAndUnknownConfig(t *testing.T) {
	e := newTestEnv(t, testOptions{})
	resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/metadata")
	doc := body(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/samlmetadata+xml" ||
		!strings.Contains(doc, `entityID="`+e.acs()+`"`) {
		t.Fatalf("metadata: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp = e.get(e.client, "/api/sso/saml/00000000-0000-0000-0000-000000000000/metadata")
	body(t, resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown config: %d, want 404", resp.StatusCode)
	}
}
