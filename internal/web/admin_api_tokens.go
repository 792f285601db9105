package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// tokensPage is the data of admin_api_tokens.html.
type tokensPage struct {
	Workspace *store.Workspace
	Tab       string
	Tokens    []store.APIToken
	Now       time.Time // to mark expired tokens
	NewToken  string    // shown once, on the page the creation redirects to
	Expiries  []tokenExpiry
	Flash     string
	Error     string
}

// tokenExpiry is one choice of the expiry menu.
type tokenExpiry struct {
	Days  int // 0 = never
	Label string
}

// tokenExpiries are the offered lifetimes (the service allows up to a year).
var tokenExpiries = []tokenExpiry{{0, "No expiry"}, {7, "7 days"}, {30, "30 days"}, {90, "90 days"}, {365, "1 year"}}

// handleAPITokens lists the workspace's API tokens (never their values:
// only hashes are stored) and, once, a token just created.
func (s *Server) handleAPITokens(w http.ResponseWriter, r *http.Request) {
	page := &tokensPage{}
	if f := s.takeFlash(w, r); f != nil {
		page.Flash, page.NewToken = f.Message, f.Secret
	}
	s.renderTokens(w, r, http.StatusOK, page)
}

// handleAPITokensPost creates or deletes (after confirmation) a token.
// Success redirects; the new token's value travels only in the sealed
// flash cookie and is shown once (see flash.go).
func (s *Server) handleAPITokensPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	var f flash
	var err error
	switch r.PostFormValue("action") {
	case "create":
		f, err = s.createTokenFromForm(r, ws, actor)
	case "delete":
		if s.needsConfirmation(w, r, "token.delete") {
			return
		}
		err, f.Message = s.svc.DeleteAPIToken(r.Context(), actor, ws.ID, r.PostFormValue("token_id")), "Token deleted."
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		status, answered := s.formFailed(w, r, err)
		if answered {
			return
		}
		s.renderTokens(w, r, status, &tokensPage{Error: errorMessage(err)})
		return
	}
	s.redirectFlash(w, r, "/settings/"+pathEscape(ws.Slug)+"/api-tokens", f)
}

// createTokenFromForm creates the token the form describes.
func (s *Server) createTokenFromForm(r *http.Request, ws *store.Workspace, actor string) (flash, error) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len(name) > 100 {
		return flash{}, &fieldError{"name", "Token name: between 1 and 100 characters."}
	}
	days, err := strconv.Atoi(r.PostFormValue("expires_days"))
	if r.PostFormValue("expires_days") == "" {
		days, err = 0, nil
	}
	if err != nil || days < 0 || days > 366 {
		return flash{}, &fieldError{"expires_days", "Expiry: choose one of the offered lifetimes."}
	}
	var expires time.Time
	if days > 0 {
		expires = s.now().Add(time.Duration(days) * 24 * time.Hour)
	}
	token, _, err := s.svc.CreateAPITokenExpiring(r.Context(), actor, ws.ID, name, expires)
	if err != nil {
		return flash{}, err
	}
	return flash{Message: "Token " + quote(name) + " created.", Secret: token}, nil
}

// renderTokens lists the tokens (metadata only) around page.
func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, page *tokensPage) {
	ws := requestWorkspace(r)
	tokens, err := s.store.ListAPITokens(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Tokens, page.Now, page.Expiries = ws, "tokens", tokens, s.now(), tokenExpiries
	s.render(w, r, status, "admin_api_tokens.html", page)
}
