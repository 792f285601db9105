package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// CreateUser adds a member to a workspace with role, creating the
// instance user first when the email is new. password "" leaves the user
// without one (SSO only). For an existing user, only the operator (actorID
// "") may set a password: a workspace admin setting the password of an
// instance-wide account would reach that account's other workspaces.
// An existing membership is an error wrapping store.ErrConflict.
func (s *Service) CreateUser(ctx context.Context, actorID, workspaceID, email, name, password, role string) (*store.User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	r, ok := ParseRole(role)
	if !ok {
		return nil, invalid("role", "Role: %q is not one of admin, builder, end-user.", role)
	}
	hash := ""
	if password != "" {
		if hash, err = s.hashPassword(ctx, password); err != nil {
			return nil, err
		}
	}
	var u *store.User
	err = s.inTx(ctx, func(q store.Queries) error {
		var err error
		u, err = s.createUserTx(ctx, q, actorID, workspaceID, email, name, hash, r)
		return err
	})
	return u, err
}

// createUserTx is CreateUser's transaction.
func (s *Service) createUserTx(ctx context.Context, q store.Queries, actorID, workspaceID, email, name, hash, role string) (*store.User, error) {
	if _, err := q.GetWorkspace(ctx, workspaceID); err != nil {
		return nil, err
	}
	u, err := s.userForMembership(ctx, q, actorID, workspaceID, email, name, hash)
	if err != nil {
		return nil, err
	}
	now := s.now()
	m := &store.Membership{WorkspaceID: workspaceID, UserID: u.ID, Status: store.StatusActive, Role: role, CreatedAt: now, UpdatedAt: now}
	if err := q.CreateMembership(ctx, m); err != nil {
		return nil, conflictf(err, "%s is already a member of this workspace", email)
	}
	return u, s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: u.ID, ActorID: actorID, Kind: KindMembershipCreate,
		Message: email + " added as " + role}, map[string]any{"email": email, "role": role})
}

// userForMembership finds the user by email or creates it (audited).
func (s *Service) userForMembership(ctx context.Context, q store.Queries, actorID, workspaceID, email, name, hash string) (*store.User, error) {
	u, err := q.GetUserByEmail(ctx, email)
	if err == nil {
		if hash == "" {
			return u, nil
		}
		if actorID != "" {
			return nil, invalid("password", "%s already has an account; only its owner (or the operator) can set its password.", email)
		}
		// Only the operator gets here (actorID ""): the password is valid
		// in every workspace.
		u.PasswordHash, u.PasswordWorkspaceID, u.UpdatedAt = hash, "", s.now()
		return u, q.UpdateUser(ctx, u)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	now := s.now()
	u = &store.User{ID: newID(), Email: email, Name: displayName(name, email), PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if hash != "" && actorID != "" {
		// A password a workspace admin chose proves nothing about the
		// mailbox: it works in this workspace only (docs/access-rules.md).
		u.PasswordWorkspaceID = workspaceID
	}
	if err := q.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: u.ID, ActorID: actorID, Kind: KindUserCreate,
		Message: "user " + email + " created"}, map[string]any{"email": email, "password": hash != ""})
}

// SetSuperAdmin grants or revokes instance administration.
func (s *Service) SetSuperAdmin(ctx context.Context, actorID, userID string, on bool) error {
	return s.inTx(ctx, func(q store.Queries) error {
		u, err := q.GetUser(ctx, userID)
		if err != nil || u.SuperAdmin == on {
			return err
		}
		u.SuperAdmin, u.UpdatedAt = on, s.now()
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{UserID: u.ID, ActorID: actorID, Kind: KindUserSuperAdmin,
			Message: fmt.Sprintf("super admin %v for %s", on, u.Email)}, map[string]any{"super_admin": on})
	})
}

// ArchiveUser archives the user with email: in one workspace, or
// instance-wide when workspaceID is "". The last active admin of a
// workspace cannot be archived there (the workspace would have no admin);
// instance-wide archiving is the operator's call and is not refused.
func (s *Service) ArchiveUser(ctx context.Context, actorID, email, workspaceID string) error {
	return s.changeArchived(ctx, actorID, email, workspaceID, true, func(q store.Queries, u *store.User) error {
		ended, err := s.EndMemberAccess(ctx, q, "", u.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{UserID: u.ID, ActorID: actorID, Kind: KindUserArchive,
			Message: u.Email + " archived instance-wide"}, ended.details(map[string]any{"email": u.Email}))
	})
}

