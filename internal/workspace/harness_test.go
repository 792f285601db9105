package workspace

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// t0 is the frozen clock of the service tests.
var t0 = time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)

// backends runs fn once per real store: SQLite always, PostgreSQL when
// GATEHOUSE_TEST_DATABASE_URL is set (skipped loudly otherwise; a failure
// under CI=true).
func backends(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t)) })
}

// openSQLite and openPostgres are the shared real-store helpers.
func openSQLite(t *testing.T) store.Store   { return storetest.OpenSQLite(t) }
func openPostgres(t *testing.T) store.Store { return storetest.OpenPostgres(t) }

// fixture is a service over a real store with one workspace ("acme") and
// one SAML config.
type fixture struct {
	t   *testing.T
	ctx context.Context
	st  store.Store
	svc *Service
	now time.Time
	ws  *store.Workspace
	cfg *store.SAMLConfig
	// envMap and envErr are what EnvMappings returns per slug.
	envMap map[string]map[string]string
	envErr map[string]error
}

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), st: st, now: t0,
		envMap: map[string]map[string]string{}, envErr: map[string]error{}}
	f.svc = &Service{Store: st, Now: func() time.Time { return f.now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SessionTTL: time.Hour, EnvMappings: func(slug string) (map[string]string, error) {
			if err := f.envErr[slug]; err != nil {
				return nil, err
			}
			return f.envMap[slug], nil
		}}
	ws, err := f.svc.CreateWorkspace(f.ctx, "", "Acme", "acme")
	f.must(err)
	f.ws = ws
	f.cfg = &store.SAMLConfig{WorkspaceID: ws.ID, Enabled: true, Name: "Entra", MetadataXML: "<md/>", IdPEntityID: "https://idp.example/"}
	f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// settings saves login settings directly (the service's rules are tested
// elsewhere).
func (f *fixture) settings(signup bool, domains ...string) {
	f.t.Helper()
	f.must(f.st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: true, Signup: signup, AllowedDomains: domains}))
}

// login builds a SAMLLogin for email with a fresh assertion ID.
func (f *fixture) login(nameID, email string, groups ...string) SAMLLogin {
	return SAMLLogin{Workspace: f.ws, Config: f.cfg, AssertionID: "_a" + uuid.NewString(), AssertionExpiresAt: f.now.Add(5 * time.Minute),
		TraceID: "trace-" + uuid.NewString()[:8],
		Identity: SSOIdentity{NameID: nameID, NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", SessionIndex: "_s1",
			Email: email, Name: "Pat Doe", Groups: groups,
			Attributes: map[string][]string{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": {email}, "groups": groups}}}
}

// request saves an outstanding request and returns its ID.
func (f *fixture) request(redirectTo string) string {
	f.t.Helper()
	id := "_r" + uuid.NewString()
	f.must(f.st.SaveRequest(f.ctx, &store.OutstandingRequest{ID: id, ConfigID: f.cfg.ID, RedirectTo: redirectTo, ExpiresAt: f.now.Add(10 * time.Minute)}))
	return id
}

// member creates an active member directly.
func (f *fixture) member(email, role string) *store.User {
	f.t.Helper()
	u, err := f.svc.CreateUser(f.ctx, "", f.ws.ID, email, "", "", role)
	f.must(err)
	return u
}

// membership reads a membership.
func (f *fixture) membership(userID string) *store.Membership {
	f.t.Helper()
	m, err := f.st.GetMembership(f.ctx, f.ws.ID, userID)
	f.must(err)
	return m
}

// groupsOf lists a member's custom group names.
func (f *fixture) groupsOf(userID string) []string {
	f.t.Helper()
	gs, err := f.st.MemberGroups(f.ctx, f.ws.ID, userID)
	f.must(err)
	return sortedCopy(groupNames(gs))
}

// events lists the workspace's audit events of a kind prefix, newest first.
func (f *fixture) events(kind string) []store.AuditEvent {
	f.t.Helper()
	es, err := f.st.ListAudit(f.ctx, store.AuditFilter{WorkspaceID: f.ws.ID, Kind: kind})
	f.must(err)
	return es
}

// wantAccess asserts err is an *AccessError with code.
func wantAccess(t *testing.T, err error, code string) *AccessError {
	t.Helper()
	var ae *AccessError
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("got %v, want AccessError %s", err, code)
	}
	return ae
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}
