package workspace

import (
	"context"
	"errors"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// RoleAtLeast reports whether role ranks at least min (end-user < builder
// < admin); an unknown role ranks below every role.
func RoleAtLeast(role, min string) bool {
	return roleRank[role] >= roleRank[min] && roleRank[role] > 0
}

// SignOutEvent says which sign-ins ended, so that what applications hold
// for them (refresh tokens, their own sessions) can end too. Exactly one
// of Session, SSO or Member is set.
type SignOutEvent struct {
	// Session: one session signed out locally.
	Session *store.Session
	// SSO: the sessions of a SAML NameID (and session index) ended by
	// single logout.
	SSO *SSOSessions
	// Member: every session of a user in a workspace (archived, removed).
	Member *MemberRef
}

// SSOSessions names the sessions single logout ended.
type SSOSessions struct{ ConfigID, NameID, SessionIndex string }

// MemberRef names a membership.
type MemberRef struct{ WorkspaceID, UserID string }

// signedOut tells the OnSignOut hook (when set). It runs after the
// sessions are gone and never fails the sign-out.
func (s *Service) signedOut(ctx context.Context, ev SignOutEvent) {
	if s.OnSignOut != nil {
		s.OnSignOut(ctx, ev)
	}
}

// SignOutSession ends one signed-in session (the principal's, when the
// caller has no cookie value at hand, as in OpenID Connect RP-initiated
// logout) with the same audit line and hook as SignOut.
func (s *Service) SignOutSession(ctx context.Context, sess *store.Session) error {
	if err := s.Store.DeleteSession(ctx, sess.TokenHash); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	s.signedOut(ctx, SignOutEvent{Session: sess})
	if err := s.audit(ctx, s.Store, store.AuditEvent{WorkspaceID: sess.WorkspaceID, UserID: sess.UserID, ActorID: sess.UserID,
		Kind: KindLogout, Message: "signed out by an application (OpenID Connect logout)"}, nil); err != nil {
		s.log().Error("workspace: audit of sign-out failed", "err", err)
	}
	return nil
}
