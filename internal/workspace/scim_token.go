package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// scimTokenPrefix marks SCIM provisioning tokens, so that a leaked one is
// recognizable and cannot be mistaken for an API token.
const scimTokenPrefix = "gtscim_"

// SCIM audit kinds: every provisioning change names the request's verb
// and resource in its details (docs/scim.md).
const (
	KindSCIMToken = "scim.token"
	KindSCIMUser  = "scim.user"
	KindSCIMGroup = "scim.group"
)

// ReasonSCIMAuthoritative: SAML group sync skipped because SCIM manages
// the workspace's groups (docs/decisions.md, issue 14).
const ReasonSCIMAuthoritative = "scim_authoritative"

// errNoSCIMToken is returned for an unknown, revoked or foreign token.
var errNoSCIMToken = fmt.Errorf("workspace: unknown SCIM token: %w", store.ErrNotFound)

// CreateSCIMToken creates the workspace's SCIM token, replacing (rotating)
// any previous one, which stops working at once. The value is returned
// once; only its SHA-256 is stored. actorID "" is the operator (CLI).
func (s *Service) CreateSCIMToken(ctx context.Context, actorID, workspaceID string) (string, error) {
	raw, err := newToken()
	if err != nil {
		return "", err
	}
	token := scimTokenPrefix + raw
	err = s.inTx(ctx, func(q store.Queries) error {
		if _, err := q.GetWorkspace(ctx, workspaceID); err != nil {
			return err
		}
		_, prev := q.GetSCIMToken(ctx, workspaceID)
		rotated := prev == nil
		if prev != nil && !errors.Is(prev, store.ErrNotFound) {
			return prev
		}
		if err := q.SaveSCIMToken(ctx, &store.SCIMToken{WorkspaceID: workspaceID, TokenHash: HashToken(token),
			CreatedBy: actorID, CreatedAt: s.now()}); err != nil {
			return err
		}
		msg := "SCIM token created"
		if rotated {
			msg = "SCIM token rotated (the previous token no longer works)"
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindSCIMToken, Message: msg},
			map[string]any{"action": map[bool]string{true: "rotate", false: "create"}[rotated]})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeSCIMToken deletes the workspace's SCIM token: provisioning stops
// and the SAML groups claim is authoritative again. ErrNotFound when none.
func (s *Service) RevokeSCIMToken(ctx context.Context, actorID, workspaceID string) error {
	return s.inTx(ctx, func(q store.Queries) error {
		if err := q.DeleteSCIMToken(ctx, workspaceID); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindSCIMToken,
			Message: "SCIM token revoked"}, map[string]any{"action": "revoke"})
	})
}

// AuthenticateSCIMToken returns the workspace a token belongs to, when
// that is the workspace named slug. Every failure (unknown token, another
// workspace's token, unknown slug) is the same error wrapping
// store.ErrNotFound, so a token cannot probe which slugs exist.
func (s *Service) AuthenticateSCIMToken(ctx context.Context, slug, token string) (*store.Workspace, error) {
	if !strings.HasPrefix(token, scimTokenPrefix) || len(token) > maxTokenLen {
		return nil, errNoSCIMToken
	}
	t, err := s.Store.GetSCIMTokenByHash(ctx, HashToken(token))
	if err != nil {
		return nil, notFoundAs(err, errNoSCIMToken)
	}
	ws, err := s.Store.GetWorkspace(ctx, t.WorkspaceID)
	if err != nil {
		return nil, notFoundAs(err, errNoSCIMToken)
	}
	if ws.Slug != slug {
		return nil, errNoSCIMToken
	}
	return ws, nil
}

// RecordSCIMRequest notes the time of a provisioning request for the
// admin page ("last provisioning request"). Callers throttle it.
func (s *Service) RecordSCIMRequest(ctx context.Context, workspaceID string, at time.Time) error {
	return s.Store.TouchSCIMToken(ctx, workspaceID, at)
}

// SCIMStatus is what the admin page and the API show about provisioning.
type SCIMStatus struct {
	Enabled       bool // a token exists
	CreatedAt     time.Time
	LastRequestAt time.Time
	Groups        int // directory groups pushed
	// Authoritative: SCIM manages the workspace's groups and the SAML
	// groups claim is ignored (a token exists and a group was pushed).
	Authoritative bool
}

// GetSCIMStatus reports the workspace's provisioning state.
func (s *Service) GetSCIMStatus(ctx context.Context, workspaceID string) (*SCIMStatus, error) {
	st := &SCIMStatus{}
	t, err := s.Store.GetSCIMToken(ctx, workspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.Enabled, st.CreatedAt, st.LastRequestAt = true, t.CreatedAt, t.LastRequestAt
	if st.Groups, err = s.Store.CountSCIMGroups(ctx, workspaceID); err != nil {
		return nil, err
	}
	st.Authoritative = st.Groups > 0
	return st, nil
}

// scimAuthoritative reports, inside a transaction, whether SCIM manages
// the workspace's groups: a token exists and the directory pushed at
// least one group. Until then the SAML groups claim works as before, so
// turning SCIM on for users only changes nothing about roles.
func (s *Service) scimAuthoritative(ctx context.Context, q store.Queries, workspaceID string) (bool, error) {
	if _, err := q.GetSCIMToken(ctx, workspaceID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return false, err
	}
	n, err := q.CountSCIMGroups(ctx, workspaceID)
	return n > 0, err
}
