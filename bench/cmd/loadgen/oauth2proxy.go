package main

import (
	"crypto/rand"
	"crypto/sha1" // oauth2-proxy's htpasswd format {SHA}; only for the bench's throwaway password
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// runOAuth2Proxy starts oauth2-proxy with cookie sessions (its default),
// signs in once through its htpasswd form (no identity provider needed:
// the session cookie is the same kind an OIDC login makes) and measures
// its /oauth2/auth check, which answers 202 for a valid session.
func runOAuth2Proxy(o options) (checkRun, error) {
	bin, err := oauth2ProxyBinary(o.oauth2Proxy)
	if err != nil {
		return checkRun{}, err
	}
	dir, err := os.MkdirTemp("", "gatehouse-loadgen-oauth2-proxy-")
	if err != nil {
		return checkRun{}, err
	}
	defer os.RemoveAll(dir)
	const user, password = "bench", "bench-password-not-secret"
	sum := sha1.Sum([]byte(password))
	htpasswd := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(htpasswd, []byte(user+":{SHA}"+base64.StdEncoding.EncodeToString(sum[:])+"\n"), 0o600); err != nil {
		return checkRun{}, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	addr, err := freeLoopbackAddr()
	if err != nil {
		return checkRun{}, err
	}
	base := "http://" + addr
	logf, err := os.Create(filepath.Join(dir, "oauth2-proxy.log"))
	if err != nil {
		return checkRun{}, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "--http-address="+addr, "--cookie-secret="+base64.URLEncoding.EncodeToString(secret),
		"--cookie-secure=false", "--client-id=bench", "--client-secret=bench", "--email-domain=*",
		"--upstream=static://200", "--htpasswd-file="+htpasswd, "--redirect-url="+base+"/oauth2/callback",
		// Gatehouse logs checks at debug level only; neither side writes a
		// log line per check, so the comparison is of the checks.
		"--request-logging=false")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return checkRun{}, err
	}
	defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Wait() }()
	cookie, err := oauth2ProxySession(base, user, password)
	if err != nil {
		return checkRun{}, err
	}
	r := hammer(base+"/oauth2/auth", cookie, http.StatusAccepted, o.workers, o.checkDuration)
	r.Target = "oauth2-proxy v7 /oauth2/auth, cookie session"
	r.PeakRSS, _ = vmHWM(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	return r, nil
}

// oauth2ProxyBinary finds oauth2-proxy: the flag, PATH, or GOPATH/bin
// (where e2e/setup.sh installs it).
func oauth2ProxyBinary(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if p, err := exec.LookPath("oauth2-proxy"); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "oauth2-proxy")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("oauth2-proxy not found (e2e/setup.sh installs it; -oauth2-proxy none skips it)")
}

// oauth2ProxySession signs in through the htpasswd form, retrying while
// the server starts, and returns the _oauth2_proxy cookie.
func oauth2ProxySession(base, user, password string) (*http.Cookie, error) {
	c := newClient(1)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := c.PostForm(base+"/oauth2/sign_in", url.Values{"username": {user}, "password": {password}, "rd": {"/"}})
		if err == nil {
			resp.Body.Close()
			for _, ck := range resp.Cookies() {
				if ck.Name == "_oauth2_proxy" && ck.Value != "" {
					return &http.Cookie{Name: ck.Name, Value: ck.Value}, nil
				}
			}
			return nil, fmt.Errorf("oauth2-proxy sign-in answered %d without a session cookie", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("oauth2-proxy not answering: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
