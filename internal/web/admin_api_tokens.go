package web

import (
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// tokensPage is the data of admin_api_tokens.html.
type tokensPage struct {
	Workspace *store.Workspace
	Tab       string
	Tokens    []store.APIToken
	NewToken  string // shown once, right after creation
	Flash     string
	Error     string
}

// handleAPITokens lists the workspace's API tokens (never their values:
// only hashes are stored).
func (s *Server) handleAPITokens(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, &tokensPage{})
}

// handleAPITokensPost creates or deletes a token. The new token's value
// is in this one response only (not in a redirect URL or a cookie).
func (s *Server) handleAPITokensPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	page := &tokensPage{}
	var err error
	switch r.PostFormValue("action") {
	case "create":
		name := strings.TrimSpace(r.PostFormValue("name"))
		if name == "" || len(name) > 100 {
			err = &fieldError{"name", "Token name: between 1 and 100 characters."}
			break
		}
		page.NewToken, _, err = s.svc.CreateAPIToken(r.Context(), actor, ws.ID, name)
		page.Flash = "Token " + quote(name) + " created."
	case "delete":
		err = s.svc.DeleteAPIToken(r.Context(), actor, ws.ID, r.PostFormValue("token_id"))
		page.Flash = "Token deleted."
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	status := http.StatusOK
	if err != nil {
		if status = errorStatus(err); status >= 500 {
			s.serverError(w, r, err)
			return
		}
		page.Flash, page.NewToken, page.Error = "", "", errorMessage(err)
	}
	s.renderTokens(w, r, status, page)
}

// renderTokens lists the tokens (metadata only) around page.
func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, page *tokensPage) {
	ws := requestWorkspace(r)
	tokens, err := s.store.ListAPITokens(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Tokens = ws, "tokens", tokens
	s.render(w, r, status, "admin_api_tokens.html", page)
}
