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

func init() { registerConfirm("scim.token", confirmSCIMToken) }

// scimNeedsConfirmation sends a rotation or revocation of an existing
// token to its confirmation page first: either one breaks the directory's
// provisioning until the admin pastes a new token there.
func (s *Server) scimNeedsConfirmation(w http.ResponseWriter, r *http.Request) bool {
	action := r.PostFormValue("action")
	if action != "revoke" && action != "create" {
		return false
	}
	if _, err := s.store.GetSCIMToken(r.Context(), requestWorkspace(r).ID); err != nil {
		return false // nothing to break (a store error surfaces in the action)
	}
	return s.needsConfirmation(w, r, "scim.token", "section", "action")
}

// confirmSCIMToken says what rotating or revoking the token does.
func confirmSCIMToken(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	back := "/settings/" + pathEscape(ws.Slug) + "/workspace-login"
	c := &confirmation{Tab: "login", Action: back, Cancel: back + "#scim", Fields: fieldsOf(r, "section", "action")}
	switch r.URL.Query().Get("action") {
	case "create":
		c.Title, c.Button = "Rotate the SCIM token?", "Rotate the token"
		c.Consequences = []string{"The current token stops working at once: provisioning fails until you paste the new token into the directory (Entra: Provisioning > Admin Credentials > Secret Token).",
			"The new token is shown once, on the next page."}
	case "revoke":
		c.Title, c.Button = "Revoke the SCIM token?", "Revoke the token"
		c.Consequences = []string{"Provisioning stops: the directory's requests get 401 Unauthorized.",
			"Members and groups it provisioned stay as they are; the SAML groups claim is authoritative for groups again."}
	default:
		return nil, store.ErrNotFound
	}
	return c, nil
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
