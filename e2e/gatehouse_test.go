package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
)

// gatehouse is one running `gatehouse serve` with its own data directory,
// plus the CLI pointed at the same database.
type gatehouse struct {
	bin     string
	url     string // GATEHOUSE_PUBLIC_URL (a load balancer's for replicas)
	direct  string // where this process listens, http://127.0.0.1:PORT
	env     []string
	logPath string
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// gatehouseBinary builds ./cmd/gatehouse once per test run, the way an
// operator gets the binary.
func gatehouseBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "gatehouse")
		cmd := exec.Command("go", "build", "-o", builtBin, "./cmd/gatehouse")
		cmd.Dir = ".." // the module root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/gatehouse: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// startGatehouse runs `gatehouse serve` on a fresh loopback port with a
// temporary SQLite data dir and extra environment (group mappings), and
// stops it at cleanup (printing the log tail if the test failed).
func startGatehouse(t *testing.T, extraEnv ...string) *gatehouse {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return startReplica(t, port, "http://127.0.0.1:"+strconv.Itoa(port), extraEnv...)
}

// startReplica runs `gatehouse serve` listening on port with the given
// public URL (a load balancer's, for replicas). The database is the
// temporary SQLite unless extraEnv sets GATEHOUSE_DATABASE_URL.
func startReplica(t *testing.T, port int, publicURL string, extraEnv ...string) *gatehouse {
	t.Helper()
	bin := gatehouseBinary(t)
	dir := t.TempDir()
	g := &gatehouse{bin: bin, url: publicURL, direct: "http://127.0.0.1:" + strconv.Itoa(port),
		logPath: filepath.Join(dir, "gatehouse.log")}
	g.env = append(os.Environ(),
		"GATEHOUSE_ADDR=127.0.0.1:"+strconv.Itoa(port),
		"GATEHOUSE_PUBLIC_URL="+publicURL,
		"GATEHOUSE_DATA_DIR="+filepath.Join(dir, "data"),
		"GATEHOUSE_DATABASE_URL=", // the embedded SQLite of this test, unless extraEnv says otherwise
	)
	g.env = append(g.env, extraEnv...)
	cmd := exec.Command(bin, "serve")
	cmd.Env = g.env
	startBackground(t, "gatehouse", cmd, g.logPath, readiness{url: g.direct + "/healthz", wantOK: true})
	return g
}

// configureSAML runs `saml configure` for the workspace with p's metadata
// (written to a file, as an operator would) and the extra flags, and
// returns the Redirect URL it prints last.
func (g *gatehouse) configureSAML(t *testing.T, p *idp.IdP, slug string, extra ...string) string {
	t.Helper()
	md, err := p.Metadata(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	mdFile := filepath.Join(t.TempDir(), "idp-metadata.xml")
	if err := os.WriteFile(mdFile, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"saml", "configure", "--workspace", slug, "--metadata", mdFile, "--name", ssoName}, extra...)
	return lastLine(g.cli(t, "", args...))
}

// cli runs a gatehouse command against the server's database and returns
// its stdout; a non-zero exit fails the test.
func (g *gatehouse) cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := g.tryCLI(stdin, args...)
	if err != nil {
		t.Fatalf("gatehouse %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// tryCLI is cli for commands that are expected to fail.
func (g *gatehouse) tryCLI(stdin string, args ...string) (string, string, error) {
	cmd := exec.Command(g.bin, args...)
	cmd.Env = g.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// member is what `gatehouse user show --json` says about a user's
// membership in one workspace.
type member struct {
	Email  string   `json:"email"`
	Role   string   `json:"role"`
	Status string   `json:"status"`
	Groups []string `json:"groups"`
}

// userShow reads a member's server-side state with the CLI.
func (g *gatehouse) userShow(t *testing.T, email, slug string) member {
	t.Helper()
	out := g.cli(t, "", "user", "show", "--email", email, "--workspace", slug)
	var m member
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("gatehouse user show: not JSON: %v\n%s", err, out)
	}
	return m
}

// lastLine is the last non-empty line of a command's output (saml
// configure prints the Redirect URL there).
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
