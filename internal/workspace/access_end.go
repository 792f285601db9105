package workspace

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// AccessEnded counts what EndMemberAccess removed, for the audit event.
type AccessEnded struct {
	Sessions  int64
	APITokens int64
}

// details adds the counts to an audit event's details.
func (a AccessEnded) details(d map[string]any) map[string]any {
	d["sessions_ended"], d["api_tokens_revoked"] = a.Sessions, a.APITokens
	return d
}

// EndMemberAccess is the one path that ends everything that lets userID
// act in workspaceID ("" = every workspace) when they are archived there
// or instance-wide (or set back to invited): their sessions and the API
// tokens they created are deleted inside q's transaction, so that
// unarchiving later revives neither (docs/access-rules.md, "Ending
// access"). Every archive path (admin page, API, CLI, SCIM) must reach it;
// credentials added later (e.g. refresh tokens) are revoked here too.
func (s *Service) EndMemberAccess(ctx context.Context, q store.Queries, workspaceID, userID string) (AccessEnded, error) {
	var a AccessEnded
	var err error
	if a.Sessions, err = q.DeleteUserSessions(ctx, userID, workspaceID); err != nil {
		return a, err
	}
	a.APITokens, err = q.DeleteUserAPITokens(ctx, userID, workspaceID)
	return a, err
}

// revokeAdminTokens deletes the API tokens userID created in the
// workspace when they lose the admin role: a token acts for its creator's
// admin rights, and must not come back with a later re-promotion.
func (s *Service) revokeAdminTokens(ctx context.Context, q store.Queries, workspaceID, userID string) (int64, error) {
	return q.DeleteUserAPITokens(ctx, userID, workspaceID)
}
