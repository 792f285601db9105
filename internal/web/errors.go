package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// errorView is the data of error.html. It never contains anything from the
// request: only a fixed message for the status and the trace ID.
type errorView struct {
	Status  int
	Title   string
	Message string
	TraceID string
	// BackURL is a link back to a sign-in page we built ("" for none).
	BackURL string
}

// genericMessages are the only texts an error page shows.
var genericMessages = map[int][2]string{
	http.StatusBadRequest:            {"Bad request", "The request could not be processed."},
	http.StatusForbidden:             {"Access denied", "You are not allowed to do this, or the request could not be verified."},
	http.StatusNotFound:              {"Not found", "There is nothing here."},
	http.StatusMethodNotAllowed:      {"Not allowed", "This method is not allowed here."},
	http.StatusRequestEntityTooLarge: {"Too large", "The request is too large."},
	http.StatusTooManyRequests:       {"Too many attempts", "Too many attempts. Wait a minute and try again."},
	http.StatusInternalServerError:   {"Something went wrong", "Something went wrong on our side."},
	http.StatusServiceUnavailable:    {"Unavailable", "The service is not available right now."},
}

// errorPage renders the generic error page with the request's trace ID.
// Callers log the details (with the same trace ID) themselves.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	m, ok := genericMessages[status]
	if !ok {
		m = genericMessages[http.StatusBadRequest]
		if status >= 500 {
			m = genericMessages[http.StatusInternalServerError]
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "error.html", errorView{Status: status, Title: m[0], Message: m[1], TraceID: traceID(r)})
}

// signInFailed is the page for a failed SAML sign-in: the same generic page
// with a sign-in specific text (details are in the log and the audit log)
// and a link back to the workspace's sign-in page (slug comes from the
// database, never from the request).
func (s *Server) signInFailed(w http.ResponseWriter, r *http.Request, status int, slug string) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "error.html", errorView{
		Status: status, Title: "Sign-in failed",
		Message: "We could not sign you in with your identity provider. Try again, or give your administrator the trace ID below.",
		TraceID: traceID(r), BackURL: loginPath(slug),
	})
}

// ssoDisabled explains that a workspace's SSO is turned off, instead of a
// bare "Not found" at its start URL or ACS (docs/access-rules.md). It
// names the workspace and the SSO (both admin-chosen, from the database)
// and links to the workspace's sign-in page.
func (s *Server) ssoDisabled(w http.ResponseWriter, r *http.Request, cfg *store.SAMLConfig, ws *store.Workspace) {
	name := cfg.Name
	if name == "" {
		name = "SAML"
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusForbidden, "error.html", errorView{
		Status: http.StatusForbidden, Title: "SSO is turned off",
		Message: "Single sign-on with " + name + " is turned off for the workspace " + ws.Name + ". " +
			"Use another way to sign in on the workspace's sign-in page, or ask its administrator to turn SSO back on.",
		TraceID: traceID(r), BackURL: loginPath(ws.Slug),
	})
}

// serverError logs err with the trace ID and shows the 500 page, or the
// 503 page with Retry-After when the database is unavailable or every
// password hash slot stayed taken.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if store.IsUnavailable(err) {
		s.unavailable(w, r, err)
		return
	}
	if s.hashBusy(w, r, err) { // every path that hashes a password (links too) gets 503, not 500
		return
	}
	s.log.Error("internal error", "trace_id", traceID(r), "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError)
}

// notFound shows the generic 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound)
}

// lookupFailed answers a failed store lookup: 404 for store.ErrNotFound
// (an unknown slug or ID in a URL is the visitor's mistake, not ours), the
// 500 page for anything else. It reports whether it answered, so handlers
// read `if s.lookupFailed(w, r, err) { return }`.
func (s *Server) lookupFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return true
}
