package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// LinkInfo describes a usable link for its page.
type LinkInfo struct {
	Kind      string
	Workspace store.Workspace
	User      store.User
	Role      string
	ExpiresAt time.Time
	// PasswordLogin: the workspace allows password sign-in.
	PasswordLogin bool
	// CanSetPassword: following this link may set the account's password
	// (see canSetPassword).
	CanSetPassword bool
}

// LinkDetails looks up a link without using it; errLinkInvalid when it is
// unknown, used or expired.
func (s *Service) LinkDetails(ctx context.Context, kind, token string) (*LinkInfo, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, errLinkInvalid
	}
	l, err := s.Store.GetUserLink(ctx, kind, HashToken(token), s.now())
	if err != nil {
		return nil, notFoundAs(err, errLinkInvalid)
	}
	info := &LinkInfo{Kind: kind, Role: l.Role, ExpiresAt: l.ExpiresAt}
	err = s.inTx(ctx, func(q store.Queries) error {
		ws, err := q.GetWorkspace(ctx, l.WorkspaceID)
		if err != nil {
			return err
		}
		u, err := q.GetUser(ctx, l.UserID)
		if err != nil {
			return err
		}
		ls, err := q.GetLoginSettings(ctx, l.WorkspaceID)
		if err != nil {
			return err
		}
		info.Workspace, info.User, info.PasswordLogin = *ws, *u, ls.PasswordLogin
		info.CanSetPassword, err = canSetPassword(ctx, q, l, u, ls)
		return err
	})
	if err != nil {
		return nil, notFoundAs(err, errLinkInvalid)
	}
	return info, nil
}

// canSetPassword: password sign-in is on, and for an invitation the
// account has no password yet and no other workspace (nor instance
// administration): the link may have been handed to the inviting admin,
// and a workspace admin must not be able to set the password of an
// account that reaches other workspaces (docs/access-rules.md). A reset
// link shown to the admin is held to the same rule again at use
// (resetStillAllowed).
func canSetPassword(ctx context.Context, q store.Queries, l *store.UserLink, u *store.User, ls *store.LoginSettings) (bool, error) {
	if !ls.PasswordLogin || u.Archived {
		return false, nil
	}
	if l.Kind == store.LinkReset {
		if l.Mailed {
			return true, nil
		}
		n, err := q.CountMemberships(ctx, u.ID)
		return n <= 1 && !u.SuperAdmin, err
	}
	if u.PasswordHash != "" || u.SuperAdmin {
		return false, nil
	}
	n, err := q.CountMemberships(ctx, u.ID)
	return n <= 1, err
}

// AcceptInvite uses an invitation link: it sets the password (required;
// the SSO way to accept is signing in with SSO, which activates invited
// members), activates the membership with the invited role and opens a
// session, in one transaction. A refused acceptance leaves the link usable.
func (s *Service) AcceptInvite(ctx context.Context, token, password string) (*LoginResult, error) {
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var res *LoginResult
	err = s.inTx(ctx, func(q store.Queries) error {
		l, u, m, err := s.useLink(ctx, q, store.LinkInvite, token)
		if err != nil {
			return err
		}
		ls, err := q.GetLoginSettings(ctx, l.WorkspaceID)
		if err != nil {
			return err
		}
		if ok, err := canSetPassword(ctx, q, l, u, ls); err != nil || !ok {
			return firstError(err, invalid("password", "This invitation cannot set a password: sign in with SSO, or with the password you already have."))
		}
		if !DomainAllowed(u.Email, ls.AllowedDomains) {
			return &AccessError{Code: CodeDomainNotAllowed, Message: MsgDomainNotAllowed}
		}
		now := s.now()
		// The inviting admin may have seen the link: the password works in
		// this workspace only (docs/access-rules.md).
		u.PasswordHash, u.PasswordWorkspaceID, u.UpdatedAt = hash, l.WorkspaceID, now
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		m.Status, m.Role, m.UpdatedAt = store.StatusActive, l.Role, now
		if err := q.UpdateMembership(ctx, m); err != nil {
			return err
		}
		tok, sess, err := s.openSession(ctx, q, u.ID, l.WorkspaceID, nil)
		if err != nil {
			return err
		}
		res = &LoginResult{User: *u, Membership: *m, SessionToken: tok, Session: *sess}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: l.WorkspaceID, UserID: u.ID, ActorID: u.ID, Kind: KindInviteAccept,
			Message: u.Email + " accepted the invitation as " + l.Role}, map[string]any{"email": u.Email, "role": l.Role})
	})
	return res, err
}

// useLink consumes a link and loads its user and membership (inside the
// caller's transaction, so a later refusal puts the link back).
func (s *Service) useLink(ctx context.Context, q store.Queries, kind, token string) (*store.UserLink, *store.User, *store.Membership, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, nil, nil, errLinkInvalid
	}
	l, err := q.ConsumeUserLink(ctx, kind, HashToken(token), s.now())
	if err != nil {
		return nil, nil, nil, notFoundAs(err, errLinkInvalid)
	}
	u, err := q.GetUser(ctx, l.UserID)
	if err != nil {
		return nil, nil, nil, notFoundAs(err, errLinkInvalid)
	}
	m, err := q.GetMembership(ctx, l.WorkspaceID, l.UserID)
	if err != nil {
		return nil, nil, nil, notFoundAs(err, errLinkInvalid)
	}
	want := store.StatusActive
	if kind == store.LinkInvite {
		want = store.StatusInvited
	}
	if m.Status != want || u.Archived {
		return nil, nil, nil, errLinkInvalid
	}
	return l, u, m, nil
}

