package workspace

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// EndIdPSessions ends every session opened through cfg for nameID (and
// sessionIndex, when not empty) in every browser, and writes one logout
// audit event. It is the answer to an IdP-initiated LogoutRequest whose
// signature the caller has verified against cfg's metadata: only that
// proof lets a message end sessions the requesting browser does not hold.
// It returns how many sessions ended.
func (s *Service) EndIdPSessions(ctx context.Context, cfg *store.SAMLConfig, nameID, sessionIndex, traceID string) (int64, error) {
	n, err := s.Store.DeleteSSOSessions(ctx, cfg.ID, nameID, sessionIndex)
	if err != nil {
		return 0, err
	}
	s.signedOut(ctx, SignOutEvent{SSO: &SSOSessions{ConfigID: cfg.ID, NameID: nameID, SessionIndex: sessionIndex}})
	d := map[string]any{"method": "saml", "config_id": cfg.ID, "name_id": nameID, "sessions": n}
	if sessionIndex != "" {
		d["session_index"] = sessionIndex
	}
	// The sessions are gone either way; a lost audit line must not undo that.
	if err := s.audit(ctx, s.Store, store.AuditEvent{WorkspaceID: cfg.WorkspaceID, Kind: KindLogout, TraceID: traceID,
		Message: "signed out by the identity provider"}, d); err != nil {
		s.log().Error("workspace: audit of IdP sign-out failed", "err", err)
	}
	return n, nil
}
