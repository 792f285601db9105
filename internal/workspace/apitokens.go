package workspace

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// apiTokenPrefix marks Gatehouse API tokens so that secret scanners and
// people can recognize a leaked one.
const apiTokenPrefix = "gth_"

// CreateAPIToken creates an API token for a workspace and returns it once
// (only its SHA-256 is stored).
func (s *Service) CreateAPIToken(ctx context.Context, actorID, workspaceID, name string) (string, *store.APIToken, error) {
	return s.CreateAPITokenExpiring(ctx, actorID, workspaceID, name, time.Time{})
}

// CreateAPITokenExpiring is CreateAPIToken with an expiry (zero = never),
// which must lie in the future and within MaxAPITokenLifetime.
func (s *Service) CreateAPITokenExpiring(ctx context.Context, actorID, workspaceID, name string, expiresAt time.Time) (string, *store.APIToken, error) {
	if err := s.checkTokenExpiry(expiresAt); err != nil {
		return "", nil, err
	}
	if err := validateLabel("name", "Token name", name, maxNameLen); err != nil {
		return "", nil, err
	}
	raw, err := newToken()
	if err != nil {
		return "", nil, err
	}
	token := apiTokenPrefix + raw
	t := &store.APIToken{ID: newID(), WorkspaceID: workspaceID, Name: name, TokenHash: HashToken(token), CreatedBy: actorID, CreatedAt: s.now(), ExpiresAt: expiresAt}
	err = s.inTx(ctx, func(q store.Queries) error {
		if _, err := q.GetWorkspace(ctx, workspaceID); err != nil {
			return err
		}
		if err := q.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindTokenCreate,
			Message: "API token " + name + " created"}, tokenAuditDetails(t))
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// AuthenticateAPIToken returns the token record for a presented token;
// an error wrapping store.ErrNotFound when it is unknown.
func (s *Service) AuthenticateAPIToken(ctx context.Context, token string) (*store.APIToken, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) || len(token) > maxTokenLen {
		return nil, errNoToken
	}
	t, err := s.Store.GetAPIToken(ctx, HashToken(token))
	if err != nil {
		return nil, notFoundAs(err, errNoToken)
	}
	now := s.now()
	if !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) {
		return nil, errTokenExpired
	}
	s.touchAPIToken(ctx, t, now)
	return t, nil
}

// DeleteAPIToken revokes a workspace's token.
func (s *Service) DeleteAPIToken(ctx context.Context, actorID, workspaceID, id string) error {
	return s.inTx(ctx, func(q store.Queries) error {
		if err := q.DeleteAPIToken(ctx, workspaceID, id); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindTokenDelete,
			Message: "API token deleted"}, map[string]any{"token_id": id})
	})
}
