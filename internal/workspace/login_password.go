package workspace

import (
	"context"
	"errors"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// PasswordLogin signs a user in to ws with a password. Every wrong email
// or password gets the same invalid_credentials error, after the same
// amount of hashing work (a dummy verification when there is no account or
// no password), so the response says nothing about which accounts exist.
// Only a correct password reveals the access outcome (archived, not a member,
// domain), since its holder is the account's owner. Password login never
// provisions (signup is for SSO). Failures are audited.
func (s *Service) PasswordLogin(ctx context.Context, ws *store.Workspace, email, password, traceID string) (*LoginResult, error) {
	res, err := s.passwordLogin(ctx, ws, email, password, traceID)
	// A refusal for lack of a hash slot checked nothing: it is not audited
	// (a flood of them must not grow the audit log).
	if err != nil && ws != nil && !errors.Is(err, ErrPasswordHashBusy) {
		reason, message := failureReason(err)
		if e := s.audit(ctx, s.Store, store.AuditEvent{WorkspaceID: ws.ID, Kind: KindLoginFailure, TraceID: traceID,
			Reason: reason, Message: message}, map[string]any{"method": "password", "email": auditEmail(email)}); e != nil {
			s.log().Error("workspace: audit of failed login failed", "trace_id", traceID, "err", e)
		}
	}
	return res, err
}

// passwordLogin checks the credentials outside any transaction (hashing
// takes tens of milliseconds; no lock is held meanwhile), then admits and
// opens the session in one.
func (s *Service) passwordLogin(ctx context.Context, ws *store.Workspace, email, password, traceID string) (*LoginResult, error) {
	if ws == nil {
		return nil, errors.New("workspace: password login without a workspace")
	}
	ls, err := s.Store.GetLoginSettings(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	if !ls.PasswordLogin {
		return nil, accessError(CodePasswordLoginDisabled, MsgPasswordLoginDisabled)
	}
	u, err := s.checkPassword(ctx, email, password)
	if err != nil {
		return nil, err
	}
	if u.PasswordWorkspaceID != "" && u.PasswordWorkspaceID != ws.ID {
		// The password was set through a link an admin of another workspace
		// could see (docs/access-rules.md): it proves nothing here.
		return nil, accessError(CodeInvalidCredentials, MsgInvalidCredentials)
	}
	var res *LoginResult
	err = s.inTx(ctx, func(q store.Queries) error {
		var err error
		res, err = s.passwordLoginTx(ctx, q, ws, u.ID, traceID)
		return err
	})
	return res, err
}

// checkPassword returns the user whose email and password match, or the
// generic invalid_credentials error.
func (s *Service) checkPassword(ctx context.Context, email, password string) (*store.User, error) {
	bad := accessError(CodeInvalidCredentials, MsgInvalidCredentials)
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil, firstError(s.dummyCheck(ctx, password), bad)
	}
	u, err := s.Store.GetUserByEmail(ctx, norm)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.PasswordHash == "") {
		return nil, firstError(s.dummyCheck(ctx, password), bad)
	}
	if err != nil {
		return nil, err
	}
	if err := s.verifyPassword(ctx, u.PasswordHash, password); err != nil {
		if errors.Is(err, ErrPasswordHashBusy) {
			return nil, err
		}
		if !errors.Is(err, ErrPasswordMismatch) {
			s.log().Error("workspace: stored password hash unreadable", "user_id", u.ID, "err", err)
		}
		return nil, bad
	}
	return u, nil
}

// passwordLoginTx re-reads the user inside the transaction (an archive may
// have landed meanwhile), applies the access rules and opens the session.
func (s *Service) passwordLoginTx(ctx context.Context, q store.Queries, ws *store.Workspace, userID, traceID string) (*LoginResult, error) {
	u, err := q.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	m, action, err := s.admit(ctx, q, ws, u, u.Email, false)
	if err != nil {
		return nil, err
	}
	if m, err = s.applyAction(ctx, q, ws.ID, u.ID, m, action); err != nil {
		return nil, err
	}
	token, sess, err := s.openSession(ctx, q, u.ID, ws.ID, nil)
	if err != nil {
		return nil, err
	}
	err = s.audit(ctx, q, store.AuditEvent{WorkspaceID: ws.ID, UserID: u.ID, Kind: KindLoginSuccess, TraceID: traceID,
		Message: "signed in with a password (" + action + ")"}, map[string]any{"method": "password", "email": u.Email, "action": action})
	if err != nil {
		return nil, err
	}
	return &LoginResult{User: *u, Membership: *m, SessionToken: token, Session: *sess}, nil
}

// auditEmail is the submitted email as the audit log keeps it: only when it
// is an email address, because people sometimes type their password into
// the email field, and that must not end up in the log.
func auditEmail(email string) string {
	if norm, err := NormalizeEmail(email); err == nil {
		return norm
	}
	return "(not an email address)"
}

// dummyCheck spends the time of one verification (in a gate slot); it
// returns ErrPasswordHashBusy when no slot was free, else nil.
func (s *Service) dummyCheck(ctx context.Context, pw string) error {
	if err := s.verifyPassword(ctx, "", pw); errors.Is(err, ErrPasswordHashBusy) {
		return err
	}
	return nil
}
