package scim

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Bounds on the input of a provisioning request.
const (
	// MaxBodyBytes bounds a request body (a group PUT with
	// workspace.MaxSCIMGroupMembers members fits comfortably).
	MaxBodyBytes = 1 << 20
	// MaxPageSize is the largest count of a list request.
	MaxPageSize = 200
	// defaultPageSize applies when count is absent.
	defaultPageSize = 100
	// touchInterval is how often the "last provisioning request" time is
	// written per workspace (a sync sends thousands of requests).
	touchInterval = 30 * time.Second
)

// PathPrefix is where the handler is mounted; the workspace slug follows.
const PathPrefix = "/scim/v2/"

// Options configure a Handler.
type Options struct {
	Service *workspace.Service
	Store   store.Store
	// PublicURL is the instance's public base URL without a trailing
	// slash; resource locations are built from it, never from Host.
	PublicURL string
	// ClientIP is the address wrong tokens are counted against (with the slug).
	ClientIP func(*http.Request) string
	// TraceID names a request in logs and audit events.
	TraceID func(*http.Request) string
	Log     *slog.Logger
	Now     func() time.Time
	// Observe, when set, is told every request's resource ("Users",
	// "Groups", "discovery" or "other"), method and status, for metrics.
	Observe func(resource, method string, status int)
}

// Handler serves /scim/v2/{slug}/.
type Handler struct {
	o       Options
	limiter *failureLimiter
	mu      sync.Mutex
	touched map[string]time.Time // workspace ID -> last TouchSCIMToken
}

// New builds a Handler.
func New(o Options) *Handler {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TraceID == nil {
		o.TraceID = func(*http.Request) string { return "" }
	}
	if o.ClientIP == nil {
		o.ClientIP = func(r *http.Request) string { return r.RemoteAddr }
	}
	return &Handler{o: o, limiter: newFailureLimiter(), touched: map[string]time.Time{}}
}

// TenantURL is the URL to paste into the directory ("Tenant URL" in Entra).
func TenantURL(publicURL, slug string) string {
	return strings.TrimRight(publicURL, "/") + PathPrefix + url.PathEscape(slug)
}

// call is one authenticated request.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	ws   *store.Workspace
	base string   // the workspace's SCIM base URL
	rest []string // path segments after the slug
}

// ServeHTTP authenticates the request and routes it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.o.Observe != nil {
		rec := &statusWriter{ResponseWriter: w}
		defer func() { h.o.Observe(resourceLabel(r.URL.Path), r.Method, rec.status) }()
		w = rec
	}
	h.serve(w, r)
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// resourceLabel is the bounded resource name of a path (never the slug
// or an id), for metric labels.
func resourceLabel(path string) string {
	_, rest, _ := strings.Cut(strings.TrimPrefix(path, PathPrefix), "/")
	first, _, _ := strings.Cut(strings.Trim(rest, "/"), "/")
	switch strings.ToLower(first) {
	case "users":
		return "Users"
	case "groups":
		return "Groups"
	case "serviceproviderconfig", "resourcetypes", "schemas":
		return "discovery"
	}
	return "other"
}

// serve authenticates the request and routes it.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	slug, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, PathPrefix), "/")
	ws, ok := h.authenticate(w, r, slug)
	if !ok {
		return
	}
	h.touch(r, ws.ID)
	c := &call{w: w, r: r, ws: ws, base: TenantURL(h.o.PublicURL, ws.Slug)}
	for _, seg := range strings.Split(strings.Trim(rest, "/"), "/") {
		if seg != "" {
			c.rest = append(c.rest, seg)
		}
	}
	if len(c.rest) == 0 || len(c.rest) > 2 {
		h.fail(c, &Error{Status: http.StatusNotFound, Detail: "no such endpoint"})
		return
	}
	id := ""
	if len(c.rest) == 2 {
		id = c.rest[1]
	}
	switch strings.ToLower(c.rest[0]) {
	case "users":
		h.route(c, id, users)
	case "groups":
		h.route(c, id, groups)
	case "serviceproviderconfig":
		h.discovery(c, id == "", func() any { return serviceProviderConfig(c.base) })
	case "resourcetypes":
		h.discoveryList(c, id, resourceTypes(c.base))
	case "schemas":
		h.discoveryList(c, id, schemas(c.base))
	default:
		h.fail(c, &Error{Status: http.StatusNotFound, Detail: "no such endpoint"})
	}
}

// authenticate checks the bearer token against the slug's workspace.
// Every failure is the same 401, or 429 once the client address has sent
// too many wrong tokens to this slug's URL (ratelimit.go). The token is
// checked first: the right one is never refused because of failures.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request, slug string) (*store.Workspace, bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		if h.wrongToken(w, r, slug) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse-scim"`)
			writeError(w, &Error{Status: http.StatusUnauthorized, Detail: "missing bearer token (Authorization: Bearer <the workspace's SCIM token>)"})
		}
		return nil, false
	}
	ws, err := h.o.Service.AuthenticateSCIMToken(r.Context(), slug, tok)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.internal(w, r, err)
			return nil, false
		}
		if h.wrongToken(w, r, slug) {
			h.o.Log.Warn("scim: wrong token", "trace_id", h.o.TraceID(r), "slug_len", len(slug), "client_ip", h.o.ClientIP(r))
			w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse-scim", error="invalid_token"`)
			writeError(w, &Error{Status: http.StatusUnauthorized, Detail: "invalid, revoked or rotated SCIM token for this URL"})
		}
		return nil, false
	}
	return ws, true
}

