package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSitesAPI(t *testing.T) {
	h := newHarness(t)
	const p = "/api/v1/workspaces/acme/sites"
	res := h.api(http.MethodPost, p, h.apiToken, map[string]string{"url": "https://Dash.Example.com/"})
	if res.Code != http.StatusCreated {
		t.Fatalf("add: %d %s", res.Code, res.Body)
	}
	site := decodeBody[siteJSON](t, res.Body.String())
	if site.URL != "https://dash.example.com" || site.ID == "" {
		t.Fatalf("site %+v", site)
	}
	for _, c := range []struct {
		body   any
		status int
		code   string
	}{
		{map[string]string{"url": "https://dash.example.com:443"}, 409, apiCodeConflict},
		{map[string]string{"url": "https://dash.example.com/app"}, 400, apiCodeInvalidField},
		{map[string]string{"url": "//evil.example.net"}, 400, apiCodeInvalidField},
		{map[string]string{"url": "https://user@evil.example.net"}, 400, apiCodeInvalidField},
		{map[string]any{"url": 5}, 400, apiCodeBadRequest},
	} {
		res := h.api(http.MethodPost, p, h.apiToken, c.body)
		if res.Code != c.status || decodeBody[apiError](t, res.Body.String()).Code != c.code {
			t.Errorf("%v: %d %s, want %d %s", c.body, res.Code, res.Body, c.status, c.code)
		}
	}
	if res := h.api(http.MethodGet, p, h.otherAPIToken, nil); res.Code != http.StatusNotFound {
		t.Errorf("other workspace's token: %d", res.Code)
	}
	res = h.api(http.MethodGet, p, h.apiToken, nil)
	list := decodeBody[struct{ Sites []siteJSON }](t, res.Body.String())
	if res.Code != 200 || len(list.Sites) != 1 || list.Sites[0].URL != "https://dash.example.com" {
		t.Fatalf("list: %d %s", res.Code, res.Body)
	}
	if res := h.api(http.MethodDelete, "/api/v1/workspaces/other/sites/"+site.ID, h.otherAPIToken, nil); res.Code != http.StatusNotFound {
		t.Errorf("delete through another workspace: %d", res.Code)
	}
	if res := h.api(http.MethodDelete, p+"/"+site.ID, h.apiToken, nil); res.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Code, res.Body)
	}
	if res := h.api(http.MethodDelete, p+"/"+site.ID, h.apiToken, nil); res.Code != http.StatusNotFound {
		t.Errorf("delete twice: %d", res.Code)
	}
	if res := h.api(http.MethodPut, p, h.apiToken, nil); res.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", res.Code)
	}
}

func TestSitesPage(t *testing.T) {
	h := newHarness(t)
	const p = "/settings/acme/protected-sites"
	if res := h.get(p, h.builderToken); res.Code != http.StatusForbidden {
		t.Fatalf("builder: %d", res.Code)
	}
	res := h.postFollow(p, h.adminToken, url.Values{"action": {"add"}, "url": {"https://dash.example.com"}})
	if res.Code != 200 || !strings.Contains(res.Body.String(), "<code>https://dash.example.com</code>") || !strings.Contains(res.Body.String(), "Protected site https://dash.example.com added.") {
		t.Fatalf("add: %d\n%s", res.Code, res.Body)
	}
	res = h.post(p, h.adminToken, url.Values{"action": {"add"}, "url": {"https://evil.example.net/path"}})
	if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "without a path") {
		t.Fatalf("bad add: %d\n%s", res.Code, res.Body)
	}
	if res := h.postNoCSRF(p, h.adminToken, url.Values{"action": {"add"}, "url": {"https://x.example.com"}}); res.Code != http.StatusForbidden {
		t.Fatalf("add without CSRF: %d", res.Code)
	}
	sites, err := h.st.ListSites(h.ctx, h.ws.ID)
	if err != nil || len(sites) != 1 {
		t.Fatalf("sites %v %v", sites, err)
	}
	page := h.get(p, h.adminToken).Body.String()
	if !strings.Contains(page, "https://sso.example.com/auth/forward/acme") || !strings.Contains(page, `aria-current="page">Protected sites`) {
		t.Fatalf("page:\n%s", page)
	}
	res = h.postFollow(p, h.adminToken, url.Values{"action": {"remove"}, "site_id": {sites[0].ID}})
	if res.Code != 200 || strings.Contains(res.Body.String(), "<code>https://dash.example.com</code>") {
		t.Fatalf("remove: %d", res.Code)
	}
}
