package e2e

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// balancer is a small load balancer in front of two replicas. It routes
// so that state has to travel through PostgreSQL: the SP-initiated start
// always goes to replica 0, ACS posts alternate starting with replica 1
// (a request stored by one replica is consumed by the other, and a
// replayed response reaches the replica that did not accept it), and every
// other request alternates (sessions are checked by both).
type balancer struct {
	proxies []*httputil.ReverseProxy
	mu      sync.Mutex
	next    int
	acsSeen int
	acs     []int // replica that served each ACS post, in order
	starts  []int // replica that served each SP-initiated start
}

var (
	acsPath   = regexp.MustCompile(`^/api/sso/saml/[^/]+$`)
	startPath = regexp.MustCompile(`^/api/sso/saml/[^/]+/login$`)
)

func newBalancer(t *testing.T, backends ...string) *balancer {
	t.Helper()
	b := &balancer{}
	for _, s := range backends {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		b.proxies = append(b.proxies, httputil.NewSingleHostReverseProxy(u))
	}
	return b
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	var i int
	switch {
	case r.Method == http.MethodPost && acsPath.MatchString(r.URL.Path):
		i = (b.acsSeen + 1) % len(b.proxies)
		b.acsSeen++
		b.acs = append(b.acs, i)
	case startPath.MatchString(r.URL.Path):
		i = 0
		b.starts = append(b.starts, i)
	default:
		i = b.next % len(b.proxies)
		b.next++
	}
	b.mu.Unlock()
	b.proxies[i].ServeHTTP(w, r)
}

// routed returns copies of the ACS and start routing records.
func (b *balancer) routed() (acs, starts []int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.acs), slices.Clone(b.starts)
}

// Two replicas behind a load balancer share one PostgreSQL (docs/operation.md): an
// SP-initiated sign-in started on one replica completes on the other, the
// session works on both, and an accepted IdP-initiated response replayed
// at the other replica is refused (docs/saml.md, validation rule 6).
func TestTwoReplicasShareStateOnPostgreSQL(t *testing.T) {
	requireDeps(t)
	dbURL := storetest.PostgresURL(t) // a schema of its own, dropped at cleanup
	p := startIdP(t, []idp.User{bob})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := "http://" + ln.Addr().String()
	dbEnv := "GATEHOUSE_DATABASE_URL=" + dbURL
	var replicas []*gatehouse
	var direct []string
	for range 2 { // one after the other: the first applies the migrations
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		g := startReplica(t, port, public, dbEnv)
		replicas, direct = append(replicas, g), append(direct, g.direct)
	}
	lb := newBalancer(t, direct...)
	srv := &http.Server{Handler: lb}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	g := replicas[0] // the CLI talks to the shared database
	g.cli(t, "", "workspace", "create", "--name", "Acme", "--slug", slug)
	g.cli(t, adminPassword+"\n", "user", "create", "--email", adminEmail, "--workspace", slug, "--role", "admin", "--password-stdin")
	g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--signup", "on")
	acs := g.configureSAML(t, p, slug, "--idp-initiated", "accept")
	if !strings.HasPrefix(acs, public+"/api/sso/saml/") {
		t.Fatalf("Redirect URL %q is not under the load balancer's %s", acs, public)
	}
	if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GATEHOUSE_URL": public, "SLUG": slug, "SSO_NAME": ssoName,
		"IDP_USER": bob.Username, "IDP_PASSWORD": bob.Password, "EMAIL": bob.Email,
		"ADMIN_EMAIL": adminEmail, "ADMIN_PASSWORD": adminPassword}

	env["EXPECT"] = "landed"
	runJourney(t, "sso_signin.mjs", env)
	if acsBy, starts := lb.routed(); !slices.Equal(starts, []int{0}) || !slices.Equal(acsBy, []int{1}) {
		t.Fatalf("routing: starts on %v, ACS on %v; want the start on replica 0 and the ACS on replica 1", starts, acsBy)
	}

	env["MODE"], env["ACS_URL"], env["EXPECT_REASON"] = "accept", acs, "assertion_replayed"
	env["IDP_START_URL"] = p.InitiatedURL(acs, "/w/"+slug)
	runJourney(t, "idp_initiated.mjs", env)
	if acsBy, _ := lb.routed(); !slices.Equal(acsBy, []int{1, 0, 1}) {
		t.Fatalf("routing: ACS posts on %v, want [1 0 1] (the replay at the replica that did not accept it)", acsBy)
	}
	if m := g.userShow(t, bob.Email, slug); m.Role != "end-user" || m.Status != "active" {
		t.Errorf("server side: bob is %+v, want an active end-user", m)
	}
}
