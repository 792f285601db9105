package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Invitation and password reset links (docs/access-rules.md, "Invitations
// and password resets"): single-use, expiring, stored as SHA-256 only,
// every creation and use audited.
const (
	InviteTTL = 7 * 24 * time.Hour
	ResetTTL  = time.Hour
)

// Link is a freshly made invitation or reset link; Token is in this value
// only (the store keeps its hash).
type Link struct {
	Token     string
	Kind      string
	Email     string
	ExpiresAt time.Time
}

// errLinkInvalid is the one answer for an unknown, used or expired link.
var errLinkInvalid = invalid("link", "This link is invalid, was already used or has expired. Ask an admin of the workspace for a new one.")

// Invite makes email an invited member with role and returns the
// invitation link (replacing earlier ones). A new address gets an account
// without a password; an existing member that is not invited is a
// conflict.
func (s *Service) Invite(ctx context.Context, actorID, workspaceID, email, role string) (*Link, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	r, ok := ParseRole(role)
	if !ok {
		return nil, invalid("role", "Role: %q is not one of admin, builder, end-user.", role)
	}
	var link *Link
	err = s.inTx(ctx, func(q store.Queries) error {
		if _, err := q.GetWorkspace(ctx, workspaceID); err != nil {
			return err
		}
		u, err := s.userForMembership(ctx, q, actorID, workspaceID, email, "", "")
		if err != nil {
			return err
		}
		if err := s.invitedMembership(ctx, q, workspaceID, u, r); err != nil {
			return err
		}
		if link, err = s.newLink(ctx, q, store.LinkInvite, workspaceID, u, r, actorID, InviteTTL, false); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: u.ID, ActorID: actorID, Kind: KindInviteCreate,
			Message: email + " invited as " + r}, map[string]any{"email": email, "role": r, "expires_at": link.ExpiresAt.Format(time.RFC3339)})
	})
	return link, err
}

// invitedMembership creates the invited membership, or updates the role
// of one still invited.
func (s *Service) invitedMembership(ctx context.Context, q store.Queries, workspaceID string, u *store.User, role string) error {
	m, err := q.GetMembership(ctx, workspaceID, u.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		now := s.now()
		return q.CreateMembership(ctx, &store.Membership{WorkspaceID: workspaceID, UserID: u.ID, Status: store.StatusInvited, Role: role, CreatedAt: now, UpdatedAt: now})
	case err != nil:
		return err
	case m.Status != store.StatusInvited:
		return conflictf(store.ErrConflict, "%s is already a member of this workspace (%s)", u.Email, m.Status)
	}
	m.Role, m.UpdatedAt = role, s.now()
	return q.UpdateMembership(ctx, m)
}

// newLink replaces the member's links of kind by a new one. mailed: the
// link goes to the member's own mailbox only (invitations never count as
// mailed: when sending fails the admin is shown them).
func (s *Service) newLink(ctx context.Context, q store.Queries, kind, workspaceID string, u *store.User, role, actorID string, ttl time.Duration, mailed bool) (*Link, error) {
	raw, err := newToken()
	if err != nil {
		return nil, err
	}
	if _, err := q.DeleteUserLinks(ctx, kind, workspaceID, u.ID); err != nil {
		return nil, err
	}
	now := s.now()
	l := &store.UserLink{TokenHash: HashToken(raw), Kind: kind, WorkspaceID: workspaceID, UserID: u.ID, Role: role,
		CreatedBy: actorID, CreatedAt: now, ExpiresAt: now.Add(ttl), Mailed: mailed}
	if err := q.CreateUserLink(ctx, l); err != nil {
		return nil, err
	}
	return &Link{Token: raw, Kind: kind, Email: u.Email, ExpiresAt: l.ExpiresAt}, nil
}

// ResendInvite makes a new invitation link for a member still invited
// (the old link stops working).
func (s *Service) ResendInvite(ctx context.Context, actorID, workspaceID, userID string) (*Link, error) {
	var link *Link
	err := s.inTx(ctx, func(q store.Queries) error {
		u, m, err := invitedMember(ctx, q, workspaceID, userID)
		if err != nil {
			return err
		}
		if link, err = s.newLink(ctx, q, store.LinkInvite, workspaceID, u, m.Role, actorID, InviteTTL, false); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: u.ID, ActorID: actorID, Kind: KindInviteResend,
			Message: "invitation of " + u.Email + " sent again"}, map[string]any{"email": u.Email})
	})
	return link, err
}

// RevokeInvite withdraws an invitation: its links stop working and the
// invited membership is removed (the account stays, for its other
// workspaces and the audit log).
func (s *Service) RevokeInvite(ctx context.Context, actorID, workspaceID, userID string) error {
	return s.inTx(ctx, func(q store.Queries) error {
		u, _, err := invitedMember(ctx, q, workspaceID, userID)
		if err != nil {
			return err
		}
		if _, err := q.DeleteUserLinks(ctx, store.LinkInvite, workspaceID, u.ID); err != nil {
			return err
		}
		if err := q.DeleteMembership(ctx, workspaceID, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: u.ID, ActorID: actorID, Kind: KindInviteRevoke,
			Message: "invitation of " + u.Email + " revoked"}, map[string]any{"email": u.Email})
	})
}

// invitedMember loads a member whose status is invited.
func invitedMember(ctx context.Context, q store.Queries, workspaceID, userID string) (*store.User, *store.Membership, error) {
	m, err := q.GetMembership(ctx, workspaceID, userID)
	if err != nil {
		return nil, nil, err
	}
	if m.Status != store.StatusInvited {
		return nil, nil, invalid("status", "This member is not invited (status %s).", m.Status)
	}
	u, err := q.GetUser(ctx, userID)
	return u, m, err
}
