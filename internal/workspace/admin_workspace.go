package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// CreateWorkspace validates and creates a workspace. A taken slug is an
// error wrapping store.ErrConflict. actorID is "" for the operator (CLI).
func (s *Service) CreateWorkspace(ctx context.Context, actorID, name, slug string) (*store.Workspace, error) {
	if err := firstError(ValidateWorkspaceName(name), ValidateSlug(slug)); err != nil {
		return nil, err
	}
	ws := &store.Workspace{ID: newID(), Name: name, Slug: slug, CreatedAt: s.now()}
	err := s.inTx(ctx, func(q store.Queries) error {
		if err := q.CreateWorkspace(ctx, ws); err != nil {
			return conflictf(err, "a workspace with slug %q already exists", slug)
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: ws.ID, ActorID: actorID, Kind: KindWorkspaceCreate,
			Message: "workspace " + slug + " created"}, map[string]any{"name": name, "slug": slug})
	})
	if err != nil {
		return nil, err
	}
	return ws, nil
}

// conflictf rewrites a store.ErrConflict into a readable error that still
// wraps it; other errors pass through.
func conflictf(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), store.ErrConflict)
	}
	return err
}

// inWorkspace returns a not-found error when a record of another workspace
// is addressed through this one (an admin of A must not reach B's rows).
func inWorkspace(recordWorkspaceID, workspaceID, what string) error {
	if recordWorkspaceID != workspaceID {
		return fmt.Errorf("workspace: %s not in this workspace: %w", what, store.ErrNotFound)
	}
	return nil
}
