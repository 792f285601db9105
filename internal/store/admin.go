package store

import (
	"context"
	"time"
)

// AdminQueries are the reads and writes of the workspace settings pages
// added for issue 12 (admin safety, members, API token use).
type AdminQueries interface {
	// TouchAPIToken records that a token was used at at. It only moves
	// LastUsedAt forward, so concurrent requests cannot move it back.
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	// SSOLinkedUsers lists the IDs of the users linked to a SAML config
	// (those whose role and groups group sync manages).
	SSOLinkedUsers(ctx context.Context, configID string) ([]string, error)
}
