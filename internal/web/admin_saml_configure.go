package web

import (
	"context"
	"errors"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// SAMLInputFor returns the SAML settings of the workspace as the settings
// form shows them (the defaults when it has no config yet), so that a
// caller can change a few fields and pass the rest through ConfigureSAML.
func (s *Server) SAMLInputFor(ctx context.Context, slug string) (SAMLInput, error) {
	ws, err := s.store.GetWorkspaceBySlug(ctx, slug)
	if err != nil {
		return SAMLInput{}, err
	}
	cfg, err := s.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	if errors.Is(err, store.ErrNotFound) {
		return samlInputFromConfig(&store.SAMLConfig{}), nil
	}
	if err != nil {
		return SAMLInput{}, err
	}
	return samlInputFromConfig(cfg), nil
}

// ConfigureSAML validates in and saves it as the workspace's SAML config,
// exactly as the settings page does (same checks, same messages, nothing
// saved on error); the CLI uses it. An empty MetadataXML keeps the stored
// metadata. actorID may be "" for the instance operator.
func (s *Server) ConfigureSAML(ctx context.Context, slug, actorID string, in SAMLInput) (*SAMLResult, error) {
	ws, err := s.store.GetWorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.saveSAML(ctx, ws, actorID, in)
}

// ErrorMessage is the admin-facing text for an error of ConfigureSAML
// (the text the settings page shows).
func ErrorMessage(err error) string { return errorMessage(err) }

// IsInputError reports whether err is refused input (the page answers 422)
// rather than a failure of the server.
func IsInputError(err error) bool { return errorStatus(err) < 500 }
