package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// The reverse proxies of the forward-auth journeys: Debian's nginx and
// Caddy, each run in the foreground with its own configuration in a
// temporary directory on a free loopback port. Their site configurations
// are the files in testdata/forward-auth, which docs/forward-auth.md
// shows verbatim (TestForwardAuthDocMatchesTestedConfigs).

const forwardAuthTestdata = "testdata/forward-auth"

// placeholder is an @NAME@ the test fills in.
var placeholder = regexp.MustCompile(`@[A-Z][A-Z_]*@`)

// requireProxy skips loudly locally, and fails under CI=true, when the
// proxy's binary is missing.
func requireProxy(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	testenv.Missing(t, name+" not found (e2e/setup.sh installs the Debian package)")
	return ""
}

// siteConfig reads a tested site configuration and fills its @NAME@
// placeholders; a placeholder left over fails the test.
func siteConfig(t *testing.T, file string, values map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(forwardAuthTestdata, file))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for k, v := range values {
		s = strings.ReplaceAll(s, "@"+k+"@", v)
	}
	if left := placeholder.FindString(s); left != "" {
		t.Fatalf("%s: placeholder %s not filled", file, left)
	}
	return s
}

// startNginx runs nginx with the tested site configuration in front of
// upstream and returns the site's URL.
func startNginx(t *testing.T, gatehouseURL, slug, upstream string) string {
	t.Helper()
	bin := requireProxy(t, "nginx")
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	site := siteConfig(t, "nginx-site.conf", map[string]string{
		"LISTEN": "127.0.0.1:" + strconv.Itoa(port), "GATEHOUSE": gatehouseURL, "SLUG": slug, "UPSTREAM": upstream})
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), []byte(site), 0o600); err != nil {
		t.Fatal(err)
	}
	// The main configuration is the test's own: foreground, every path in
	// the temporary directory, so nothing of the system's nginx is used.
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 256; }
http {
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    include %[1]s/site.conf;
}
`, dir)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	startBackground(t, "nginx", exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log")),
		filepath.Join(dir, "nginx.out"), readiness{url: url})
	return url
}

// startCaddy runs `caddy run` with the tested site block in front of
// upstream and returns the site's URL.
func startCaddy(t *testing.T, gatehouseURL, slug, upstream string) string {
	t.Helper()
	bin := requireProxy(t, "caddy")
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	site := siteConfig(t, "Caddyfile-site", map[string]string{
		"SITE": url, "GATEHOUSE": gatehouseURL, "SLUG": slug, "UPSTREAM": upstream})
	// Global options of the test only: no admin endpoint, no certificates,
	// storage in the temporary directory.
	conf := fmt.Sprintf("{\n\tadmin off\n\tauto_https off\n\tstorage file_system %s\n}\n\n%s", dir, site)
	path := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--config", path, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	startBackground(t, "caddy", cmd, filepath.Join(dir, "caddy.log"), readiness{url: url})
	return url
}

// echoUpstream is the protected site: it answers every request with its
// request headers as JSON, so the journeys see what the proxy passed on.
func echoUpstream(t *testing.T) string {
	t.Helper()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		h := map[string]any{"path": r.URL.RequestURI(), "headers": r.Header}
		_ = json.NewEncoder(w).Encode(h)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}
