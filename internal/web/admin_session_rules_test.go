package web

import (
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// ssoSession opens a session for user as if they had signed in through cfg.
func (h *harness) ssoSession(user *store.User, cfg *store.SAMLConfig) string {
	h.t.Helper()
	token := "sso-session-" + user.ID
	sum := sha256.Sum256([]byte(token))
	if err := h.st.CreateSession(h.ctx, &store.Session{TokenHash: sum[:], UserID: user.ID, WorkspaceID: h.ws.ID, ConfigID: cfg.ID,
		NameID: "nameid-" + user.ID, CreatedAt: h.now, ExpiresAt: h.now.Add(time.Hour)}); err != nil {
		h.t.Fatal(err)
	}
	return token
}

// TestDisablingSSOEndsItsSessions: after SSO is turned off, a session
// opened through it is refused at its next request; password sessions
// go on. The admin signed in through it cannot turn it off from the page.
func TestDisablingSSOEndsItsSessions(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(md))
	cfg, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	carol, _ := h.member(h.ws, "carol@acme.example", "admin")
	carolSSO := h.ssoSession(carol, cfg)
	bobSSO := h.ssoSession(h.builderUser, cfg)
	if res := h.get("/w/acme", bobSSO); res.Code != http.StatusOK {
		t.Fatalf("SSO session before: %d", res.Code)
	}
	off := samlForm("")
	off.Del("enabled")
	res := h.post("/settings/acme/workspace-login", carolSSO, off)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "You are signed in through this SSO") {
		t.Fatalf("disabling one's own SSO: %d", res.Code)
	}
	h.postFollow("/settings/acme/workspace-login", h.adminToken, off)
	if c, _ := h.st.GetSAMLConfig(h.ctx, cfg.ID); c.Enabled {
		t.Fatal("SSO still enabled")
	}
	if res := h.get("/w/acme", bobSSO); res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login/acme") {
		t.Errorf("SSO session after SSO was disabled: %d %q", res.Code, res.Header().Get("Location"))
	}
	if res := h.get("/w/acme", h.builderToken); res.Code != http.StatusOK {
		t.Errorf("password session ended: %d", res.Code)
	}
}

// TestNarrowingDomainsEndsSessions: a member whose domain is no longer
// allowed is signed out at the next request, and an admin cannot save
// domains that leave out their own address.
func TestNarrowingDomainsEndsSessions(t *testing.T) {
	h := newHarness(t)
	_, partner := h.member(h.ws, "pat@partner.example", "end-user")
	res := h.post("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"login"}, "password_login": {"on"}, "allowed_domains": {"partner.example"}})
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "your own address ada@acme.example is not in the list") {
		t.Fatalf("domains without the admin's own: %d", res.Code)
	}
	h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"login"}, "password_login": {"on"}, "allowed_domains": {"acme.example"}})
	if res := h.get("/w/acme", partner); res.Code != http.StatusSeeOther {
		t.Errorf("session of a removed domain: %d", res.Code)
	}
	if res := h.get("/w/acme", h.builderToken); res.Code != http.StatusOK {
		t.Errorf("session of an allowed domain: %d", res.Code)
	}
}
