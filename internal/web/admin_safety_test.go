package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestArchiveAsksForConfirmation: the archive button changes nothing by
// itself; it leads to a page that says what will happen, whose button
// archives.
func TestArchiveAsksForConfirmation(t *testing.T) {
	h := newHarness(t)
	res := h.post("/settings/acme/members", h.adminToken, url.Values{"action": {"archive"}, "user_id": {h.builderUser.ID}})
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/settings/acme/confirm/member.archive?") {
		t.Fatalf("unconfirmed archive: %d %q", res.Code, res.Header().Get("Location"))
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Status != store.StatusActive {
		t.Fatalf("archived without confirmation: %q", m.Status)
	}
	page := h.follow(res, h.adminToken)
	body := page.Body.String()
	for _, want := range []string{"Archive " + h.builderUser.Email + "?", "is signed out of Acme at once",
		`name="confirmed" value="yes"`, `name="user_id" value="` + h.builderUser.ID + `"`, "Cancel"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation page lacks %q", want)
		}
	}
	done := h.postFollow("/settings/acme/members", h.adminToken, confirmed(url.Values{"action": {"archive"}, "user_id": {h.builderUser.ID}}))
	if !strings.Contains(done.Body.String(), "Member archived.") {
		t.Error("no flash after the confirmed archive")
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Status != store.StatusArchived {
		t.Fatalf("confirmed archive did not archive: %q", m.Status)
	}
}

// TestConfirmationPagesForDestructiveActions: removal from a group, group
// and token deletion, and demoting an admin each get their page; a
// record of another workspace is a 404, not a page about it.
func TestConfirmationPagesForDestructiveActions(t *testing.T) {
	h := newHarness(t)
	g := h.createGroup("Sales", true)
	if err := h.svc.AddGroupMember(h.ctx, h.adminUser.ID, h.ws.ID, g.ID, h.builderUser.ID); err != nil {
		t.Fatal(err)
	}
	second, _ := h.member(h.ws, "carol@acme.example", "admin")
	tokens, _ := h.st.ListAPITokens(h.ctx, h.ws.ID)
	cases := []struct {
		path   string
		form   url.Values
		wants  []string
		before func() bool // still unchanged?
	}{
		{"/settings/acme/members", url.Values{"action": {"remove_group"}, "user_id": {h.builderUser.ID}, "group_id": {g.ID}},
			[]string{"Remove bob@acme.example from Sales?", "no longer makes them builder"},
			func() bool { gs, _ := h.st.MemberGroups(h.ctx, h.ws.ID, h.builderUser.ID); return len(gs) == 1 }},
		{"/settings/acme/groups", url.Values{"action": {"delete"}, "group_id": {g.ID}},
			[]string{"Delete the group Sales?", "Its 1 member(s) leave it"},
			func() bool { _, err := h.st.GetGroup(h.ctx, g.ID); return err == nil }},
		{"/settings/acme/api-tokens", url.Values{"action": {"delete"}, "token_id": {tokens[0].ID}},
			[]string{"Delete the API token test?", "401 Unauthorized"},
			func() bool { l, _ := h.st.ListAPITokens(h.ctx, h.ws.ID); return len(l) == 1 }},
		{"/settings/acme/members", url.Values{"action": {"role"}, "user_id": {second.ID}, "role": {"end-user"}},
			[]string{"Change carol@acme.example from admin to end-user?", "can no longer open these settings pages"},
			func() bool { m, _ := h.st.GetMembership(h.ctx, h.ws.ID, second.ID); return m.Role == "admin" }},
	}
	for _, c := range cases {
		res := h.post(c.path, h.adminToken, c.form)
		if res.Code != http.StatusSeeOther || !strings.Contains(res.Header().Get("Location"), "/confirm/") {
			t.Errorf("%v: %d %q, want a redirect to a confirmation", c.form, res.Code, res.Header().Get("Location"))
			continue
		}
		body := h.follow(res, h.adminToken).Body.String()
		for _, w := range c.wants {
			if !strings.Contains(body, w) {
				t.Errorf("%v: confirmation lacks %q", c.form, w)
			}
		}
		if !c.before() {
			t.Errorf("%v: changed before confirmation", c.form)
		}
	}
	// Promotion is not destructive: it acts at once.
	h.postFollow("/settings/acme/members", h.adminToken, url.Values{"action": {"role"}, "user_id": {h.builderUser.ID}, "role": {"admin"}})
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Role != "admin" {
		t.Errorf("promotion: %q", m.Role)
	}
	other := h.otherWorkspaceGroup("Finance")
	if res := h.get("/settings/acme/confirm/group.delete?action=delete&group_id="+other.ID, h.adminToken); res.Code != http.StatusNotFound {
		t.Errorf("confirmation for another workspace's group: %d", res.Code)
	}
	if res := h.get("/settings/acme/confirm/nothing", h.adminToken); res.Code != http.StatusNotFound {
		t.Errorf("unknown confirmation: %d", res.Code)
	}
	_, dan := h.member(h.ws, "dan@acme.example", "end-user")
	if res := h.get("/settings/acme/confirm/member.archive?user_id="+h.adminUser.ID, dan); res.Code != http.StatusForbidden {
		t.Errorf("confirmation page for an end-user: %d", res.Code)
	}
}