// changeArchived is ArchiveUser and UnarchiveUser: in one workspace it sets
// the membership's status (SetMemberStatus keeps the last admin rule);
// instance-wide it sets the user's archived flag and, when that changed,
// runs then in the same transaction (the audit and whatever else goes
// with it). Archiving instance-wide signs the user out everywhere.
func (s *Service) changeArchived(ctx context.Context, actorID, email, workspaceID string, archived bool, then func(q store.Queries, u *store.User) error) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	if workspaceID != "" {
		status := store.StatusActive
		if archived {
			status = store.StatusArchived
		}
		return s.SetMemberStatus(ctx, actorID, workspaceID, u.ID, status)
	}
	err = s.inTx(ctx, func(q store.Queries) error {
		u, err := q.GetUser(ctx, u.ID)
		if err != nil || u.Archived == archived {
			return err
		}
		u.Archived, u.UpdatedAt = archived, s.now()
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		return then(q, u)
	})
	if err == nil && archived {
		s.signedOut(ctx, SignOutEvent{Member: &MemberRef{UserID: u.ID}})
	}
	return err
}

// SetMemberStatus sets a membership's status (invited, active, archived).
// It never takes the last active admin out of active.
func (s *Service) SetMemberStatus(ctx context.Context, actorID, workspaceID, userID, status string) error {
	switch status {
	case store.StatusInvited, store.StatusActive, store.StatusArchived:
	default:
		return invalid("status", "Status: %q is not one of invited, active, archived.", status)
	}
	err := s.changeMembership(ctx, actorID, workspaceID, userID, KindMembershipStatus, func(m *store.Membership) (string, string, bool) {
		before := m.Status
		m.Status = status
		return before, status, before == store.StatusActive && m.Role == RoleAdmin && status != store.StatusActive
	})
	if err == nil && status != store.StatusActive {
		s.signedOut(ctx, SignOutEvent{Member: &MemberRef{WorkspaceID: workspaceID, UserID: userID}})
	}
	return err
}

// SetMemberRole sets a membership's role. It never demotes the last
// active admin.
func (s *Service) SetMemberRole(ctx context.Context, actorID, workspaceID, userID, role string) error {
	r, ok := ParseRole(role)
	if !ok {
		return invalid("role", "Role: %q is not one of admin, builder, end-user.", role)
	}
	return s.changeMembership(ctx, actorID, workspaceID, userID, KindMembershipRole, func(m *store.Membership) (string, string, bool) {
		before := m.Role
		m.Role = r
		return before, r, before == RoleAdmin && m.Status == store.StatusActive && r != RoleAdmin
	})
}

// changeMembership loads a membership, applies change (which reports the
// value before and after and whether it removes an active admin), guards
// the last admin, writes, ends the member's access when they leave
// "active" (EndMemberAccess) or their API tokens when they leave "admin",
// and audits, in one transaction.
func (s *Service) changeMembership(ctx context.Context, actorID, workspaceID, userID, kind string, change func(*store.Membership) (before, after string, losesAdmin bool)) error {
	return s.inTx(ctx, func(q store.Queries) error {
		m, err := q.LockMembership(ctx, workspaceID, userID)
		if err != nil {
			return err
		}
		was := *m
		before, after, losesAdmin := change(m)
		if before == after {
			return nil
		}
		if losesAdmin && actorID != "" && actorID == userID {
			return errSelfLockout
		}
		if losesAdmin {
			if err := s.guardLastAdmin(ctx, q, workspaceID, userID); err != nil {
				return err
			}
		}
		m.UpdatedAt = s.now()
		if err := q.UpdateMembership(ctx, m); err != nil {
			return err
		}
		d := map[string]any{"before": before, "after": after}
		switch {
		case was.Status == store.StatusActive && m.Status != store.StatusActive:
			ended, err := s.EndMemberAccess(ctx, q, workspaceID, userID)
			if err != nil {
				return err
			}
			d = ended.details(d)
		case was.Role == RoleAdmin && m.Role != RoleAdmin:
			n, err := s.revokeAdminTokens(ctx, q, workspaceID, userID)
			if err != nil {
				return err
			}
			d["api_tokens_revoked"] = n
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: userID, ActorID: actorID, Kind: kind,
			Message: fmt.Sprintf("%s: %s -> %s", kind, before, after)}, d)
	})
}

// guardLastAdmin refuses to take userID, an active admin of the
// workspace, out of that role when no other admin would remain. Admins
// archived instance-wide do not count (store.CountActiveAdmins), and
// taking one of them out loses no admin.
func (s *Service) guardLastAdmin(ctx context.Context, q store.Queries, workspaceID, userID string) error {
	u, err := q.GetUser(ctx, userID)
	if err != nil || u.Archived {
		return err
	}
	if err := q.LockWorkspaceAdmins(ctx, workspaceID); err != nil {
		return err
	}
	n, err := q.CountActiveAdmins(ctx, workspaceID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return invalid("role", "This is the last active admin of the workspace; make someone else admin first.")
	}
	return nil
}
