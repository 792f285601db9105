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
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	if workspaceID != "" {
		return s.SetMemberStatus(ctx, actorID, workspaceID, u.ID, store.StatusActive)
	}
	return s.inTx(ctx, func(q store.Queries) error {
		u, err := q.GetUser(ctx, u.ID)
		if err != nil || !u.Archived {
			return err
		}
		u.Archived, u.UpdatedAt = false, s.now()
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{UserID: u.ID, ActorID: actorID, Kind: KindUserUnarchive,
			Message: u.Email + " unarchived instance-wide"}, map[string]any{"email": u.Email})
	})
}
