package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"
)

// Request bodies (issue 11): every request gets a size limit before any
// handler can read its body, and no route accepts multipart/form-data
// (none of our forms uploads files). Multipart is what makes Go's form
// parsing spill to temporary files, which the server removes only for the
// request it created, not for the copies our middleware and handlers make.

var errMultipart = errors.New("multipart bodies are not accepted")

// bodyLimit is the largest body a route may send: the SAML endpoints
// carry a base64 response or logout message (they set tighter limits
// themselves), /api/v1 carries JSON, everything else is a form.
func (s *Server) bodyLimit(path string) int64 {
	switch {
	case strings.HasPrefix(path, "/api/sso/saml/"):
		return s.acsBodyLimit()
	case isAPIPath(path):
		return maxAPIBody
	default:
		return maxFormBytes
	}
}

// limitBodies refuses multipart bodies with 415 and caps every body at
// the route's limit; any multipart form a handler parsed anyway has its
// temporary files removed when the request ends.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isMultipart(r) {
			s.log.Warn("multipart body refused", "trace_id", traceID(r), "path", r.URL.Path)
			if isAPIPath(r.URL.Path) {
				writeAPIError(w, http.StatusUnsupportedMediaType, apiError{Code: apiCodeBadRequest,
					Error: "multipart bodies are not accepted; send JSON"})
				return
			}
			s.errorPage(w, r, http.StatusUnsupportedMediaType)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r.URL.Path))
		}
		defer func() {
			if r.MultipartForm != nil {
				_ = r.MultipartForm.RemoveAll()
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// isAPIPath reports whether path belongs to the JSON API.
func isAPIPath(path string) bool { return path == "/api/v1" || strings.HasPrefix(path, "/api/v1/") }

// isMultipart reports whether the body claims to be multipart/*.
func isMultipart(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "multipart/")
	}
	return strings.HasPrefix(mt, "multipart/")
}

// readForm parses a form body within maxFormBytes, whichever way the CSRF
// token arrives, so no handler later reads an unbounded body.
func readForm(w http.ResponseWriter, r *http.Request) error {
	if isMultipart(r) {
		return errMultipart
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	return r.ParseForm()
}

// formErrorStatus is the answer to a form that could not be read.
func formErrorStatus(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errMultipart):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, errCSRF):
		return http.StatusForbidden
	default:
		return http.StatusBadRequest
	}
}
