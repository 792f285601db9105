package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestApplicationSecretRotationIsPostRedirectGet: rotating a secret on the
// page answers 303; the new secret is shown once on the next page, and a
// reload neither shows it again nor rotates again.
func TestApplicationSecretRotationIsPostRedirectGet(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	ctx := context.Background()
	_, err := e.svc.CreateUser(ctx, "", e.ws.ID, "ada@example.com", "Ada", alicePassword, "admin")
	must(t, err)
	browser := e.newClient()
	csrf := e.csrfFrom(browser, "/login/acme")
	body(t, e.postForm(browser, "/login/acme", url.Values{"email": {"ada@example.com"}, "password": {alicePassword}, "csrf": {csrf}}))
	const page = "/settings/acme/applications"
	csrf = e.csrfFrom(browser, page)
	body(t, e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"create"}, "name": {"Wiki"},
		"redirect_uris": {"https://wiki.example.com/cb"}}))
	m := clientIDCell.FindStringSubmatch(body(t, e.get(browser, page)))
	if m == nil {
		t.Fatal("application not listed")
	}
	before, err := e.st.GetOIDCClient(ctx, e.ws.ID, m[1])
	must(t, err)
	resp := e.postForm(browser, page, url.Values{"csrf": {csrf}, "action": {"rotate"}, "client_id": {m[1]}})
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
		t.Fatalf("rotate: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	shown := body(t, e.get(browser, page))
	if !strings.Contains(shown, `id="new-secret"`) || !strings.Contains(shown, "New secret created") {
		t.Fatal("the rotated secret is not shown after the redirect")
	}
	if again := body(t, e.get(browser, page)); strings.Contains(again, `id="new-secret"`) {
		t.Error("reload shows the secret again")
	}
	after, err := e.st.GetOIDCClient(ctx, e.ws.ID, m[1])
	must(t, err)
	if string(after.SecretHash) == string(before.SecretHash) {
		t.Error("the secret was not rotated")
	}
}
