package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// tokenShown extracts the SCIM token the page shows once.
var tokenShown = regexp.MustCompile(`id="scim-token" value="(gtscim_[A-Za-z0-9_-]+)"`)

func TestWorkspaceLoginSCIMSection(t *testing.T) {
	h := newHarness(t)
	page := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	for _, want := range []string{`id="scim-tenant-url" value="https://sso.example.com/scim/v2/acme" readonly`, "none: provisioning is off",
		`value="create">Create token`, "The SAML groups claim"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	res := h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"scim"}, "action": {"create"}})
	body := res.Body.String()
	m := tokenShown.FindStringSubmatch(body)
	if res.Code != http.StatusOK || m == nil {
		t.Fatalf("create: %d, no token shown", res.Code)
	}
	if _, err := h.svc.AuthenticateSCIMToken(h.ctx, "acme", m[1]); err != nil {
		t.Fatalf("the token shown does not authenticate: %v", err)
	}
	again := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	if strings.Contains(again, m[1]) || !strings.Contains(again, "Rotate token") || !strings.Contains(again, "Last provisioning request</dt><dd>never") {
		t.Fatal("the token is shown again, or the page does not show the token's state")
	}

	// Rotation and revocation ask first; unconfirmed, nothing changes.
	res = h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"scim"}, "action": {"create"}})
	if !strings.Contains(res.Body.String(), "Rotate the SCIM token?") || tokenShown.MatchString(res.Body.String()) {
		t.Fatal("rotation did not ask for confirmation")
	}
	if _, err := h.svc.AuthenticateSCIMToken(h.ctx, "acme", m[1]); err != nil {
		t.Fatal("an unconfirmed rotation changed the token")
	}
	// Rotation: the old token stops working.
	res = h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"scim"}, "action": {"create"}, "confirmed": {"yes"}})
	if m2 := tokenShown.FindStringSubmatch(res.Body.String()); m2 == nil || m2[1] == m[1] {
		t.Fatal("rotation showed no new token")
	}
	if _, err := h.svc.AuthenticateSCIMToken(h.ctx, "acme", m[1]); err == nil {
		t.Fatal("the rotated token still works")
	}
	// Revocation.
	res = h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"scim"}, "action": {"revoke"}, "confirmed": {"yes"}})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "SCIM token revoked") {
		t.Fatalf("revoke: %d", res.Code)
	}
	res = h.post("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"scim"}, "action": {"revoke"}})
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "no SCIM token to revoke") {
		t.Fatalf("revoke twice: %d", res.Code)
	}
	// Builders cannot reach the page or its form.
	if res := h.post("/settings/acme/workspace-login", h.builderToken, url.Values{"section": {"scim"}, "action": {"create"}}); res.Code == http.StatusOK {
		t.Fatal("a builder created a SCIM token")
	}
	audit := h.get("/settings/acme/audit?kind=scim", h.adminToken).Body.String()
	if !strings.Contains(audit, `<option value="scim" selected>`) || !strings.Contains(audit, "SCIM token revoked") {
		t.Error("the audit page offers no scim filter or does not list the token events")
	}
	evs, err := h.st.ListAudit(h.ctx, storeAuditFilter(h, workspace.KindSCIMToken))
	if err != nil || len(evs) != 3 {
		t.Fatalf("token audit events: %d %v, want create, rotate, revoke", len(evs), err)
	}
}

func TestAPISCIMToken(t *testing.T) {
	h := newHarness(t)
	res := h.api("GET", "/api/v1/workspaces/acme/scim", h.apiToken, nil)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"enabled": false`) ||
		!strings.Contains(res.Body.String(), `"tenantUrl": "https://sso.example.com/scim/v2/acme"`) {
		t.Fatalf("status: %d %s", res.Code, res.Body)
	}
	res = h.api("POST", "/api/v1/workspaces/acme/scim/token", h.apiToken, nil)
	var out struct {
		Token   string `json:"token"`
		Enabled bool   `json:"enabled"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil || res.Code != http.StatusCreated || !out.Enabled ||
		!strings.HasPrefix(out.Token, "gtscim_") {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	if res := h.api("GET", "/api/v1/workspaces/acme/scim", h.apiToken, nil); strings.Contains(res.Body.String(), out.Token) {
		t.Fatal("GET shows the token")
	}
	if res := h.api("POST", "/api/v1/workspaces/other/scim/token", h.apiToken, nil); res.Code != http.StatusNotFound {
		t.Fatalf("another workspace's token endpoint: %d", res.Code)
	}
	if res := h.api("DELETE", "/api/v1/workspaces/acme/scim/token", h.apiToken, nil); res.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.Code, res.Body)
	}
	if res := h.api("DELETE", "/api/v1/workspaces/acme/scim/token", h.apiToken, nil); res.Code != http.StatusNotFound {
		t.Fatalf("revoke twice: %d", res.Code)
	}
	if _, err := h.svc.AuthenticateSCIMToken(h.ctx, "acme", out.Token); err == nil {
		t.Fatal("revoked token works")
	}
}

func storeAuditFilter(h *harness, kind string) store.AuditFilter {
	return store.AuditFilter{WorkspaceID: h.ws.ID, Kind: kind}
}
