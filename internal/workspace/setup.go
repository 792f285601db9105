package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// ErrSetupDone is returned by Setup once any user exists. It wraps
// store.ErrConflict.
var ErrSetupDone = fmt.Errorf("workspace: the instance is already set up: %w", store.ErrConflict)

// setupWorkspaceID is the fixed ID of the workspace first-run setup
// creates. Counting users cannot stop two setups racing (both count zero
// before either commits); a fixed primary key can: the second insert
// conflicts, atomically, on SQLite and PostgreSQL alike. Setup runs once
// per instance, so the ID is used once.
var setupWorkspaceID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://gatehouse.invalid/first-run-setup-workspace")).String()

// NeedsSetup reports whether the instance has no user yet (first run).
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.Store.CountUsers(ctx)
	return n == 0, err
}

// Setup creates the first super admin, the first workspace and the admin
// membership, atomically, and signs the new admin in. It fails with
// ErrSetupDone once any user exists, also when two setups race (the
// count is re-checked inside the transaction; the unique email and slug
// stop the rest).
func (s *Service) Setup(ctx context.Context, email, name, password, workspaceName, slug string) (*LoginResult, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := firstError(ValidateWorkspaceName(workspaceName), ValidateSlug(slug), ValidatePassword(password)); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var res *LoginResult
	err = s.inTx(ctx, func(q store.Queries) error {
		var err error
		res, err = s.setupTx(ctx, q, email, name, hash, workspaceName, slug)
		return err
	})
	return res, err
}

// setupTx is Setup's transaction.
func (s *Service) setupTx(ctx context.Context, q store.Queries, email, name, hash, workspaceName, slug string) (*LoginResult, error) {
	if n, err := q.CountUsers(ctx); err != nil || n > 0 {
		return nil, firstError(err, ErrSetupDone)
	}
	if _, err := q.GetWorkspaceBySlug(ctx, slug); err == nil {
		return nil, invalid("slug", "Slug: a workspace with slug %q already exists.", slug)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	now := s.now()
	ws := &store.Workspace{ID: setupWorkspaceID, Name: workspaceName, Slug: slug, CreatedAt: now}
	if err := q.CreateWorkspace(ctx, ws); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, ErrSetupDone // a concurrent setup holds the ID
		}
		return nil, err
	}
	u := &store.User{ID: newID(), Email: email, Name: displayName(name, email), PasswordHash: hash, SuperAdmin: true, CreatedAt: now, UpdatedAt: now}
	if err := q.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	m := &store.Membership{WorkspaceID: ws.ID, UserID: u.ID, Status: store.StatusActive, Role: RoleAdmin, CreatedAt: now, UpdatedAt: now}
	if err := q.CreateMembership(ctx, m); err != nil {
		return nil, err
	}
	token, sess, err := s.openSession(ctx, q, u.ID, ws.ID, nil)
	if err != nil {
		return nil, err
	}
	err = s.audit(ctx, q, store.AuditEvent{WorkspaceID: ws.ID, UserID: u.ID, ActorID: u.ID, Kind: KindSetup,
		Message: "first-run setup: super admin " + email + " and workspace " + slug}, map[string]any{"email": email, "slug": slug})
	if err != nil {
		return nil, err
	}
	return &LoginResult{User: *u, Membership: *m, SessionToken: token, Session: *sess}, nil
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
