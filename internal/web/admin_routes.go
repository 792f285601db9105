package web

import (
	"net/http"
	"time"
)

// adminRoutes registers the workspace settings pages (role admin only;
// CSRF is enforced for every POST by csrfMiddleware).
func (s *Server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/{slug}", s.requireAdmin(s.handleSettingsIndex))
	mux.HandleFunc("GET /settings/{slug}/workspace-login", s.requireAdmin(s.handleWorkspaceLogin))
	mux.HandleFunc("POST /settings/{slug}/workspace-login", s.requireAdmin(s.handleWorkspaceLoginPost))
	mux.HandleFunc("GET /settings/{slug}/members", s.requireAdmin(s.handleMembers))
	mux.HandleFunc("POST /settings/{slug}/members", s.requireAdmin(s.handleMembersPost))
	mux.HandleFunc("GET /settings/{slug}/groups", s.requireAdmin(s.handleGroups))
	mux.HandleFunc("POST /settings/{slug}/groups", s.requireAdmin(s.handleGroupsPost))
	mux.HandleFunc("GET /settings/{slug}/audit", s.requireAdmin(s.handleAudit))
	mux.HandleFunc("GET /settings/{slug}/api-tokens", s.requireAdmin(s.handleAPITokens))
	mux.HandleFunc("POST /settings/{slug}/api-tokens", s.requireAdmin(s.handleAPITokensPost))
	s.confirmRoutes(mux)
	s.inviteRoutes(mux)
	s.apiSPKeyRoutes(mux)
}

// handleSettingsIndex sends /settings/{slug} to the first settings page.
func (s *Server) handleSettingsIndex(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/settings/"+pathEscape(requestWorkspace(r).Slug)+"/workspace-login", http.StatusSeeOther)
}

// Template helpers the admin pages use, added to the shared FuncMap before
// any page is parsed (New runs after package initialization).
func init() {
	templateFuncs["fmtTime"] = func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	templateFuncs["inc"] = func(i int) int { return i + 1 }
	templateFuncs["list"] = func(v ...string) []string { return v }
}
