package workspace

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// UnarchiveUser undoes ArchiveUser: in one workspace (the membership
// becomes active again) or, when workspaceID is "", instance-wide (the
// user may sign in again wherever their memberships are active). It is
// how an operator recovers an admin who archived themselves out.
func (s *Service) UnarchiveUser(ctx context.Context, actorID, email, workspaceID string) error {
	return s.changeArchived(ctx, actorID, email, workspaceID, false, func(q store.Queries, u *store.User) error {
		return s.audit(ctx, q, store.AuditEvent{UserID: u.ID, ActorID: actorID, Kind: KindUserUnarchive,
			Message: u.Email + " unarchived instance-wide"}, map[string]any{"email": u.Email})
	})
}