// TestAdminCannotArchiveThemselves: their own row has no archive or role
// form, and a crafted, confirmed POST is refused with the reason.
func TestAdminCannotArchiveThemselves(t *testing.T) {
	h := newHarness(t)
	h.member(h.ws, "carol@acme.example", "admin") // not the last admin: only the self rule applies
	body := h.get("/settings/acme/members", h.adminToken).Body.String()
	if strings.Contains(body, `aria-label="Archive `+h.adminUser.Email+`"`) || strings.Contains(body, `aria-label="Role of `+h.adminUser.Email+`"`) {
		t.Error("own row offers archive or role change")
	}
	if !strings.Contains(body, "You cannot archive yourself.") || !strings.Contains(body, `aria-label="Archive `+h.builderUser.Email+`"`) {
		t.Error("members page does not explain the own row, or lost the others' buttons")
	}
	res := h.post("/settings/acme/members", h.adminToken, confirmed(url.Values{"action": {"archive"}, "user_id": {h.adminUser.ID}}))
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "You cannot archive or demote yourself") {
		t.Fatalf("self-archive: %d", res.Code)
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.adminUser.ID); m.Status != store.StatusActive {
		t.Fatalf("admin archived themselves: %q", m.Status)
	}
}

// TestTokenCreationIsPostRedirectGet: the POST answers 303 with no secret
// in the URL; the next page shows the token once; a reload (or another
// session presenting the cookie) does not show it again.
func TestTokenCreationIsPostRedirectGet(t *testing.T) {
	h := newHarness(t)
	res := h.post("/settings/acme/api-tokens", h.adminToken, url.Values{"action": {"create"}, "name": {"ci"}, "expires_days": {"30"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/settings/acme/api-tokens" {
		t.Fatalf("create: %d %q", res.Code, res.Header().Get("Location"))
	}
	fc := flashCookieOf(t, res)
	if fc == nil || !fc.HttpOnly || fc.SameSite != http.SameSiteStrictMode || fc.Path != "/settings/" || strings.Contains(fc.Value, "gth_") {
		t.Fatalf("flash cookie %+v", fc)
	}
	page := h.follow(res, h.adminToken)
	token := between(page.Body.String(), `id="new-token" value="`, `"`)
	if !strings.HasPrefix(token, "gth_") {
		t.Fatalf("token not shown after the redirect: %q", token)
	}
	if c := flashCookieOf(t, page); c == nil || c.MaxAge >= 0 {
		t.Error("showing the token did not delete the flash cookie")
	}
	if body := h.get("/settings/acme/api-tokens", h.adminToken).Body.String(); strings.Contains(body, token) {
		t.Error("reload shows the token again")
	}
	// The sealed cookie is useless with another session.
	req := h.newRequest(http.MethodGet, "/settings/acme/api-tokens", nil)
	_, carol := h.member(h.ws, "carol@acme.example", "admin")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: carol})
	req.AddCookie(fc)
	if body := h.serve(req).Body.String(); strings.Contains(body, token) {
		t.Error("another session could read the flash")
	}
	tokens, _ := h.st.ListAPITokens(h.ctx, h.ws.ID)
	var got store.APIToken
	for _, tk := range tokens {
		if tk.Name == "ci" {
			got = tk
		}
	}
	if want := h.now.Add(30 * 24 * time.Hour); !got.ExpiresAt.Equal(want) {
		t.Errorf("expiry %v, want %v", got.ExpiresAt, want)
	}
}

