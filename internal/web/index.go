package web

import (
	"net/http"
	"regexp"
)

// slugPattern is the slug syntax of docs/concepts.md; anything else cannot be a
// workspace, so the index never redirects to an odd path.
var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// indexView is the data of index.html.
type indexView struct {
	NotFound bool
}

// handleIndex sends visitors to setup on a fresh instance, to the only
// workspace's sign-in page when there is one, and otherwise asks for the
// workspace (it never lists workspaces to anonymous visitors).
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if need, err := s.svc.NeedsSetup(ctx); err != nil {
		s.serverError(w, r, err)
		return
	} else if need {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	if slug := r.URL.Query().Get("workspace"); slug != "" {
		if slugPattern.MatchString(slug) {
			if _, err := s.store.GetWorkspaceBySlug(ctx, slug); err == nil {
				http.Redirect(w, r, loginPath(slug), http.StatusSeeOther)
				return
			}
		}
		s.render(w, r, http.StatusNotFound, "index.html", indexView{NotFound: true})
		return
	}
	list, err := s.store.ListWorkspaces(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(list) == 1 {
		http.Redirect(w, r, loginPath(list[0].Slug), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "index.html", indexView{})
}
