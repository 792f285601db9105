package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// setupView is the data of setup.html. Values are echoed back into the
// form (escaped by html/template) so a typo does not erase the page; the
// token and password never are.
type setupView struct {
	Error                            string
	Email, Name, WorkspaceName, Slug string
}

// setupAvailable reports whether the first-run page may be used: only with
// a token configured and only while no user exists.
func (s *Server) setupAvailable(r *http.Request) (bool, error) {
	if s.opts.SetupToken == "" {
		return false, nil
	}
	return s.svc.NeedsSetup(r.Context())
}

// setupOpen reports whether the first-run page may be used now, and
// otherwise answers: 404 once set up (the page must not even be
// discoverable then), 500 when that cannot be told.
func (s *Server) setupOpen(w http.ResponseWriter, r *http.Request) bool {
	ok, err := s.setupAvailable(r)
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	if !ok {
		s.notFound(w, r)
	}
	return ok
}

// handleSetupForm shows the first-run form (404 once set up).
func (s *Server) handleSetupForm(w http.ResponseWriter, r *http.Request) {
	if !s.setupOpen(w, r) {
		return
	}
	s.render(w, r, http.StatusOK, "setup.html", setupView{})
}

// handleSetup creates the first super admin and workspace and signs in.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	if !s.setupOpen(w, r) {
		return
	}
	v := setupView{
		Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		WorkspaceName: strings.TrimSpace(r.PostFormValue("workspace_name")), Slug: strings.TrimSpace(r.PostFormValue("slug")),
	}
	// Wrong tokens are limited per client address: guesses from elsewhere
	// never make the operator's correct token wait.
	limit := limitKey{s.limiter.setup, s.limitAddress(r)}
	if ok, wait := s.limiter.take(s.now(), limit); !ok {
		v.Error = "Too many attempts. Wait a minute and try again."
		w.Header().Set("Retry-After", retryAfter(wait))
		s.render(w, r, http.StatusTooManyRequests, "setup.html", v)
		return
	}
	token := r.PostFormValue("token")
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.SetupToken)) != 1 {
		s.log.Warn("setup: wrong token", "trace_id", traceID(r))
		v.Error = "The setup token is not correct. Copy it from the server log."
		s.render(w, r, http.StatusForbidden, "setup.html", v)
		return
	}
	s.limiter.refund(s.now(), limit) // only wrong tokens count
	res, err := s.svc.Setup(r.Context(), v.Email, v.Name, r.PostFormValue("password"), v.WorkspaceName, v.Slug)
	if s.hashBusy(w, r, err) {
		return
	}
	if err != nil {
		if errors.Is(err, store.ErrConflict) || isUserError(err) {
			v.Error = userMessage(err)
			s.render(w, r, http.StatusBadRequest, "setup.html", v)
			return
		}
		s.serverError(w, r, err)
		return
	}
	s.log.Info("setup complete", "trace_id", traceID(r), "workspace", v.Slug)
	s.endPreviousSession(r, v.Slug)
	s.setSessionCookie(w, v.Slug, res.SessionToken, res.Session.ExpiresAt)
	http.Redirect(w, r, "/w/"+pathEscape(v.Slug), http.StatusSeeOther)
}
