package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// TestHugeIdPStatusMessageIsCappedAndSwept is issue 11 item 3: the IdP's
// unsigned status message of a failed sign-in is stored at most up to the
// caps, and the retention sweep removes every copy of it.
func TestHugeIdPStatusMessageIsCappedAndSwept(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.web.opts.MaxResponseBytes = 1 << 20 // room for the 600 KB message
	marker := "GROWME"
	huge := strings.Repeat(marker, 600<<10/len(marker))
	xml := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
		` ID="_huge" Version="2.0" IssueInstant="` + time.Now().UTC().Format(time.RFC3339) + `" Destination="` + e.acs() + `">` +
		`<saml:Issuer>` + e.idp.EntityID + `</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/>` +
		`<samlp:StatusMessage>` + huge + `</samlp:StatusMessage></samlp:Status></samlp:Response>`
	resp := e.postACS(e.client, base64.StdEncoding.EncodeToString([]byte(xml)), "")
	genericFailure(t, resp, http.StatusForbidden)

	fails := e.audit("login.failure")
	if len(fails) != 1 {
		t.Fatalf("login.failure events = %d, want 1", len(fails))
	}
	f := fails[0]
	if f.Reason != "status_not_success" {
		t.Errorf("reason %q, want status_not_success", f.Reason)
	}
	if !strings.Contains(f.Message, marker) {
		t.Errorf("message lost the IdP's status text: %.200q", f.Message)
	}
	if len(f.Message) > workspace.MaxAuditMessageBytes {
		t.Errorf("message is %d bytes, want at most %d", len(f.Message), workspace.MaxAuditMessageBytes)
	}
	if len(f.RedactedResponse) > maxRedactedBytes+64 || len(f.Details) > 1<<10 {
		t.Errorf("redacted copy %d bytes, details %d bytes: above their caps", len(f.RedactedResponse), len(f.Details))
	}

	// The retention sweep (GATEHOUSE_AUDIT_RESPONSE_RETENTION) clears every
	// copy of what the anonymous client sent.
	_, err := e.st.DeleteExpired(context.Background(), time.Now().Add(2*time.Hour), time.Hour)
	must(t, err)
	f = e.audit("login.failure")[0]
	if strings.Contains(f.Message+f.RedactedResponse+string(f.Details), marker) {
		t.Errorf("the sweep left a copy of the status message: message %.120q, response %.120q, details %s",
			f.Message, f.RedactedResponse, f.Details)
	}
	if f.Reason != "status_not_success" || f.TraceID == "" {
		t.Errorf("the sweep removed the reason or trace ID: %+v", f)
	}
}

// TestRejectedResponsesAuditedAtABoundedRate: every rejected response is
// refused, logged and counted, but one address cannot make the audit log
// grow without bound, nor one config's stored copies; another address is
// still audited.
func TestRejectedResponsesAuditedAtABoundedRate(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.trustLoopbackProxy()
	post := func(addr string) {
		form := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte("<not-a-response/>"))}}
		req, _ := http.NewRequest(http.MethodPost, e.acs(), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp := e.doFrom(e.client, addr, req)
		body(t, resp)
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("rejected response: status %d", resp.StatusCode)
		}
	}
	n := 3 * int(acsAuditRule.burst)
	for range n {
		post("203.0.113.7")
	}
	if got := len(e.audit("login.failure")); got != int(acsAuditRule.burst) {
		t.Errorf("%d rejected responses from one address wrote %d audit events, want %d", n, got, int(acsAuditRule.burst))
	}
	copies := 0
	for _, ev := range e.audit("login.failure") {
		if ev.RedactedResponse != copyNotKept {
			copies++
		}
	}
	if copies != int(acsCopyRule.burst) {
		t.Errorf("%d redacted copies kept for one config, want %d", copies, int(acsCopyRule.burst))
	}
	before := len(e.audit("login.failure"))
	post("198.51.100.20")
	if len(e.audit("login.failure")) != before+1 {
		t.Error("a rejected response from another address was not audited")
	}
}
