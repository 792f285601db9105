package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
)

// apiCall sends a JSON API request with the bearer token.
func (e *oidcEnv) apiCall(method, path, token string, in any) (int, map[string]any) {
	e.t.Helper()
	var rd *strings.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	must(e.t, err)
	out := map[string]any{}
	_ = json.Unmarshal([]byte(body(e.t, resp)), &out)
	return resp.StatusCode, out
}

func TestApplicationsAPI(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	ctx := context.Background()
	admin, err := e.svc.CreateUser(ctx, "", e.ws.ID, "ada@example.com", "Ada", alicePassword, "admin")
	must(t, err)
	token, _, err := e.svc.CreateAPIToken(ctx, admin.ID, e.ws.ID, "ci")
	must(t, err)
	const base = "/api/v1/workspaces/acme/applications"
	status, out := e.apiCall(http.MethodPost, base, token, map[string]any{"name": "Grafana",
		"redirect_uris": []string{testRedirectURI}, "allowed_groups": []string{"eng"}, "min_role": "builder"})
	if status != http.StatusCreated || out["client_secret"] == "" || out["issuer"] != e.srv.URL+"/oidc/acme" {
		t.Fatalf("create: %d %v", status, out)
	}
	id, secret := out["client_id"].(string), out["client_secret"].(string)
	// Bad input: 422 with the field, nothing stored.
	status, out = e.apiCall(http.MethodPost, base, token, map[string]any{"name": "Bad", "redirect_uris": []string{"http://evil.example/cb"}})
	if status != http.StatusUnprocessableEntity || out["field"] != "redirect_uris" || out["code"] != "invalid_field" {
		t.Fatalf("bad create: %d %v", status, out)
	}
	status, out = e.apiCall(http.MethodGet, base, token, nil)
	list, _ := out["applications"].([]any)
	if status != http.StatusOK || len(list) != 1 || strings.Contains(mustJSON(t, out), secret) {
		t.Fatalf("list: %d %v", status, out)
	}
	status, out = e.apiCall(http.MethodPut, base+"/"+id, token, map[string]any{"name": "Grafana 2",
		"redirect_uris": []string{testRedirectURI, "https://grafana.example.com/cb"}})
	if status != http.StatusOK || out["name"] != "Grafana 2" || len(out["redirect_uris"].([]any)) != 2 || out["min_role"] != "builder" {
		t.Fatalf("update: %d %v", status, out)
	}
	status, out = e.apiCall(http.MethodPut, base+"/"+id, token, map[string]any{"min_role": "", "allowed_groups": []string{}})
	if status != http.StatusOK || out["min_role"] != "" || len(out["allowed_groups"].([]any)) != 0 || out["name"] != "Grafana 2" {
		t.Fatalf("partial update: %d %v", status, out)
	}
	status, out = e.apiCall(http.MethodPost, base+"/"+id+"/secret", token, nil)
	if status != http.StatusOK || out["client_secret"] == secret || out["client_secret"] == "" {
		t.Fatalf("rotate: %d %v", status, out)
	}
	newSecret := out["client_secret"].(string)
	// The rotated secret works at the token endpoint; the old one does not.
	a := e.app(oidc.AppInput{}) // discovery only; use the API-made client below
	a.conf.ClientID, a.conf.ClientSecret = id, secret
	verifier, opts := pkce()
	res := e.authorize(e.newClient(), a.conf.AuthCodeURL("s", opts...), true)
	if res.code == "" {
		t.Fatalf("authorize: %+v", res)
	}
	_, err = a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, "invalid_client")
	a.conf.ClientSecret = newSecret
	verifier, opts = pkce()
	res = e.authorize(e.newClient(), a.conf.AuthCodeURL("s", opts...), true)
	if _, err = a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier)); err != nil {
		t.Fatalf("exchange with the rotated secret: %v", err)
	}
	if status, _ := e.apiCall(http.MethodDelete, base+"/"+id, token, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	if status, out := e.apiCall(http.MethodGet, base+"/"+id, token, nil); status != http.StatusNotFound || out["code"] != "not_found" {
		t.Fatalf("get deleted: %d %v", status, out)
	}
	if n := len(e.audit("config.app")); n != 6 {
		t.Errorf("audit events for applications = %d, want 6 (two creates, two updates, secret, delete)", n)
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

var clientIDCell = regexp.MustCompile(`id="new-client-id" value="([0-9a-f]{32})"`)

func TestApplicationsPage(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	ctx := context.Background()
	_, err := e.svc.CreateUser(ctx, "", e.ws.ID, "ada@example.com", "Ada", alicePassword, "admin")
	must(t, err)
	browser := e.newClient()
	csrf := e.csrfFrom(browser, "/login/acme")
	resp := e.postForm(browser, "/login/acme", url.Values{"email": {"ada@example.com"}, "password": {alicePassword}, "csrf": {csrf}})
	resp.Body.Close()
	const page = "/settings/acme/applications"
	csrf = e.csrfFrom(browser, page)
	resp = e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"create"}, "name": {"Wiki"},
		"redirect_uris": {"https://wiki.example.com/cb\r\nhttps://wiki.example.com/cb2"}, "allowed_groups": {"eng"}})
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
		t.Fatalf("create: %d to %q, want 303 to the page (post/redirect/get)", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The page after the redirect shows the secret once (sealed flash).
	resp = e.get(browser, page)
	html := body(t, resp)
	m := clientIDCell.FindStringSubmatch(html)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(html, `id="new-secret"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("page after create: %d\n%s", resp.StatusCode, html)
	}
	// The secret is not on the page again.
	if again := body(t, e.get(browser, page)); strings.Contains(again, `id="new-secret"`) || !strings.Contains(again, m[1]) {
		t.Fatal("the list shows a secret, or lacks the application")
	}
	resp = e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"update"}, "client_id": {m[1]}, "name": {"Wiki"},
		"redirect_uris": {"https://wiki.example.com/only"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	c, err := e.st.GetOIDCClient(ctx, e.ws.ID, m[1])
	must(t, err)
	if len(c.RedirectURIs) != 1 || c.RedirectURIs[0] != "https://wiki.example.com/only" || len(c.AllowedGroups) != 0 {
		t.Fatalf("after update: %+v", c)
	}
	resp = e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"update"}, "client_id": {m[1]}, "name": {"Wiki"},
		"redirect_uris": {"ftp://x"}})
	if html := body(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Redirect URIs") {
		t.Fatalf("bad update: %d", resp.StatusCode)
	}
	// Without the CSRF token nothing happens.
	resp = e.postForm(browser, page, url.Values{"action": {"delete"}, "client_id": {m[1]}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("delete without CSRF: %d", resp.StatusCode)
	}
	// Delete asks first (issue 12): the form leads to a confirmation page.
	resp = e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"delete"}, "client_id": {m[1]}})
	resp.Body.Close()
	if _, err := e.st.GetOIDCClient(ctx, e.ws.ID, m[1]); err != nil || resp.StatusCode != http.StatusSeeOther ||
		!strings.Contains(resp.Header.Get("Location"), "/confirm/application.delete?") {
		t.Fatalf("unconfirmed delete: %d to %q, app gone: %v", resp.StatusCode, resp.Header.Get("Location"), err != nil)
	}
	if html := body(t, e.get(browser, resp.Header.Get("Location"))); !strings.Contains(html, "Signing in to Wiki through Gatehouse stops working") {
		t.Error("the confirmation page does not say what deleting does")
	}
	resp = e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"delete"}, "client_id": {m[1]}, "confirmed": {"yes"}})
	resp.Body.Close()
	if _, err := e.st.GetOIDCClient(ctx, e.ws.ID, m[1]); err == nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d, app still there: %v", resp.StatusCode, err == nil)
	}
	// A builder cannot see the page.
	b := e.newClient()
	e.passwordLogin(b, "/login/acme?redirect_to=/w/acme")
	resp = e.get(b, page)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("builder on the page: %d", resp.StatusCode)
	}
}
