package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/scim"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// scimSection is the SCIM card of the Workspace login page.
type scimSection struct {
	TenantURL     string
	Enabled       bool
	CreatedAt     time.Time
	LastRequestAt time.Time
	Groups        int
	Authoritative bool
	NewToken      string // shown once, right after creation or rotation
	Flash, Error  string
}

// postSCIMSection creates, rotates or revokes the SCIM token. The new
// token is in this one response only.
func (s *Server) postSCIMSection(r *http.Request, page *workspaceLoginPage) error {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	page.SCIM = &scimSection{}
	var err error
	switch r.PostFormValue("action") {
	case "create":
		page.SCIM.NewToken, err = s.svc.CreateSCIMToken(r.Context(), actor, ws.ID)
		page.SCIM.Flash = "SCIM token created. Any previous token no longer works."
	case "revoke":
		err = s.svc.RevokeSCIMToken(r.Context(), actor, ws.ID)
		if errors.Is(err, store.ErrNotFound) {
			err = &fieldError{"action", "There is no SCIM token to revoke."}
		}
		page.SCIM.Flash = "SCIM token revoked: provisioning is off."
	default:
		err = &fieldError{"action", "Unknown SCIM action."}
	}
	if err != nil {
		page.SCIM.Flash, page.SCIM.NewToken, page.SCIM.Error = "", "", errorMessage(err)
	}
	return err
}

// fillSCIMSection loads the provisioning state (keeping a token or
// message the POST put there).
func (s *Server) fillSCIMSection(ctx context.Context, ws *store.Workspace, page *workspaceLoginPage) error {
	if page.SCIM == nil {
		page.SCIM = &scimSection{}
	}
	st, err := s.svc.GetSCIMStatus(ctx, ws.ID)
	if err != nil {
		return err
	}
	sec := page.SCIM
	sec.TenantURL = scim.TenantURL(s.opts.PublicURL, ws.Slug)
	sec.Enabled, sec.CreatedAt, sec.LastRequestAt = st.Enabled, st.CreatedAt, st.LastRequestAt
	sec.Groups, sec.Authoritative = st.Groups, st.Authoritative
	return nil
}
