package workspace

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// admit applies the access rules (docs/access-rules.md) to user u (nil when unknown) signing in to ws with
// email: it loads the login settings and the membership and returns the
// membership (nil when none) and the action to take.
func (s *Service) admit(ctx context.Context, q store.Queries, ws *store.Workspace, u *store.User, email string, allowSignup bool) (*store.Membership, string, error) {
	ls, err := q.GetLoginSettings(ctx, ws.ID)
	if err != nil {
		return nil, "", err
	}
	var m *store.Membership
	if u != nil {
		// Locked: concurrent logins of one member (and admin changes) run one
		// after the other, so group sync diffs against the committed state.
		m, err = q.LockMembership(ctx, ws.ID, u.ID)
		if errors.Is(err, store.ErrNotFound) {
			m, err = nil, nil
		}
		if err != nil {
			return nil, "", err
		}
	}
	action, aerr := DecideAccess(AccessInput{Email: email, User: u, Membership: m, Settings: ls, AllowSignup: allowSignup})
	if aerr != nil {
		return nil, "", aerr
	}
	return m, action, nil
}

// applyAction carries out an allowed access action: join creates the
// membership as end-user (docs/access-rules.md, "Provisioning and access rules"), activate turns an invitation active.
// Both are written at once so that the last-admin count of group sync,
// later in the same transaction, sees the member as active.
func (s *Service) applyAction(ctx context.Context, q store.Queries, workspaceID, userID string, m *store.Membership, action string) (*store.Membership, error) {
	now := s.now()
	switch action {
	case ActionJoin:
		m = &store.Membership{WorkspaceID: workspaceID, UserID: userID, Status: store.StatusActive, Role: RoleEndUser, CreatedAt: now, UpdatedAt: now}
		return m, q.CreateMembership(ctx, m)
	case ActionActivate:
		m.Status, m.UpdatedAt = store.StatusActive, now
		return m, q.UpdateMembership(ctx, m)
	}
	return m, nil
}

// newID is a fresh record ID.
func newID() string { return uuid.NewString() }

// displayName is the name to store: the given one trimmed, else the
// email's local part (docs/saml.md, "Attributes": the last fallback).
func displayName(name, email string) string {
	if n := strings.TrimSpace(name); n != "" {
		if utf8.RuneCountInString(n) > maxNameLen {
			n = string([]rune(n)[:maxNameLen])
		}
		return n
	}
	local, _, _ := strings.Cut(email, "@")
	return local
}