// CreateResetLink makes a password reset link for an active member of a
// workspace with password sign-in on. mailed says the link goes to the
// member's own mailbox; a link shown to the admin instead is refused for
// accounts that reach other workspaces or administer the instance (the
// admin would hold their password).
func (s *Service) CreateResetLink(ctx context.Context, actorID, workspaceID, userID string, mailed bool) (*Link, error) {
	var link *Link
	err := s.inTx(ctx, func(q store.Queries) error {
		m, err := q.GetMembership(ctx, workspaceID, userID)
		if err != nil {
			return err
		}
		u, err := q.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		if m.Status != store.StatusActive || u.Archived {
			return invalid("status", "%s is not an active member; a reset link would not let them in.", u.Email)
		}
		ls, err := q.GetLoginSettings(ctx, workspaceID)
		if err != nil {
			return err
		}
		if !ls.PasswordLogin {
			return invalid("password", "Password sign-in is off for this workspace; a reset link would not help.")
		}
		if !mailed {
			n, err := q.CountMemberships(ctx, u.ID)
			if err != nil {
				return err
			}
			if n > 1 || u.SuperAdmin {
				return invalid("password", "%s also uses other workspaces, so their reset link can only go to their own mailbox: configure GATEHOUSE_SMTP_URL, or have them use \"Forgot password?\" on the sign-in page.", u.Email)
			}
		}
		if actorID == "" {
			if fresh, err := hasFreshResetLink(ctx, q, workspaceID, u.ID, s.now()); err != nil || fresh {
				return err // throttled: nothing made, mailed or audited
			}
		}
		if link, err = s.newLink(ctx, q, store.LinkReset, workspaceID, u, "", actorID, ResetTTL, mailed); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: u.ID, ActorID: actorID, Kind: KindResetCreate,
			Message: "password reset link for " + u.Email}, map[string]any{"email": u.Email, "mailed": mailed, "self_service": actorID == ""})
	})
	return link, err
}

// RequestReset is "Forgot password?": a reset link for email when it is an
// active member of the workspace, else (nil, nil) — the caller answers the
// same either way, so the form reveals no accounts. Each request replaces
// the member's previous link, so requests cannot grow the database; while
// the member has an unexpired link younger than ResetThrottle, a request
// makes, mails and audits nothing (nil, nil): held in the database, the
// throttle holds across replicas and restarts.
func (s *Service) RequestReset(ctx context.Context, workspaceID, email string) (*Link, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, nil
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	link, err := s.CreateResetLink(ctx, "", workspaceID, u.ID, true)
	if IsValidation(err) || errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return link, err
}

// ResetPassword uses a reset link: it sets the new password and ends every
// session of the account (whoever knew the old password is signed out).
func (s *Service) ResetPassword(ctx context.Context, token, password string) (*store.User, *store.Workspace, error) {
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return nil, nil, err
	}
	var user *store.User
	var ws *store.Workspace
	err = s.inTx(ctx, func(q store.Queries) error {
		l, u, _, err := s.useLink(ctx, q, store.LinkReset, token)
		if err != nil {
			return err
		}
		if ws, err = q.GetWorkspace(ctx, l.WorkspaceID); err != nil {
			return err
		}
		if err := resetStillAllowed(ctx, q, l, u); err != nil {
			return err
		}
		u.PasswordHash, u.UpdatedAt = hash, s.now()
		// A mailed link proves the mailbox: the password works everywhere.
		// One the admin saw works in its workspace only.
		u.PasswordWorkspaceID = ""
		if !l.Mailed {
			u.PasswordWorkspaceID = l.WorkspaceID
		}
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		n, err := q.DeleteUserSessions(ctx, u.ID, "")
		if err != nil {
			return err
		}
		user = u
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: l.WorkspaceID, UserID: u.ID, ActorID: u.ID, Kind: KindResetUse,
			Message: "password reset by " + u.Email}, map[string]any{"email": u.Email, "sessions_ended": n})
	})
	return user, ws, err
}

// resetStillAllowed re-checks at use what CreateResetLink checked when it
// made the link (an hour may have passed): password sign-in is still on,
// and a link shown to the admin still reaches one workspace only and no
// instance administration. A refusal leaves the link unused.
func resetStillAllowed(ctx context.Context, q store.Queries, l *store.UserLink, u *store.User) error {
	ls, err := q.GetLoginSettings(ctx, l.WorkspaceID)
	if err != nil {
		return err
	}
	if !ls.PasswordLogin {
		return invalid("password", "Password sign-in is off for this workspace; this link cannot set a password.")
	}
	if l.Mailed {
		return nil
	}
	n, err := q.CountMemberships(ctx, u.ID)
	if err != nil {
		return err
	}
	if n > 1 || u.SuperAdmin {
		return invalid("password", "This account now also uses other workspaces, so this link (shown to an admin) can no longer set its password: use \"Forgot password?\" on the sign-in page.")
	}
	return nil
}

// ResetThrottle: "Forgot password?" makes at most one link per member and
// workspace in this time (4 mails an hour to one mailbox at most).
const ResetThrottle = 15 * time.Minute

// hasFreshResetLink: the member has an unexpired reset link of workspaceID
// made less than ResetThrottle ago. A workspace holds at most one reset
// link per member, so the list is bounded by its members.
func hasFreshResetLink(ctx context.Context, q store.Queries, workspaceID, userID string, now time.Time) (bool, error) {
	links, err := q.ListUserLinks(ctx, store.LinkReset, workspaceID, now)
	if err != nil {
		return false, err
	}
	for _, l := range links {
		if l.UserID == userID && now.Sub(l.CreatedAt) < ResetThrottle {
			return true, nil
		}
	}
	return false, nil
}
