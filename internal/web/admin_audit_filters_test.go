package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestAuditFiltersTraceAndTime: the trace ID an error page shows finds
// its event; the time window bounds the list (UTC); bad times are named.
func TestAuditFiltersTraceAndTime(t *testing.T) {
	h := newHarness(t)
	for i, trace := range []string{"a1b2c3", "d4e5f6", "a1b2c3-other"} {
		h.appendAudit(&store.AuditEvent{WorkspaceID: h.ws.ID, Kind: "login.failure", TraceID: trace, Reason: "reason_" + trace,
			CreatedAt: h.now.Add(time.Duration(i) * time.Hour)})
	}
	body := h.get("/settings/acme/audit?trace=a1b2c3", h.adminToken).Body.String()
	if !strings.Contains(body, "reason_a1b2c3") || strings.Contains(body, "reason_d4e5f6") || strings.Contains(body, "reason_a1b2c3-other") {
		t.Error("trace filter is not exact")
	}
	body = h.get("/settings/acme/audit?since=2026-11-29T08:30&until=2026-11-29T09:30", h.adminToken).Body.String()
	if !strings.Contains(body, "reason_d4e5f6") || strings.Contains(body, "reason_a1b2c3<") || strings.Contains(body, "reason_a1b2c3-other") {
		t.Error("time filter not applied")
	}
	// Trace links keep the other filters out; "older events" keeps them in.
	if !strings.Contains(body, `href="/settings/acme/audit?trace=d4e5f6"`) {
		t.Error("trace ID is not a link to its events")
	}
	res := h.get("/settings/acme/audit?since=yesterday", h.adminToken)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "From: &#34;yesterday&#34; is not a date and time") {
		t.Errorf("bad time: %d", res.Code)
	}
	if got := auditPageURL("acme", auditFilterForm{Trace: "x", Since: "2026-11-29T08:00"}, 7); got != "/settings/acme/audit?before=7&since=2026-11-29T08%3A00&trace=x" {
		t.Errorf("next page URL %q", got)
	}
}

// TestAuditShowsWhoFailedAndWhatChanged: a failed sign-in shows the email
// that was tried; a settings change shows only the changed fields, before
// and after.
func TestAuditShowsWhoFailedAndWhatChanged(t *testing.T) {
	h := newHarness(t)
	h.appendAudit(&store.AuditEvent{WorkspaceID: h.ws.ID, Kind: "login.failure", Reason: "not_a_member",
		Details: []byte(`{"method":"saml","email":"kate@corp.example","name_id":"n1"}`)})
	h.postFollow("/settings/acme/workspace-login", h.adminToken, url.Values{"section": {"login"}, "password_login": {"on"}, "signup": {"on"}})
	body := h.get("/settings/acme/audit", h.adminToken).Body.String()
	failure := between(body, "<code>login.failure</code>", "</tr>")
	if !strings.Contains(failure, "<td>kate@corp.example</td>") {
		t.Errorf("failed sign-in lacks the user:\n%s", failure)
	}
	change := between(body, "<code>config.login</code>", "</tr>")
	if !strings.Contains(change, "<dt>signup</dt><dd>false → true</dd>") || strings.Contains(change, "password_login") || strings.Contains(change, "allowed_domains") {
		t.Errorf("config change does not show just what changed:\n%s", change)
	}
	// Older events in the before/after form are diffed too.
	if got := flattenDetails([]byte(`{"before":{"a":1,"b":"x"},"after":{"a":2,"b":"x"}}`)); len(got) != 1 || got[0].Key != "a" || got[0].Value != "1 → 2" {
		t.Errorf("legacy before/after: %+v", got)
	}
}
