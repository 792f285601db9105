package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// TestSAMLConfigureSPKeys: --sp-encryption-key generate, then FILE, keeps
// the generated one as previous; a bad key file saves nothing.
func TestSAMLConfigureSPKeys(t *testing.T) {
	environ, dataDir := adminCLIWorkspace(t)
	idp, err := samltest.NewIdP("https://idp.example.com/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	md := adminTempFile(t, "idp.xml", idp.MetadataXML())
	code, out, errOut := adminRun(environ, "saml", "configure", "--workspace", "acme", "--metadata", md,
		"--sp-signing-key", "generate", "--sp-encryption-key", "generate")
	if code != ExitOK || !strings.Contains(out, "SP encryption key: installed") {
		t.Fatalf("generate: exit %d: %s%s", code, out, errOut)
	}
	cfg, _ := storedSAML(t, dataDir)
	if cfg.SPSigningKeyPEM == "" || cfg.SPEncryptionKeyPEM == "" || !cfg.SignRequests {
		t.Fatalf("keys not stored")
	}
	generated := cfg.SPEncryptionCertPEM
	key, cert, err := saml.GenerateSPKeyPair("from a file", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	file := adminTempFile(t, "enc.pem", []byte(cert+key))
	if code, out, errOut := adminRun(environ, "saml", "configure", "--workspace", "acme", "--sp-encryption-key", file); code != ExitOK {
		t.Fatalf("file: exit %d: %s%s", code, out, errOut)
	}
	cfg, _ = storedSAML(t, dataDir)
	if cfg.SPEncryptionCertPEM != cert || cfg.SPEncryptionPrevCertPEM != generated {
		t.Errorf("rollover not kept: current from file %v, previous = generated %v", cfg.SPEncryptionCertPEM == cert, cfg.SPEncryptionPrevCertPEM == generated)
	}
	bad := adminTempFile(t, "bad.pem", []byte(cert))
	if code, _, errOut := adminRun(environ, "saml", "configure", "--workspace", "acme", "--enabled", "off", "--sp-encryption-key", bad); code != ExitUsage || !strings.Contains(errOut, "needs a PEM private key") {
		t.Errorf("bad key file: exit %d: %s", code, errOut)
	}
	if cfg2, _ := storedSAML(t, dataDir); !cfg2.Enabled {
		t.Error("a refused key file still saved the other flags")
	}
}
