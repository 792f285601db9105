package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// workspaceLoginPage is the data of admin_workspace_login.html.
type workspaceLoginPage struct {
	Workspace *store.Workspace
	Tab       string

	SAML           ssoconfig.Input // the form's values: stored, or as submitted after an error
	SAMLSaved      bool
	SAMLError      string
	SAMLErrorField string
	Preview        *ssoconfig.Preview
	RedirectURL    string // also the SP entity ID
	SSOState       string // "on", "off", or "" before the first save
	SPMetadataPath string

	Login      loginForm
	LoginSaved bool
	LoginError string

	EnvVarName      string
	EnvMappingError string
	EnvMappings     []mappingRow
	UIMappings      []mappingRow
	NewMapping      mappingInput // the blank row; prefilled by the "map" action
	MappingsSaved   bool
	MappingsError   string
	MappingWarnings []mappingWarningJSON // targets group sync would ignore
	SPKeys          *spKeysView          // the SP's own keys (nil before the first SAML save)
	GroupNames      []string             // datalist of mapping targets
	SeenGroups      []seenGroupRow
	Overage         *overageNotice
	SCIM            *scimSection
}

// seenGroupRow is one line of "IdP groups seen recently".
type seenGroupRow struct {
	store.SeenIdPGroup
	MappedTo string // "" = unmapped
	Source   string // sourceEnv or sourceUI
}

// handleWorkspaceLogin shows the page with the stored settings.
func (s *Server) handleWorkspaceLogin(w http.ResponseWriter, r *http.Request) {
	page := &workspaceLoginPage{NewMapping: mappingInput{IdPGroup: strings.TrimSpace(r.URL.Query().Get("map"))}}
	if f := s.takeFlash(w, r); f != nil {
		page.SAMLSaved, page.LoginSaved, page.MappingsSaved = f.Section == "saml", f.Section == "login", f.Section == "mappings"
		if f.Section == "scim" {
			page.SCIM = &scimSection{Flash: f.Message, NewToken: f.Secret}
		}
	}
	s.renderWorkspaceLogin(w, r, http.StatusOK, page, "")
}

// handleWorkspaceLoginPost saves one of the page's three forms (named by
// the hidden "section" field); each saves fully or not at all. A success
// redirects back to the page (post/redirect/get) with a flash naming the
// section; a refusal shows the submitted values with the message.
func (s *Server) handleWorkspaceLoginPost(w http.ResponseWriter, r *http.Request) {
	section := r.PostFormValue("section")
	save, ok := map[string]func(*http.Request, *workspaceLoginPage) error{
		"saml": s.postSAMLSection, "login": s.postLoginSection, "mappings": s.postMappingsSection,
		"scim": s.postSCIMSection, "spkeys": s.postSPKeysSection,
	}[section]
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if section == "scim" && s.scimNeedsConfirmation(w, r) {
		return
	}
	page := &workspaceLoginPage{}
	err := save(r, page)
	if err == nil {
		f := flash{Message: "saved", Section: section}
		if page.SCIM != nil { // the SCIM token travels sealed, shown once
			f.Message, f.Secret = page.SCIM.Flash, page.SCIM.NewToken
		}
		s.redirectFlash(w, r, "/settings/"+pathEscape(requestWorkspace(r).Slug)+"/workspace-login", f)
		return
	}
	status, answered := s.formFailed(w, r, err)
	if answered {
		return
	}
	s.renderWorkspaceLogin(w, r, status, page, section)
}

// postSAMLSection saves the SAML form; on error the page shows the
// submitted values with the message.
func (s *Server) postSAMLSection(r *http.Request, page *workspaceLoginPage) error {
	page.SAML = samlInputFromForm(r)
	if err := s.checkSSOKeepsActor(r, page.SAML.Enabled); err != nil {
		page.SAMLError, page.SAMLErrorField = errorMessage(err), errorField(err)
		return err
	}
	res, err := s.sso.Save(r.Context(), requestWorkspace(r), requestPrincipal(r).User.ID, page.SAML)
	if err != nil {
		page.SAMLError, page.SAMLErrorField = errorMessage(err), errorField(err)
		return err
	}
	page.SAMLSaved, page.Preview, page.SAML = true, res.Preview, ssoconfig.InputFor(res.Config)
	return nil
}

// postLoginSection saves the login settings form.
func (s *Server) postLoginSection(r *http.Request, page *workspaceLoginPage) error {
	page.Login = loginFormFromRequest(r)
	if err := s.saveLoginSettings(r.Context(), requestWorkspace(r), requestPrincipal(r).User.ID, page.Login); err != nil {
		page.LoginError = errorMessage(err)
		return err
	}
	page.LoginSaved = true
	return nil
}

// postMappingsSection saves the UI mapping rows; on error the page shows
// the rows as submitted.
func (s *Server) postMappingsSection(r *http.Request, page *workspaceLoginPage) error {
	rows, remove := mappingRowsFromForm(r)
	if err := s.saveMappings(r.Context(), requestWorkspace(r), requestPrincipal(r).User.ID, rows, remove); err != nil {
		page.MappingsError = errorMessage(err)
		page.UIMappings, page.NewMapping = submittedMappings(rows)
		return err
	}
	page.MappingsSaved = true
	return nil
}

