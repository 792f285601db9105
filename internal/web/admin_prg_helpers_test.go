package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// postFollow submits a form that must succeed with a redirect
// (post/redirect/get) and returns the page the browser lands on, with
// the flash cookie the POST set.
func (h *harness) postFollow(path, session string, form url.Values) *httptest.ResponseRecorder {
	h.t.Helper()
	res := h.post(path, session, form)
	if res.Code != http.StatusSeeOther {
		h.t.Fatalf("POST %s %v: status %d, want 303 (post/redirect/get)\n%s", path, form, res.Code, res.Body.String())
	}
	return h.follow(res, session)
}

// follow GETs the Location of a redirect with the session and the
// cookies the redirect set (the flash).
func (h *harness) follow(res *httptest.ResponseRecorder, session string) *httptest.ResponseRecorder {
	h.t.Helper()
	loc := res.Header().Get("Location")
	req := h.newRequest(http.MethodGet, loc, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	for _, c := range res.Result().Cookies() {
		if c.MaxAge >= 0 {
			req.AddCookie(c)
		}
	}
	return h.serve(req)
}

// confirmed is form plus the confirmation page's confirmed=yes.
func confirmed(form url.Values) url.Values {
	f := url.Values{confirmedField: {"yes"}}
	for k, v := range form {
		f[k] = v
	}
	return f
}

// flashCookieOf returns the flash cookie a response set (nil when none).
func flashCookieOf(t *testing.T, res *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range res.Result().Cookies() {
		if c.Name == flashCookie {
			return c
		}
	}
	return nil
}

// storeFilter selects the harness workspace's audit events of kind.
func storeFilter(h *harness, kind string) store.AuditFilter {
	return store.AuditFilter{WorkspaceID: h.ws.ID, Kind: kind}
}
