package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

const workspaceSlug = "load"

// runBackend sets up one Gatehouse on the named backend, runs the login
// load (or, with -mode oidc, the code exchanges) and tears everything down.
func runBackend(o options, backend string) (report, error) {
	var r report
	var extraEnv []string
	if o.mode == "oidc" {
		// The authorizations come from many simulated client addresses
		// (X-Forwarded-For from the loopback "proxy"), as real sign-ins do:
		// from one address they would meet the per-address limits.
		extraEnv = append(extraEnv, "GATEHOUSE_OIDC_SIGNING_ALG="+o.signingAlg, "GATEHOUSE_TRUSTED_PROXIES=127.0.0.1/32,::1/128")
	}
	err := withBackend(o, backend, func(in *instance, idp *entra.IdP, acsURL string) error {
		var err error
		if o.mode == "oidc" {
			r, err = loadOIDC(o, backend, in, idp, acsURL)
		} else {
			r, err = load(o, backend, in, idp, acsURL)
		}
		return err
	}, extraEnv...)
	return r, err
}

// withBackend starts a configured Gatehouse on backend (workspace, SAML
// config accepting IdP-initiated sign-in, signup on; extraEnv on top), runs
// fn and tears everything down.
func withBackend(o options, backend string, fn func(in *instance, idp *entra.IdP, acsURL string) error, extraEnv ...string) error {
	dir, err := os.MkdirTemp("", "gatehouse-loadgen-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "loadgen: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	dbURL, cleanup, err := database(o, backend)
	if err != nil {
		return err
	}
	defer cleanup()
	bin := o.gatehouse
	if bin == "" {
		if bin, err = buildGatehouse(o.repo, dir); err != nil {
			return err
		}
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return err
	}
	in := newInstance(bin, dir, addr, dbURL)
	in.env = append(in.env, extraEnv...)
	idp, err := entra.NewIdP("https://sts.windows.net/"+entra.TenantID+"/",
		"https://login.microsoftonline.com/"+entra.TenantID+"/saml2")
	if err != nil {
		return err
	}
	acsURL, err := configure(in, idp, dir)
	if err != nil {
		return err
	}
	if err := in.start(60 * time.Second); err != nil {
		return err
	}
	defer in.stop()
	return fn(in, idp, acsURL)
}

// database returns the GATEHOUSE_DATABASE_URL for backend ("" for SQLite)
// and a cleanup that drops the fresh PostgreSQL schema.
func database(o options, backend string) (string, func(), error) {
	switch backend {
	case "sqlite":
		return "", func() {}, nil
	case "postgres":
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := newPGSchema(ctx, o.pgURL)
		if err != nil {
			return "", nil, err
		}
		u, err := s.url()
		if err != nil {
			_ = s.drop()
			return "", nil, err
		}
		return u, func() {
			if err := s.drop(); err != nil {
				fmt.Fprintln(os.Stderr, "loadgen:", err)
			}
		}, nil
	}
	return "", nil, fmt.Errorf("unknown backend %q (want sqlite or postgres)", backend)
}

// configure creates the workspace and its SAML config through the CLI,
// as an operator would, and returns the ACS URL (the Redirect URL that
// `saml configure` prints on its last line).
func configure(in *instance, idp *entra.IdP, dir string) (string, error) {
	if _, err := in.cli("migrate"); err != nil {
		return "", err
	}
	if _, err := in.cli("workspace", "create", "--name", "Load test", "--slug", workspaceSlug); err != nil {
		return "", err
	}
	md := filepath.Join(dir, "idp-metadata.xml")
	if err := os.WriteFile(md, idp.Metadata(), 0o600); err != nil {
		return "", err
	}
	out, err := in.cli("saml", "configure", "--workspace", workspaceSlug, "--metadata", md, "--idp-initiated", "accept")
	if err != nil {
		return "", err
	}
	acsURL := lastLine(out)
	if !strings.HasPrefix(acsURL, in.baseURL+"/api/sso/saml/") {
		return "", fmt.Errorf("saml configure printed %q as its last line, want %s/api/sso/saml/{id}", acsURL, in.baseURL)
	}
	if _, err := in.cli("workspace", "login-settings", "--workspace", workspaceSlug, "--signup", "on"); err != nil {
		return "", err
	}
	return acsURL, nil
}

// lastLine is the last non-empty line of s, trimmed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// load signs the responses, runs the timed phase and reads the server's
// peak RSS.
func load(o options, backend string, in *instance, idp *entra.IdP, acsURL string) (report, error) {
	start := time.Now()
	bodies, err := presign(idp, acsURL, o.n, o.users, entra.GroupIDs(o.groups), start)
	if err != nil {
		return report{}, err
	}
	fmt.Fprintf(os.Stderr, "loadgen: %s: signed %d responses in %v; posting with %d workers\n",
		backend, len(bodies), time.Since(start).Round(time.Millisecond), o.workers)
	loadAvg := loadAverage()
	attempts, elapsed := run(newClient(o.workers), acsURL, bodies, o.workers, o.limit)
	rss, err := in.peakRSS()
	if err != nil {
		return report{}, err
	}
	return summarize(backend, o.workers, attempts, elapsed, rss, loadAvg), nil
}