// renderWorkspaceLogin fills whatever the handler did not (the stored
// values of the forms that were not submitted) and renders the page.
func (s *Server) renderWorkspaceLogin(w http.ResponseWriter, r *http.Request, status int, page *workspaceLoginPage, submitted string) {
	ctx, ws := r.Context(), requestWorkspace(r)
	page.Workspace, page.Tab = ws, "login"
	if err := s.fillSAMLSection(ctx, ws, page, submitted == "saml"); err != nil {
		s.serverError(w, r, err)
		return
	}
	if submitted != "login" || page.LoginError == "" {
		// After a successful save, show what was stored (normalized).
		ls, err := s.store.GetLoginSettings(ctx, ws.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		page.Login = loginFormFromSettings(ls)
	}
	if err := s.fillSPKeys(ctx, ws, page); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.fillMappingsSection(ctx, ws, page, submitted == "mappings" && page.MappingsError != ""); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.fillSCIMSection(ctx, ws, page); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "admin_workspace_login.html", page)
}

// fillSAMLSection loads the stored config: the form values (unless the
// admin's submission is being shown back), the preview and the Redirect URL.
func (s *Server) fillSAMLSection(ctx context.Context, ws *store.Workspace, page *workspaceLoginPage, submitted bool) error {
	cfg, err := s.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	if errors.Is(err, store.ErrNotFound) {
		if !submitted {
			page.SAML = ssoconfig.InputFor(&store.SAMLConfig{})
		}
		return nil
	}
	if err != nil {
		return err
	}
	if !submitted {
		page.SAML = ssoconfig.InputFor(cfg)
	}
	if page.Preview == nil && page.SAMLError == "" {
		page.Preview = s.sso.Preview(cfg) // nil when a newer parser refuses it
	}
	page.SSOState = "off"
	if cfg.Enabled {
		page.SSOState = "on"
	}
	page.RedirectURL = s.acsURL(cfg.ID)
	page.SPMetadataPath = "/api/sso/saml/" + pathEscape(cfg.ID) + "/metadata"
	return nil
}

// fillMappingsSection loads the mapping rows, the environment's state, the
// seen IdP groups and the overage notice. keepSubmitted leaves the UI rows
// the admin submitted (after an error) in place.
func (s *Server) fillMappingsSection(ctx context.Context, ws *store.Workspace, page *workspaceLoginPage, keepSubmitted bool) error {
	page.EnvVarName = config.GroupMappingsVar(ws.Slug)
	env, envErr := s.envMappings(ws.Slug)
	if envErr != nil {
		// The banner names the variable already; config's errors start
		// with it too.
		page.EnvMappingError = strings.TrimPrefix(envErr.Error(), page.EnvVarName+": ")
	}
	ui, err := s.store.ListGroupMappings(ctx, ws.ID)
	if err != nil {
		return err
	}
	merged := mergeMappings(env, ui)
	page.EnvMappings = nil
	for _, m := range merged {
		if m.Source == sourceEnv {
			page.EnvMappings = append(page.EnvMappings, m)
		} else if !keepSubmitted {
			page.UIMappings = append(page.UIMappings, m)
		}
	}
	if page.GroupNames, err = s.mappingTargets(ctx, ws.ID); err != nil {
		return err
	}
	if page.MappingWarnings, err = s.mappingWarnings(ctx, ws, merged); err != nil {
		return err
	}
	seen, err := s.store.ListSeenIdPGroups(ctx, ws.ID, seenGroupsShown)
	if err != nil {
		return err
	}
	for _, g := range seen {
		to, src := seenTarget(merged, page.GroupNames, g.Value)
		page.SeenGroups = append(page.SeenGroups, seenGroupRow{SeenIdPGroup: g, MappedTo: to, Source: src})
	}
	page.Overage, err = s.lastOverage(ctx, ws.ID)
	return err
}

// seenGroupsShown bounds the "IdP groups seen recently" table.
const seenGroupsShown = 100

// mappingTargets lists the valid right-hand sides of a mapping: the role
// names and the workspace's custom groups.
func (s *Server) mappingTargets(ctx context.Context, workspaceID string) ([]string, error) {
	groups, err := s.store.ListGroups(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	names := []string{workspace.RoleAdmin, workspace.RoleBuilder, workspace.RoleEndUser}
	for _, g := range groups {
		names = append(names, g.Name)
	}
	return names, nil
}

// envMappings returns the workspace's TJ_SAML_GROUP_MAPPINGS__ mapping
// (nil when unset) or the reason it is invalid.
func (s *Server) envMappings(slug string) (map[string]string, error) {
	if s.opts.GroupMappings == nil {
		return nil, nil
	}
	env, err := s.opts.GroupMappings(slug)
	if err == nil {
		err = workspace.CheckEnvMappings(env) // what makes sync refuse it
	}
	if err != nil {
		return nil, err
	}
	return env, nil
}
