package web

import (
	"net/http"
	"net/url"
	"testing"
)

// Every settings page refuses non-admins and signed-out visitors, and
// every form refuses a POST without the CSRF token, before any handler
// logic runs (reject by default).
func TestAdminRoutesRefuseByDefault(t *testing.T) {
	h := newHarness(t)
	pages := []string{"workspace-login", "members", "groups", "audit", "api-tokens"}
	posts := map[string]url.Values{
		"workspace-login": {"section": {"login"}, "signup": {"on"}},
		"members":         {"action": {"role"}, "user_id": {h.builderUser.ID}, "role": {"admin"}},
		"groups":          {"action": {"create"}, "name": {"Sneaky"}},
		"api-tokens":      {"action": {"create"}, "name": {"sneaky"}},
	}
	for _, p := range pages {
		path := "/settings/acme/" + p
		if res := h.get(path, h.builderToken); res.Code != http.StatusForbidden {
			t.Errorf("GET %s as builder: %d, want 403", p, res.Code)
		}
		if res := h.get(path, ""); res.Code != http.StatusSeeOther {
			t.Errorf("GET %s signed out: %d, want 303", p, res.Code)
		}
		if res := h.get("/settings/other/"+p, h.adminToken); res.Code != http.StatusSeeOther && res.Code != http.StatusForbidden {
			t.Errorf("GET another workspace's %s: %d", p, res.Code)
		}
		if res := h.get(path, h.adminToken); res.Code != http.StatusOK {
			t.Errorf("GET %s as admin: %d", p, res.Code)
		}
		form, ok := posts[p]
		if !ok {
			continue
		}
		if res := h.post(path, h.builderToken, form); res.Code != http.StatusForbidden {
			t.Errorf("POST %s as builder: %d, want 403", p, res.Code)
		}
		if res := h.postNoCSRF(path, h.adminToken, form); res.Code != http.StatusForbidden {
			t.Errorf("POST %s without CSRF token: %d, want 403", p, res.Code)
		}
		if res := h.post("/settings/other/"+p, h.adminToken, form); res.Code < 300 || res.Code >= 500 {
			t.Errorf("POST another workspace's %s: %d", p, res.Code)
		}
	}
	// None of the refused requests changed anything.
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Role != "builder" {
		t.Errorf("builder's role changed to %q", m.Role)
	}
	if groups, _ := h.st.ListGroups(h.ctx, h.ws.ID); len(groups) != 0 {
		t.Errorf("groups created: %+v", groups)
	}
	if tokens, _ := h.st.ListAPITokens(h.ctx, h.ws.ID); len(tokens) != 1 {
		t.Errorf("tokens: %d, want only the harness's", len(tokens))
	}
	if ls, _ := h.st.GetLoginSettings(h.ctx, h.ws.ID); ls.Signup {
		t.Error("signup turned on")
	}
	// An unknown form action is a 400, not a silent success.
	if res := h.post("/settings/acme/members", h.adminToken, url.Values{"action": {"drop-table"}}); res.Code != http.StatusBadRequest {
		t.Errorf("unknown action: %d", res.Code)
	}
}
