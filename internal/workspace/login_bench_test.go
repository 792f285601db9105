package workspace

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// BenchmarkSAMLLoginSQLite measures the real login transaction
// (Service.CompleteSAMLLogin: consume the request, record the assertion
// ID, find the linked user, check access, update the membership, open the
// session, audit) for a returning user, from parallel goroutines, on
// SQLite. The whole server's throughput is measured by bench/cmd/loadgen;
// this is the service and database share of it.
func BenchmarkSAMLLoginSQLite(b *testing.B) { benchSAMLLogin(b, storetest.OpenSQLite(b)) }

// BenchmarkSAMLLoginPostgres is the same on PostgreSQL (a fresh schema;
// needs GATEHOUSE_TEST_DATABASE_URL).
func BenchmarkSAMLLoginPostgres(b *testing.B) { benchSAMLLogin(b, storetest.OpenPostgres(b)) }

func benchSAMLLogin(b *testing.B, st store.Store) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := &Service{Store: st, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ws, err := svc.CreateWorkspace(ctx, "", "Bench", "bench")
	if err != nil {
		b.Fatal(err)
	}
	cfg := &store.SAMLConfig{WorkspaceID: ws.ID, Enabled: true, Name: "IdP", MetadataXML: "<md/>", IdPEntityID: "https://idp.example/"}
	if err := svc.SaveSAMLConfig(ctx, "", cfg); err != nil {
		b.Fatal(err)
	}
	if err := st.SaveLoginSettings(ctx, &store.LoginSettings{WorkspaceID: ws.ID, Signup: true}); err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	login := func() (*LoginResult, error) {
		i := strconv.FormatInt(n.Add(1), 10)
		// The request is saved when the sign-in starts, outside the login.
		if err := st.SaveRequest(ctx, &store.OutstandingRequest{ID: "_r" + i, ConfigID: cfg.ID, ExpiresAt: now.Add(10 * time.Minute)}); err != nil {
			return nil, err
		}
		return svc.CompleteSAMLLogin(ctx, SAMLLogin{Workspace: ws, Config: cfg, RequestID: "_r" + i,
			AssertionID: "_a" + i, AssertionExpiresAt: now.Add(8 * time.Minute), TraceID: "bench",
			Identity: SSOIdentity{NameID: "bench-user", Email: "bench@example.com", Name: "Bench",
				Attributes: map[string][]string{"email": {"bench@example.com"}}}})
	}
	first, err := login() // provisions the user: every timed login is a returning one
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := login()
			if err != nil {
				b.Error(err)
				return
			}
			if res.User.ID != first.User.ID || res.SessionToken == "" {
				b.Errorf("login as %s with session %q, want the returning user %s", res.User.ID, res.SessionToken, first.User.ID)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
}
