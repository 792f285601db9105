package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestAuditPageFiltersAndPages(t *testing.T) {
	h := newHarness(t)
	// Real events written as the ACS and group sync would write them.
	for i := range auditPageSize + 5 {
		h.appendAudit(&store.AuditEvent{
			WorkspaceID: h.ws.ID, UserID: h.builderUser.ID, Kind: "login.failure", TraceID: fmt.Sprintf("trace-%03d", i),
			Reason: "audience_mismatch", Message: "audience: expected https://sso.example.com/api/sso/saml/x, got https://other",
			Details: []byte(`{"attributes":["email","groups"]}`), RedactedResponse: fmt.Sprintf("<samlp:Response ID=\"r%03d\"/>", i),
		})
	}
	h.appendAudit(&store.AuditEvent{
		WorkspaceID: h.ws.ID, UserID: h.adminUser.ID, Kind: "groupsync", Message: "group sync changed the membership",
		Details: []byte(`{"roleBefore":"end-user","roleAfter":"admin","groupsAdded":["Sales"],"groupsRemoved":["Ops"]}`),
	})
	body := h.get("/settings/acme/audit", h.adminToken).Body.String()
	for _, want := range []string{"groupsync", "roleBefore", "end-user", "groupsAdded", "Sales", "Ops",
		"audience_mismatch", "trace-054", "SAML response (redacted)", "&lt;samlp:Response ID=&#34;r054&#34;/&gt;", "email, groups", h.adminUser.Email, h.builderUser.Email, `rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	// Newest first: the sync event precedes the login failures.
	if strings.Index(body, "roleBefore") > strings.Index(body, "trace-054") {
		t.Error("not newest first")
	}
	if strings.Contains(body, "trace-004") {
		t.Error("first page shows more than one page of events")
	}
	// Filter by user and kind.
	body = h.get("/settings/acme/audit?user="+h.adminUser.Email, h.adminToken).Body.String()
	if strings.Contains(body, "audience_mismatch") || !strings.Contains(body, "roleBefore") {
		t.Error("user filter not applied")
	}
	body = h.get("/settings/acme/audit?kind=groupsync", h.adminToken).Body.String()
	if strings.Contains(body, "audience_mismatch") || !strings.Contains(body, "roleBefore") {
		t.Error("kind filter not applied")
	}
	// The next page holds the oldest events.
	next := between(h.get("/settings/acme/audit?kind=login", h.adminToken).Body.String(), `<p><a href="`, `" rel="next"`)
	next = strings.ReplaceAll(next, "&amp;", "&")
	page2 := h.get(next, h.adminToken)
	if page2.Code != http.StatusOK || !strings.Contains(page2.Body.String(), "trace-000") || strings.Contains(page2.Body.String(), "trace-054") {
		t.Errorf("second page (%s): %d", next, page2.Code)
	}
	if res := h.get("/settings/acme/audit?before=x", h.adminToken); res.Code != http.StatusBadRequest {
		t.Errorf("bad before: %d", res.Code)
	}
	if res := h.get("/settings/acme/audit", h.builderToken); res.Code != http.StatusForbidden {
		t.Errorf("builder: %d", res.Code)
	}
}

func TestOverageBanner(t *testing.T) {
	h := newHarness(t)
	if strings.Contains(h.get("/settings/acme/workspace-login", h.adminToken).Body.String(), "left out the groups") {
		t.Fatal("banner without overage")
	}
	h.appendAudit(overageEvent(h))
	body := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	if !strings.Contains(body, "left out the groups") || !strings.Contains(body, h.builderUser.Email) || !strings.Contains(body, "assign the groups to the enterprise application") {
		t.Error("overage banner missing")
	}
}

// between returns the text of s between the first a and the next b.
func between(s, a, b string) string {
	_, rest, _ := strings.Cut(s, a)
	v, _, _ := strings.Cut(rest, b)
	return v
}
