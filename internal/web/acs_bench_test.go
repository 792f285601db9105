package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// BenchmarkACS measures one complete sign-in through the ACS handler
// (form parsing, validation, provisioning, session, audit) on SQLite, for
// a returning user with an unsolicited response in accept mode. Responses
// are signed outside the timer.
func BenchmarkACS(b *testing.B) {
	e := newTestEnv(b, testOptions{signup: true, mode: store.IdPInitiatedAccept})
	e.web.log = slog.New(slog.DiscardHandler) // request logs would dominate
	h := e.web.Handler()
	form := func() string {
		v, err := e.idp.ResponseBase64(samltest.ResponseOptions{SPEntityID: e.acs(), ACSURL: e.acs(),
			NameID: "bench-user", Attributes: emailAttrs("bench@example.com")})
		if err != nil {
			b.Fatal(err)
		}
		return url.Values{"SAMLResponse": {v}}.Encode()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		body := form()
		req := httptest.NewRequest(http.MethodPost, "/api/sso/saml/"+e.cfg.ID, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		b.StartTimer()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			b.Fatalf("ACS %d: %s", rec.Code, rec.Body.String())
		}
	}
}
