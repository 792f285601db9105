package web

import (
	"context"
	"encoding/base64"
	"net/http"
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
