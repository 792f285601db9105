package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// authInfo is what requireMember/requireAdmin put in the request context.
type authInfo struct {
	Workspace *store.Workspace
	Principal *workspace.Principal // nil when signed out
}

// authFrom returns the workspace and principal loaded by requireMember or
// requireAdmin (nil outside those).
func authFrom(r *http.Request) *authInfo {
	a, _ := r.Context().Value(authKey).(*authInfo)
	return a
}

// requestWorkspace is the {slug} workspace of a requireMember/requireAdmin route.
func requestWorkspace(r *http.Request) *store.Workspace {
	if a := authFrom(r); a != nil {
		return a.Workspace
	}
	return nil
}

// requestPrincipal is the signed-in member of a requireMember/requireAdmin route.
func requestPrincipal(r *http.Request) *workspace.Principal {
	if a := authFrom(r); a != nil {
		return a.Principal
	}
	return nil
}

// withAuth stores a in the request context.
func withAuth(r *http.Request, a *authInfo) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), authKey, a))
}

// currentPrincipal resolves workspace ws's session cookie; nil when there
// is none, it is unknown or expired, it belongs to another workspace, or
// the user/membership no longer may sign in.
func (s *Server) currentPrincipal(r *http.Request, ws *store.Workspace) (*workspace.Principal, error) {
	if a := authFrom(r); a != nil && a.Principal != nil && a.Principal.Workspace.ID == ws.ID {
		return a.Principal, nil
	}
	tok := s.sessionToken(r, ws.Slug)
	if tok == "" {
		return nil, nil
	}
	p, err := s.svc.Authenticate(r.Context(), tok)
	if err != nil {
		if isSignedOutError(err) {
			return nil, nil
		}
		return nil, err
	}
	if p.Workspace.ID != ws.ID {
		// A token of another workspace under this workspace's name (copied
		// by hand, or a slug reused after a rename): not a session here.
		return nil, nil
	}
	return p, nil
}

// isSignedOutError tells "no valid session" apart from a database failure.
func isSignedOutError(err error) bool {
	var ae *workspace.AccessError
	return errors.Is(err, store.ErrNotFound) || errors.As(err, &ae)
}

// isAdmin reports whether p is an active admin of its workspace.
func isAdmin(p *workspace.Principal) bool {
	return p != nil && p.Membership.Role == workspace.RoleAdmin && p.Membership.Status == store.StatusActive
}

// requireMember wraps a {slug} route: it loads the workspace (404 when
// unknown) and the principal, and sends signed-out visitors (or members of
// another workspace) to the sign-in page.
func (s *Server) requireMember(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ws, err := s.store.GetWorkspaceBySlug(r.Context(), r.PathValue("slug"))
		if s.lookupFailed(w, r, err) {
			return
		}
		p, err := s.currentPrincipal(r, ws)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if p == nil {
			s.redirectToLogin(w, r, ws.Slug)
			return
		}
		next(w, withAuth(r, &authInfo{Workspace: ws, Principal: p}))
	}
}

// requireAdmin is requireMember plus the admin role; other members get 403.
func (s *Server) requireAdmin(next http.HandlerFunc) http.HandlerFunc {
	return s.requireMember(func(w http.ResponseWriter, r *http.Request) {
		if !isAdmin(requestPrincipal(r)) {
			s.errorPage(w, r, http.StatusForbidden)
			return
		}
		next(w, r)
	})
}

// redirectToLogin sends a GET back to the page after sign-in; other methods
// just go to the sign-in page.
func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request, slug string) {
	target := loginPath(slug)
	if r.Method == http.MethodGet {
		if back := safeRedirect(r.URL.RequestURI()); back != "" {
			target += "?redirect_to=" + url.QueryEscape(back)
		}
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// loginPath is a workspace's sign-in page.
func loginPath(slug string) string { return "/login/" + pathEscape(slug) }

// pathEscape escapes one path segment.
func pathEscape(s string) string { return url.PathEscape(s) }
