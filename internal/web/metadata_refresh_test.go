package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// metadataServer serves whatever document is current and counts fetches.
type metadataServer struct {
	mu      sync.Mutex
	doc     []byte
	fetches atomic.Int32
	srv     *httptest.Server
}

func newMetadataServer(t *testing.T, doc []byte) *metadataServer {
	m := &metadataServer{doc: doc}
	m.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		m.fetches.Add(1)
		m.mu.Lock()
		defer m.mu.Unlock()
		_, _ = w.Write(m.doc)
	}))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *metadataServer) set(doc []byte) {
	m.mu.Lock()
	m.doc = doc
	m.mu.Unlock()
}

// TestKeyRolloverRefreshesMetadata: the IdP rolls its signing key over and
// publishes new metadata at its URL. The first response signed by the new
// key is rejected but triggers one refresh; the next sign-in succeeds.
func TestKeyRolloverRefreshesMetadata(t *testing.T) {
	md := newMetadataServer(t, nil)
	e := newTestEnv(t, testOptions{signup: true, metadataClient: md.srv.Client()})
	rolled, err := samltest.NewIdP(e.idp.EntityID) // same IdP, new key
	must(t, err)
	md.set(rolled.MetadataXML())
	e.cfg.MetadataURL = md.srv.URL + "/federationmetadata.xml"
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	e.idp = rolled

	genericFailure(t, e.signIn(e.client, "uma@example.com", ""), http.StatusForbidden)
	e.web.sso.Wait()
	if n := md.fetches.Load(); n != 1 {
		t.Fatalf("fetches after an unknown key = %d, want 1", n)
	}
	resp := e.signIn(e.client, "uma@example.com", "")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in after the refresh: %d", resp.StatusCode)
	}
	if n := e.audit("config.saml"); len(n) == 0 {
		t.Error("the refresh was not audited as a config change")
	}
}

func TestRefreshKeepsLastGoodMetadata(t *testing.T) {
	md := newMetadataServer(t, []byte("<not metadata/>"))
	e := newTestEnv(t, testOptions{signup: true, metadataClient: md.srv.Client()})
	good := e.cfg.MetadataXML
	e.cfg.MetadataURL = md.srv.URL
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	if saved, err := e.web.sso.Refresh(context.Background(), e.cfg.ID); saved || err == nil {
		t.Fatalf("bad document: saved %v err %v, want an error and nothing saved", saved, err)
	}
	cfg, err := e.st.GetSAMLConfig(context.Background(), e.cfg.ID)
	must(t, err)
	if cfg.MetadataXML != good {
		t.Fatal("a bad fetched document replaced the stored metadata")
	}
	// An unchanged document is not saved again (no audit noise).
	md.set([]byte(good))
	if saved, err := e.web.sso.Refresh(context.Background(), e.cfg.ID); saved || err != nil {
		t.Errorf("unchanged document: saved %v err %v", saved, err)
	}
	// The sign-in still works with the last good metadata.
	resp := e.signIn(e.client, "vic@example.com", "")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the last good metadata: %d", resp.StatusCode)
	}
}

func TestUnknownKeyRefreshIsThrottled(t *testing.T) {
	md := newMetadataServer(t, nil)
	e := newTestEnv(t, testOptions{signup: true, metadataClient: md.srv.Client()})
	md.set([]byte(e.cfg.MetadataXML)) // the IdP does not publish the attacker's key
	e.cfg.MetadataURL = md.srv.URL
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	attacker, err := samltest.NewIdP(e.idp.EntityID)
	must(t, err)
	e.idp = attacker
	for i := 0; i < 3; i++ {
		genericFailure(t, e.signIn(e.newClient(), "eve@example.com", ""), http.StatusForbidden)
		e.web.sso.Wait()
	}
	if n := md.fetches.Load(); n != 1 {
		t.Errorf("fetches = %d, want 1 (throttled)", n)
	}
	if e.countUsers() != 0 {
		t.Error("an untrusted key signed someone in")
	}
}