// TestAPITokenExpiryAndLastUse: an expired token is a 401; a used one
// shows when it was last used.
func TestAPITokenExpiryAndLastUse(t *testing.T) {
	h := newHarness(t)
	tok, _, err := h.svc.CreateAPITokenExpiring(h.ctx, h.adminUser.ID, h.ws.ID, "short", h.now.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if r := h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", tok, nil); r.Code != http.StatusOK {
		t.Fatalf("fresh token: %d", r.Code)
	}
	body := h.get("/settings/acme/api-tokens", h.adminToken).Body.String()
	if !strings.Contains(body, "2026-11-29 08:00 UTC") || !strings.Contains(body, "2026-11-29 08:30 UTC") {
		t.Error("token list lacks the last use or the expiry")
	}
	h.now = h.now.Add(30 * time.Minute) // the admin's session lives an hour
	if r := h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", tok, nil); r.Code != http.StatusUnauthorized {
		t.Fatalf("expired token: %d, want 401", r.Code)
	}
	if !strings.Contains(h.get("/settings/acme/api-tokens", h.adminToken).Body.String(), "(expired)") {
		t.Error("expired token not marked")
	}
	res := h.post("/settings/acme/api-tokens", h.adminToken, url.Values{"action": {"create"}, "name": {"x"}, "expires_days": {"5000"}})
	if res.Code != http.StatusUnprocessableEntity {
		t.Errorf("absurd expiry: %d", res.Code)
	}
}

// TestEveryAdminPostRedirects: each successful settings POST answers 303
// (a reload can never repeat it).
func TestEveryAdminPostRedirects(t *testing.T) {
	h := newHarness(t)
	g := h.createGroup("Ops", false)
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/settings/acme/workspace-login", url.Values{"section": {"login"}, "password_login": {"on"}}},
		{"/settings/acme/workspace-login", url.Values{"section": {"mappings"}, "idp_group": {"eng"}, "workspace_group": {"Ops"}}},
		{"/settings/acme/members", url.Values{"action": {"add_group"}, "user_id": {h.builderUser.ID}, "group_id": {g.ID}}},
		{"/settings/acme/groups", url.Values{"action": {"update"}, "group_id": {g.ID}, "name": {"Ops EU"}}},
		{"/settings/acme/groups", url.Values{"action": {"create"}, "name": {"Sales"}}},
	} {
		if res := h.post(c.path, h.adminToken, c.form); res.Code != http.StatusSeeOther {
			t.Errorf("%s %v: %d, want 303", c.path, c.form, res.Code)
		}
	}
	page := h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"login"}, "password_login": {"on"}})
	body := page.Body.String()
	if i, j := strings.Index(body, "Login settings saved."), strings.Index(body, `id="saml-heading"`); i < 0 || i > j {
		t.Error("the saved banner is not at the top of the page")
	}
}

// TestLandingLinksAPITokens: the admin's landing page lists API tokens.
func TestLandingLinksAPITokens(t *testing.T) {
	h := newHarness(t)
	if body := h.get("/w/acme", h.adminToken).Body.String(); !strings.Contains(body, `href="/settings/acme/api-tokens">API tokens</a>`) {
		t.Error("the admin landing page does not link the API tokens")
	}
	if body := h.get("/w/acme", h.builderToken).Body.String(); strings.Contains(body, "/settings/acme/api-tokens") {
		t.Error("a builder's landing page links the API tokens")
	}
}
