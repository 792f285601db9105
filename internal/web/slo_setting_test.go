package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestUnsignedLogoutSetting: "Accept unsigned logout requests" is off by
// default, shown on the Workspace login page with what it costs, and set
// through the page and the API.
func TestUnsignedLogoutSetting(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	res := h.post("/settings/acme/workspace-login", h.adminToken, samlForm(md))
	if res.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", res.Code)
	}
	cfg, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	must(t, err)
	if cfg.AllowUnsignedLogout {
		t.Fatal("a new config accepts unsigned logout requests")
	}
	page := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	for _, want := range []string{`name="allow_unsigned_logout"`, "Accept unsigned logout requests", "any web site can then sign your users out"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	form := samlForm(md)
	form.Set("allow_unsigned_logout", "on")
	if res := h.post("/settings/acme/workspace-login", h.adminToken, form); res.Code != http.StatusSeeOther {
		t.Fatalf("save with the box ticked: %d", res.Code)
	}
	if cfg, err = h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); err != nil || !cfg.AllowUnsignedLogout {
		t.Fatalf("ticked box not stored: %v %+v", err, cfg)
	}
	out := h.api(http.MethodPut, "/api/v1/workspaces/acme/saml", h.apiToken, map[string]any{"allowUnsignedLogout": false})
	if out.Code != http.StatusOK || decodeBody[samlOutJSON](t, out.Body.String()).AllowUnsignedLogout {
		t.Fatalf("API PUT false: %d %s", out.Code, out.Body.String())
	}
	if cfg, err = h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); err != nil || cfg.AllowUnsignedLogout {
		t.Fatalf("API change not stored: %v %+v", err, cfg)
	}
}
