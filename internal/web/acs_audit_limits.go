package web

import (
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// copyNotKept stands in for the redacted copy of a rejected response when
// its config has had too many recently.
const copyNotKept = "(not kept: many responses to this configuration were rejected recently; see the first ones)"

// auditSAMLFailure writes the audit event of a rejected response, at a
// bounded rate (issue 11): anyone can post to the ACS, so per client
// address only so many rejections are audited (the rest are still logged
// and counted), and per config only so many keep their redacted copy.
func (s *Server) auditSAMLFailure(r *http.Request, ws *store.Workspace, cfg *store.SAMLConfig, reason, message string, raw []byte) {
	now := s.now()
	if ok, _ := s.limiter.take(now, limitKey{s.limiter.acsAudit, s.limitAddress(r)}); !ok {
		s.log.Warn("acs: audit event not written: too many rejected responses from this address", "trace_id", traceID(r), "reason", reason)
		return
	}
	copied := ""
	if len(raw) > 0 {
		copied = copyNotKept
		if ok, _ := s.limiter.take(now, limitKey{s.limiter.acsCopy, cfg.ID}); ok {
			copied = redactResponse(raw)
		}
	}
	if err := s.svc.RecordSAMLFailure(r.Context(), ws, cfg, reason, message, copied, traceID(r)); err != nil {
		s.log.Error("acs: could not write the audit event", "trace_id", traceID(r), "err", err)
	}
}
