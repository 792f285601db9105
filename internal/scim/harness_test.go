package scim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
	"github.com/gatehouse-sso/gatehouse/internal/web"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// env is a live Gatehouse (the real web handler) on one database, with a
// workspace "acme" whose SCIM token is Token.
type env struct {
	t     testing.TB
	Store store.Store
	Svc   *workspace.Service
	URL   string // the server's base URL
	WS    *store.Workspace
	Admin *store.User
	Token string
	// Mappings is returned as TJ_SAML_GROUP_MAPPINGS__acme.
	Mappings map[string]string
}

// backends runs fn on SQLite and on PostgreSQL.
func backends(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, storetest.OpenSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnv(t, storetest.OpenPostgres(t))) })
}

// newEnv starts the server on st.
func newEnv(t testing.TB, st store.Store) *env {
	t.Helper()
	e := &env{t: t, Store: st}
	e.Svc = &workspace.Service{Store: st, EnvMappings: func(slug string) (map[string]string, error) {
		if slug == "acme" {
			return e.Mappings, nil
		}
		return nil, nil
	}}
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	ws, err := web.New(web.Options{Store: st, Service: e.Svc, PublicURL: srv.URL, GroupMappings: e.Svc.EnvMappings,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h = ws.Handler()
	ctx := t.Context()
	if e.WS, err = e.Svc.CreateWorkspace(ctx, "", "Acme", "acme"); err != nil {
		t.Fatal(err)
	}
	if e.Admin, err = e.Svc.CreateUser(ctx, "", e.WS.ID, "admin@acme.example", "Ada Admin", "", workspace.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if e.Token, err = e.Svc.CreateSCIMToken(ctx, e.Admin.ID, e.WS.ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// base is the workspace's SCIM base URL.
func (e *env) base() string { return e.URL + "/scim/v2/acme" }

// resp is a decoded response.
type resp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// do sends a SCIM request with the workspace token; body is JSON-encoded
// unless it is a string (sent as is).
func (e *env) do(method, path string, body any) resp {
	e.t.Helper()
	return e.doToken(e.Token, method, path, body)
}

// doToken sends a request with a given bearer token ("" = none).
func (e *env) doToken(token, method, path string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.base()+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			e.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/scim+json") {
			e.t.Fatalf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return out
}

// want fails unless the status is the one expected.
func (r resp) want(t testing.TB, status int, step string) resp {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", step, r.Status, status, r.Raw)
	}
	return r
}

// scimError checks a SCIM error body.
func (r resp) scimError(t *testing.T, status int, scimType, step string) {
	t.Helper()
	r.want(t, status, step)
	schemas, _ := r.Body["schemas"].([]any)
	if len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" || r.Body["status"] != strconv.Itoa(status) {
		t.Fatalf("%s: not a SCIM error body: %s", step, r.Raw)
	}
	if got, _ := r.Body["scimType"].(string); got != scimType {
		t.Fatalf("%s: scimType %q, want %q (%s)", step, got, scimType, r.Raw)
	}
}

// path reads a nested value ("name.familyName", "emails.0.value").
func path(v any, p string) any {
	for _, k := range strings.Split(p, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := 0
			for _, c := range k {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// eq fails unless the value at p is want.
func (r resp) eq(t *testing.T, p string, want any, step string) {
	t.Helper()
	if got := path(r.Body, p); got != want {
		t.Fatalf("%s: %s = %#v, want %#v\n%s", step, p, got, want, r.Raw)
	}
}

// openSQLite opens a fresh SQLite store.
func openSQLite(t testing.TB) store.Store { return storetest.OpenSQLite(t) }
