package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// cliWorkspace makes a data dir with one workspace "acme" and returns the
// environment that points the CLI at it.
func adminCLIWorkspace(t *testing.T) (environ []string, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DataDir: dataDir, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateWorkspace(ctx, &store.Workspace{Name: "Acme", Slug: "acme"}); err != nil {
		t.Fatal(err)
	}
	return []string{"GATEHOUSE_DATA_DIR=" + dataDir, "GATEHOUSE_PUBLIC_URL=https://sso.example.com"}, dataDir
}

// storedSAML reads the workspace's config back from the data dir.
func storedSAML(t *testing.T, dataDir string) (*store.SAMLConfig, error) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DataDir: dataDir, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ws, err := st.GetWorkspaceBySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	return st.GetSAMLConfigByWorkspace(ctx, ws.ID)
}

func adminTempFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func adminRun(environ []string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = RunEnv(args, strings.NewReader(""), &out, &errb, environ)
	return code, out.String(), errb.String()
}

func TestSAMLConfigurePrintsRedirectURLLast(t *testing.T) {
	environ, dataDir := adminCLIWorkspace(t)
	idp, err := samltest.NewIdP("https://idp.example.com/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	file := adminTempFile(t, "idp.xml", idp.MetadataXML())
	code, out, errOut := adminRun(environ, "saml", "configure", "--workspace", "acme", "--metadata", file,
		"--name", "Entra ID", "--idp-initiated", "accept", "--group-sync", "on", "--group-attribute", "roles")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	cfg, err := storedSAML(t, dataDir)
	if err != nil {
		t.Fatalf("not stored: %v", err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "https://sso.example.com/api/sso/saml/"+cfg.ID {
		t.Errorf("last line %q", last)
	}
	for _, want := range []string{idp.EntityID, idp.SSOURL, saml.CertSHA256(idp.Cert)} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if cfg.Name != "Entra ID" || cfg.IdPInitiated != "accept" || !cfg.GroupSync || cfg.GroupAttribute != "roles" || !cfg.Enabled {
		t.Errorf("stored: %+v", cfg)
	}
	// A second run without --metadata changes only what it names.
	code, _, errOut = adminRun(environ, "saml", "configure", "--workspace", "acme", "--enabled", "off")
	if code != ExitOK {
		t.Fatalf("second run: exit %d: %s", code, errOut)
	}
	cfg2, _ := storedSAML(t, dataDir)
	if cfg2.Enabled || cfg2.ID != cfg.ID || cfg2.Name != "Entra ID" || cfg2.IdPEntityID != idp.EntityID || cfg2.AllowUnsignedLogout {
		t.Errorf("after --enabled off: %+v", cfg2)
	}
	if code, _, errOut = adminRun(environ, "saml", "configure", "--workspace", "acme", "--allow-unsigned-logout", "on"); code != ExitOK {
		t.Fatalf("--allow-unsigned-logout on: exit %d: %s", code, errOut)
	}
	if cfg3, _ := storedSAML(t, dataDir); !cfg3.AllowUnsignedLogout || cfg3.Enabled {
		t.Errorf("after --allow-unsigned-logout on: %+v", cfg3)
	}
}

func TestSAMLConfigureRefusesBadMetadata(t *testing.T) {
	environ, dataDir := adminCLIWorkspace(t)
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weak, _ := samltest.NewIdP("https://weak.example.com/md")
	if weak.Cert, err = samltest.SelfSignedCert(key, "weak"); err != nil {
		t.Fatal(err)
	}
	good, _ := samltest.NewIdP("https://idp.example.com/md")
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"truncated": {good.MetadataXML()[:200], "line "},
		"weak key":  {weak.MetadataXML(), "2048"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := adminRun(environ, "saml", "configure", "--workspace", "acme", "--metadata", adminTempFile(t, "md.xml", c.data))
			if code != ExitRejected {
				t.Fatalf("exit %d, want %d", code, ExitRejected)
			}
			if !strings.Contains(errOut, "nothing saved") || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("stderr %q stdout %q", errOut, out)
			}
			if _, err := storedSAML(t, dataDir); err == nil {
				t.Error("a config was stored")
			}
		})
	}
}

func TestSAMLConfigureUsage(t *testing.T) {
	environ, _ := adminCLIWorkspace(t)
	for _, args := range [][]string{
		{"saml", "configure", "--metadata", "x.xml"},                                      // no workspace
		{"saml", "configure", "--workspace", "acme", "--group-sync", "maybe"},             // not on/off
		{"saml", "configure", "--workspace", "acme", "--metadata", "/nonexistent/md.xml"}, // unreadable
		{"saml", "configure", "--workspace", "nope", "--enabled", "on"},                   // unknown workspace
	} {
		if code, _, _ := adminRun(environ, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	// No metadata and nothing stored: refused as input.
	if code, _, errOut := adminRun(environ, "saml", "configure", "--workspace", "acme"); code != ExitRejected || !strings.Contains(errOut, "Identity provider metadata") {
		t.Errorf("without metadata: %d %q", code, errOut)
	}
}

func TestSAMLConfigureMetadataFromStdin(t *testing.T) {
	environ, dataDir := adminCLIWorkspace(t)
	raw, err := os.ReadFile(filepath.Join(fixtures, "entra/tenant-8b966979-2017-FederationMetadata.xml"))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	var out, errb bytes.Buffer
	code := RunEnv([]string{"saml", "configure", "--workspace", "acme", "--metadata", "-", "--name", "Entra ID"},
		bytes.NewReader(raw), &out, &errb, environ)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	cfg, err := storedSAML(t, dataDir)
	if err != nil || cfg.IdPEntityID != "https://sts.windows.net/8b966979-910b-487c-a604-69229b1ac75c/" {
		t.Fatalf("stored: %+v %v", cfg, err)
	}
	if n := strings.Count(out.String(), "Signing certificate: "); n != 3 {
		t.Errorf("%d certificates printed, want 3:\n%s", n, out.String())
	}
	if !strings.HasSuffix(out.String(), "https://sso.example.com/api/sso/saml/"+cfg.ID+"\n") {
		t.Errorf("last line is not the Redirect URL:\n%s", out.String())
	}
}
