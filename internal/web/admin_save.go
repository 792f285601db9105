package web

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// saveLoginSettings saves the login settings form through the service,
// which enforces the access rule (docs/access-rules.md) for automatic SSO login.
func (s *Server) saveLoginSettings(ctx context.Context, ws *store.Workspace, actorID string, f loginForm) error {
	return s.svc.SaveLoginSettings(ctx, actorID, &store.LoginSettings{
		WorkspaceID:    ws.ID,
		PasswordLogin:  f.PasswordLogin,
		Signup:         f.Signup,
		AllowedDomains: splitDomains(f.AllowedDomains),
		AutoSSO:        f.AutoSSO,
	})
}

// saveMappings replaces the UI-edited mappings by the submitted rows minus
// the removed ones.
func (s *Server) saveMappings(ctx context.Context, ws *store.Workspace, actorID string, rows []mappingInput, remove map[int]bool) error {
	kept := make([]mappingInput, 0, len(rows))
	for i, r := range rows {
		if !remove[i] {
			kept = append(kept, r)
		}
	}
	clean, err := cleanMappingRows(kept)
	if err != nil {
		return err
	}
	return s.svc.ReplaceGroupMappings(ctx, actorID, ws.ID, clean)
}

// overageNotice is the banner about Entra's group overage (docs/saml.md, "Attributes").
type overageNotice struct {
	Who string // the user's email, or ID
	At  time.Time
}

// lastOverage finds whether the most recent group sync was skipped because
// of Entra group overage: the banner stays until a later login syncs.
func (s *Server) lastOverage(ctx context.Context, workspaceID string) (*overageNotice, error) {
	events, err := s.store.ListAudit(ctx, store.AuditFilter{WorkspaceID: workspaceID, Kind: auditKindGroupSync, Limit: 1})
	if err != nil || len(events) == 0 {
		return nil, err
	}
	e := events[0]
	if !isOverageEvent(e) {
		return nil, nil
	}
	who := e.UserID
	if u, err := s.store.GetUser(ctx, e.UserID); err == nil {
		who = u.Email
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return &overageNotice{Who: who, At: e.CreatedAt.UTC()}, nil
}
