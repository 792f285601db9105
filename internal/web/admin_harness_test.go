package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// harness is a real Server on a real SQLite file with one workspace
// ("acme") holding an admin and a builder, each with a session, an API
// token for acme and one for another workspace ("other").
type harness struct {
	t   testing.TB
	ctx context.Context
	now time.Time
	st  store.Store
	svc *workspace.Service
	srv *Server
	ws  *store.Workspace

	adminUser, builderUser   *store.User
	adminToken, builderToken string // session cookie values
	apiToken, otherAPIToken  string
	other                    *store.Workspace

	// envMappings and envErr stand for TJ_SAML_GROUP_MAPPINGS__{slug}.
	envMappings map[string]map[string]string
	envErr      map[string]string
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), now: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC),
		envMappings: map[string]map[string]string{}, envErr: map[string]string{}}
	st := storetest.Open(t, store.Options{DataDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h.st = st
	clock := func() time.Time { return h.now }
	h.svc = &workspace.Service{Store: st, Now: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SessionTTL: time.Hour, EnvMappings: h.lookupEnv}
	var err error
	h.srv, err = New(Options{Store: st, Service: h.svc, PublicURL: "https://sso.example.com", Now: clock, SecureCookies: true,
		GroupMappings: h.lookupEnv, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.srv.Close(ctx)
	})
	h.ws = h.createWorkspace("Acme", "acme")
	h.other = h.createWorkspace("Other", "other")
	h.adminUser, h.adminToken = h.member(h.ws, "ada@acme.example", workspace.RoleAdmin)
	h.builderUser, h.builderToken = h.member(h.ws, "bob@acme.example", workspace.RoleBuilder)
	otherAdmin, _ := h.member(h.other, "olga@other.example", workspace.RoleAdmin)
	h.apiToken = h.createAPIToken(h.ws, h.adminUser.ID)
	h.otherAPIToken = h.createAPIToken(h.other, otherAdmin.ID)
	return h
}

func (h *harness) lookupEnv(slug string) (map[string]string, error) {
	if e, ok := h.envErr[slug]; ok {
		return nil, errors.New(e)
	}
	return h.envMappings[slug], nil
}

func (h *harness) createWorkspace(name, slug string) *store.Workspace {
	h.t.Helper()
	ws := &store.Workspace{Name: name, Slug: slug}
	if err := h.st.CreateWorkspace(h.ctx, ws); err != nil {
		h.t.Fatal(err)
	}
	return ws
}

// member creates an active member with a session and returns the user and
// the session cookie value.
func (h *harness) member(ws *store.Workspace, email, role string) (*store.User, string) {
	h.t.Helper()
	u := &store.User{Email: email, Name: strings.Split(email, "@")[0]}
	if err := h.st.CreateUser(h.ctx, u); err != nil {
		h.t.Fatal(err)
	}
	m := &store.Membership{WorkspaceID: ws.ID, UserID: u.ID, Status: store.StatusActive, Role: role}
	if err := h.st.CreateMembership(h.ctx, m); err != nil {
		h.t.Fatal(err)
	}
	token := "session-" + u.ID
	sum := sha256.Sum256([]byte(token))
	if err := h.st.CreateSession(h.ctx, &store.Session{TokenHash: sum[:], UserID: u.ID, WorkspaceID: ws.ID,
		ForwardHash: workspace.HashToken(workspace.ForwardToken(token)),
		CreatedAt:   h.now, ExpiresAt: h.now.Add(time.Hour)}); err != nil {
		h.t.Fatal(err)
	}
	return u, token
}

func (h *harness) createAPIToken(ws *store.Workspace, actorID string) string {
	h.t.Helper()
	tok, _, err := h.svc.CreateAPIToken(h.ctx, actorID, ws.ID, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

func (h *harness) createGroup(name string, canEdit bool) *store.Group {
	h.t.Helper()
	g, err := h.svc.CreateGroup(h.ctx, h.adminUser.ID, h.ws.ID, name, canEdit)
	if err != nil {
		h.t.Fatal(err)
	}
	return g
}

func (h *harness) otherWorkspaceGroup(name string) *store.Group {
	h.t.Helper()
	g := &store.Group{WorkspaceID: h.other.ID, Name: name}
	if err := h.st.CreateGroup(h.ctx, g); err != nil {
		h.t.Fatal(err)
	}
	return g
}

func (h *harness) appendAudit(e *store.AuditEvent) {
	h.t.Helper()
	if e.CreatedAt.IsZero() {
		e.CreatedAt = h.now
	}
	if err := h.st.AppendAudit(h.ctx, e); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) newRequest(method, path string, body io.Reader) *http.Request {
	return httptest.NewRequest(method, "https://sso.example.com"+path, body)
}

func (h *harness) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// get requests path as the holder of the session token ("" = signed out).
func (h *harness) get(path, session string) *httptest.ResponseRecorder {
	req := h.newRequest(http.MethodGet, path, nil)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookieName(pathWorkspace(path)), Value: session})
	}
	return h.serve(req)
}

// post submits a form with the session's CSRF token, as the page would.
func (h *harness) post(path, session string, form url.Values) *httptest.ResponseRecorder {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(csrfField, sessionCSRF(session))
	return h.postNoCSRF(path, session, f)
}

func (h *harness) postNoCSRF(path, session string, form url.Values) *httptest.ResponseRecorder {
	req := h.newRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://sso.example.com")
	req.AddCookie(&http.Cookie{Name: sessionCookieName(pathWorkspace(path)), Value: session})
	return h.serve(req)
}

// api calls the JSON API with a bearer token and an optional JSON body.
func (h *harness) api(method, path, token string, body any) *httptest.ResponseRecorder {
	h.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		r = strings.NewReader(string(b))
	}
	req := h.newRequest(method, path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return h.serve(req)
}

// overageEvent is the audit event group sync writes when Entra omitted
// the groups (docs/saml.md, "Attributes").
func overageEvent(h *harness) *store.AuditEvent {
	return &store.AuditEvent{WorkspaceID: h.ws.ID, UserID: h.builderUser.ID, Kind: workspace.KindGroupSyncSkipped,
		Reason: workspace.ReasonGroupsOverage, Message: "Entra ID sent groups.link instead of the groups"}
}