// wrongToken counts a failed authentication; beyond the budget it
// answers 429 itself (no log line) and reports false, else the caller
// answers 401.
func (h *Handler) wrongToken(w http.ResponseWriter, r *http.Request, slug string) bool {
	if h.limiter.fail(h.o.ClientIP(r), slug, h.o.Now()) {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(failureRefill.Seconds())))
	writeError(w, &Error{Status: http.StatusTooManyRequests, Detail: "too many requests with a wrong token; retry later"})
	return false
}

// touch records the last provisioning request, at most every
// touchInterval per workspace and process; a failure only logs.
func (h *Handler) touch(r *http.Request, workspaceID string) {
	now := h.o.Now()
	h.mu.Lock()
	last, seen := h.touched[workspaceID]
	due := !seen || now.Sub(last) >= touchInterval
	if due {
		if len(h.touched) > 10_000 {
			clear(h.touched)
		}
		h.touched[workspaceID] = now
	}
	h.mu.Unlock()
	if due {
		if err := h.o.Service.RecordSCIMRequest(r.Context(), workspaceID, now); err != nil {
			h.o.Log.Error("scim: recording the request time failed", "trace_id", h.o.TraceID(r), "err", err)
		}
	}
}

// discovery serves a single discovery document (GET only).
func (h *Handler) discovery(c *call, ok bool, doc func() any) {
	if !ok {
		h.fail(c, &Error{Status: http.StatusNotFound, Detail: "no such endpoint"})
		return
	}
	if !h.method(c, http.MethodGet) {
		return
	}
	writeJSON(c.w, http.StatusOK, doc())
}

// discoveryList serves ResourceTypes or Schemas: the list, or one by id.
func (h *Handler) discoveryList(c *call, id string, all []any) {
	if !h.method(c, http.MethodGet) {
		return
	}
	if id == "" {
		writeJSON(c.w, http.StatusOK, listResponse(len(all), 1, all))
		return
	}
	for _, d := range all {
		if m := d.(map[string]any); strings.EqualFold(m["id"].(string), id) {
			writeJSON(c.w, http.StatusOK, m)
			return
		}
	}
	h.fail(c, notFound("resource", id))
}

// method refuses any other method with 405.
func (h *Handler) method(c *call, allowed ...string) bool {
	for _, m := range allowed {
		if c.r.Method == m || (m == http.MethodGet && c.r.Method == http.MethodHead) {
			return true
		}
	}
	c.w.Header().Set("Allow", strings.Join(allowed, ", "))
	h.fail(c, &Error{Status: http.StatusMethodNotAllowed, Detail: "method " + c.r.Method + " not allowed here"})
	return false
}

// readBody reads a bounded JSON body.
func (h *Handler) readBody(c *call) ([]byte, *Error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge, SCIMType: typeTooMany, Detail: "the body is larger than " + strconv.Itoa(MaxBodyBytes) + " bytes"}
		}
		return nil, badRequest(typeInvalidSyntax, "the body could not be read")
	}
	return body, nil
}

// request names the call for the audit log.
func (c *call) request(h *Handler) workspace.SCIMRequest {
	return workspace.SCIMRequest{Verb: c.r.Method, Resource: "/" + strings.Join(c.rest, "/"), TraceID: h.o.TraceID(c.r)}
}

// page reads startIndex and count (RFC 7644 §3.4.2.4): 1-based, count
// bounded by MaxPageSize; 0 returns only the total.
func page(q url.Values) (offset, count, start int, e *Error) {
	start, count = 1, defaultPageSize
	if v := q.Get("startIndex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, 0, badRequest(typeInvalidValue, "startIndex must be an integer")
		}
		start = max(n, 1)
	}
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, 0, badRequest(typeInvalidValue, "count must be an integer")
		}
		count = min(max(n, 0), MaxPageSize)
	}
	return start - 1, count, start, nil
}

// attrParams reads attributes and excludedAttributes (comma-separated).
func attrParams(q url.Values) (attributes, excluded []string) {
	split := func(v string) []string {
		if v == "" {
			return nil
		}
		return strings.Split(v, ",")
	}
	return split(q.Get("attributes")), split(q.Get("excludedAttributes"))
}

// fail writes a SCIM error.
func (h *Handler) fail(c *call, e *Error) { writeError(c.w, e) }

// failService writes the SCIM error of a service failure, or a 500.
func (h *Handler) failService(c *call, err error, what, id string) {
	if e, ok := fromService(err, what, id); ok {
		writeError(c.w, e)
		return
	}
	h.internal(c.w, c.r, err)
}

// internal logs err and answers 500 without details.
func (h *Handler) internal(w http.ResponseWriter, r *http.Request, err error) {
	h.o.Log.Error("scim: internal error", "trace_id", h.o.TraceID(r), "path", r.URL.Path, "err", err)
	writeError(w, &Error{Status: http.StatusInternalServerError, Detail: "internal error (trace ID " + h.o.TraceID(r) + ")"})
}

// writeJSON writes a SCIM response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/scim+json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client hung up; nothing useful to do
}

// writeError writes a SCIM error body.
func writeError(w http.ResponseWriter, e *Error) { writeJSON(w, e.Status, e.body()) }
