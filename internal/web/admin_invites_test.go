package web

import (
	"context"
	"html"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/mail"
	"github.com/gatehouse-sso/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

var linkRE = regexp.MustCompile(`https://sso\.example\.com/(invite|reset)\?t=[A-Za-z0-9_-]+`)

// pathOf turns an absolute link into the path and query the harness serves.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// anonPost posts a signed-out form with the double-submit CSRF cookie,
// as the browser would after loading the page.
func (h *harness) anonPost(path string, form url.Values) *http.Response {
	h.t.Helper()
	const csrf = "0123456789abcdef0123456789abcdef-anon"
	f := url.Values{csrfField: {csrf}}
	for k, v := range form {
		f[k] = v
	}
	req := h.newRequest(http.MethodPost, path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: csrf})
	return h.serve(req).Result()
}

// TestInviteWithoutSMTPShowsTheLinkOnce: without SMTP the admin gets the
// link once; the invitee sets a password through it and is signed in;
// the link then no longer works.
func TestInviteWithoutSMTPShowsTheLinkOnce(t *testing.T) {
	h := newHarness(t)
	page := h.postFollow("/settings/acme/invites", h.adminToken, url.Values{"action": {"invite"}, "email": {"Nina@Acme.example"}, "role": {"builder"}})
	body := page.Body.String()
	link := linkRE.FindString(html.UnescapeString(between(body, `id="new-link" value="`, `"`)))
	if link == "" || !strings.Contains(body, "No SMTP server is configured") {
		t.Fatalf("no link shown:\n%s", between(body, "<h1>", "<table"))
	}
	if strings.Contains(h.get("/settings/acme/members", h.adminToken).Body.String(), link) {
		t.Error("link shown again on reload")
	}
	members := h.get("/settings/acme/members?status=invited", h.adminToken).Body.String()
	if !strings.Contains(members, "nina@acme.example") || !strings.Contains(members, "Re-send invitation") {
		t.Error("invited member not listed with its actions")
	}
	landing := h.get(pathOf(t, link), "")
	if landing.Code != http.StatusOK || !strings.Contains(landing.Body.String(), "You are invited as <strong>builder</strong>") {
		t.Fatalf("invitation page: %d", landing.Code)
	}
	tok := pathOf(t, link)[len("/invite?t="):]
	res := h.anonPost("/invite", url.Values{"t": {tok}, "password": {"correct horse battery"}, "password_again": {"correct horse battery"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/acme" {
		t.Fatalf("accept: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	var session string
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			session = c.Value
		}
	}
	if got := h.get("/w/acme", session); got.Code != http.StatusOK {
		t.Errorf("signed in after accepting: %d", got.Code)
	}
	if again := h.get(pathOf(t, link), ""); again.Code != http.StatusNotFound || !strings.Contains(again.Body.String(), "This link is not valid") {
		t.Errorf("used link: %d", again.Code)
	}
	if res := h.anonPost("/invite", url.Values{"t": {tok}, "password": {"another password"}, "password_again": {"another password"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("reused link: %d", res.StatusCode)
	}
}

// TestRevokeInviteAsksFirst: revoking goes through the confirmation page.
func TestRevokeInviteAsksFirst(t *testing.T) {
	h := newHarness(t)
	if _, err := h.svc.Invite(h.ctx, h.adminUser.ID, h.ws.ID, "kim@acme.example", "end-user"); err != nil {
		t.Fatal(err)
	}
	kim, _ := h.st.GetUserByEmail(h.ctx, "kim@acme.example")
	res := h.post("/settings/acme/invites", h.adminToken, url.Values{"action": {"revoke"}, "user_id": {kim.ID}})
	if !strings.Contains(res.Header().Get("Location"), "/confirm/invite.revoke?") {
		t.Fatalf("revoke without confirmation: %d %q", res.Code, res.Header().Get("Location"))
	}
	if !strings.Contains(h.follow(res, h.adminToken).Body.String(), "The invitation link stops working at once.") {
		t.Error("confirmation lacks the consequence")
	}
	h.postFollow("/settings/acme/invites", h.adminToken, h.confirmed("/settings/acme/invites", h.adminToken, url.Values{"action": {"revoke"}, "user_id": {kim.ID}}))
	if _, err := h.st.GetMembership(h.ctx, h.ws.ID, kim.ID); err == nil {
		t.Error("membership kept after revoke")
	}
}

// TestInviteAndResetThroughMailpit: with SMTP (a real local Mailpit) the
// links arrive by mail and are never shown to the admin; "Forgot
// password?" mails a working link and says the same for unknown
// addresses.
func TestInviteAndResetThroughMailpit(t *testing.T) {
	mp := mailtest.Start(t)
	h := newHarness(t)
	host, port, _ := net.SplitHostPort(mp.SMTPAddr)
	h.srv.opts.Mailer = &mail.Sender{Config: mail.Config{Host: host, Port: port, From: "gatehouse@acme.example"}}
	page := h.postFollow("/settings/acme/invites", h.adminToken, url.Values{"action": {"invite"}, "email": {"omar@acme.example"}, "role": {"end-user"}})
	if body := page.Body.String(); strings.Contains(body, `id="new-link"`) || !strings.Contains(body, "Invitation sent to omar@acme.example") {
		t.Fatalf("mailed invitation:\n%s", between(body, "<h1>", "<table"))
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 || msgs[0].To[0].Address != "omar@acme.example" || msgs[0].Subject != "You are invited to Acme on Gatehouse" {
		t.Fatalf("messages: %+v", msgs)
	}
	link := linkRE.FindString(msgs[0].Text)
	if !strings.HasPrefix(link, "https://sso.example.com/invite?t=") {
		t.Fatalf("no invitation link in %q", msgs[0].Text)
	}
	if res := h.get(pathOf(t, link), ""); res.Code != http.StatusOK {
		t.Fatalf("mailed link: %d", res.Code)
	}

	// Forgot password: the member gets a link, a stranger gets the same page.
	if err := h.svc.SetMemberStatus(h.ctx, "", h.ws.ID, h.builderUser.ID, store.StatusActive); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"stranger@acme.example", h.builderUser.Email} {
		res := h.anonPost("/login/acme/forgot", url.Values{"email": {email}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/acme/forgot?sent=1" {
			t.Fatalf("forgot %s: %d %q", email, res.StatusCode, res.Header.Get("Location"))
		}
	}
	msgs = waitMessages(t, mp, 2) // "Forgot password?" mails from the background queue
	if len(msgs) != 2 || msgs[0].To[0].Address != h.builderUser.Email {
		t.Fatalf("after forgot: %d messages", len(msgs))
	}
	reset := linkRE.FindString(msgs[0].Text)
	tok := pathOf(t, reset)[len("/reset?t="):]
	res := h.anonPost("/reset", url.Values{"t": {tok}, "password": {"a new good password"}, "password_again": {"a new good password"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/acme?notice=password_reset" {
		t.Fatalf("reset: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := h.get("/w/acme", h.builderToken); got.Code == http.StatusOK {
		t.Error("the old session survived the reset")
	}
	if _, err := h.svc.PasswordLogin(context.Background(), h.ws, h.builderUser.Email, "a new good password", "t"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	events, _ := h.st.ListAudit(h.ctx, store.AuditFilter{WorkspaceID: h.ws.ID, Kind: "reset"})
	if len(events) != 2 || events[0].Kind != "reset.use" || events[1].Kind != "reset.create" {
		t.Errorf("reset audit: %+v", events)
	}
}

// TestResetLinkShownOnlyForSingleWorkspaceAccounts: without SMTP a reset
// link is shown to the admin only when the account reaches nothing else.
func TestResetLinkShownOnlyForSingleWorkspaceAccounts(t *testing.T) {
	h := newHarness(t)
	page := h.postFollow("/settings/acme/invites", h.adminToken, url.Values{"action": {"reset"}, "user_id": {h.builderUser.ID}})
	if !strings.Contains(html.UnescapeString(page.Body.String()), "https://sso.example.com/reset?t=") {
		t.Error("reset link not shown for a single-workspace account")
	}
	if err := h.st.CreateMembership(h.ctx, &store.Membership{WorkspaceID: h.other.ID, UserID: h.builderUser.ID, Status: store.StatusActive, Role: "end-user"}); err != nil {
		t.Fatal(err)
	}
	res := h.post("/settings/acme/invites", h.adminToken, url.Values{"action": {"reset"}, "user_id": {h.builderUser.ID}})
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "also uses other workspaces") {
		t.Errorf("reset link for a multi-workspace account: %d", res.Code)
	}
}

// TestInviteAPI: the JSON API invites, re-sends, makes reset links and
// revokes; without SMTP it returns the link.
func TestInviteAPI(t *testing.T) {
	h := newHarness(t)
	res := h.api(http.MethodPost, "/api/v1/workspaces/acme/invites", h.apiToken, map[string]string{"email": "Lee@Acme.example", "role": "builder"})
	out := decodeBody[linkJSON](t, res.Body.String())
	if res.Code != http.StatusCreated || out.Email != "lee@acme.example" || out.Mailed || !strings.HasPrefix(out.Link, "https://sso.example.com/invite?t=") {
		t.Fatalf("invite: %d %+v", res.Code, out)
	}
	lee, _ := h.st.GetUserByEmail(h.ctx, "lee@acme.example")
	res = h.api(http.MethodPost, "/api/v1/workspaces/acme/invites/"+lee.ID+"/resend", h.apiToken, nil)
	if again := decodeBody[linkJSON](t, res.Body.String()); res.Code != http.StatusOK || again.Link == out.Link {
		t.Fatalf("resend: %d %+v", res.Code, again)
	}
	if res := h.api(http.MethodPost, "/api/v1/workspaces/acme/invites", h.apiToken, map[string]string{"email": h.builderUser.Email, "role": "builder"}); res.Code != http.StatusConflict {
		t.Errorf("inviting a member: %d", res.Code)
	}
	if res := h.api(http.MethodPost, "/api/v1/workspaces/acme/members/"+h.builderUser.ID+"/reset-link", h.apiToken, nil); res.Code != http.StatusCreated {
		t.Errorf("reset link: %d %s", res.Code, res.Body.String())
	}
	if res := h.api(http.MethodDelete, "/api/v1/workspaces/acme/invites/"+lee.ID, h.apiToken, nil); res.Code != http.StatusNoContent {
		t.Errorf("revoke: %d", res.Code)
	}
	if res := h.api(http.MethodDelete, "/api/v1/workspaces/acme/invites/"+lee.ID, h.apiToken, nil); res.Code != http.StatusNotFound {
		t.Errorf("revoke twice: %d", res.Code)
	}
}

// waitMessages polls Mailpit until it holds n messages (at most 10 s).
func waitMessages(t *testing.T, mp *mailtest.Mailpit, n int) []mailtest.Message {
	t.Helper()
	var msgs []mailtest.Message
	for i := 0; i < 100; i++ {
		if msgs = mp.Messages(t); len(msgs) >= n {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return msgs
}
