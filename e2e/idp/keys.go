package idp

import (
	"fmt"
	"os/exec"
	"path/filepath"
)

// Names of the signing key pair inside the config directory (its certdir).
const (
	keyFile  = "idp.key"
	certFile = "idp.crt"
)

// makeSigningKey creates a fresh RSA-2048 key and self-signed certificate
// with openssl, as an operator would; a new pair per run means no test can
// pass by trusting a key baked into the repository.
func makeSigningKey(dir string) error {
	cmd := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
		"-days", "3650", "-subj", "/CN=Gatehouse e2e SimpleSAMLphp IdP",
		"-keyout", filepath.Join(dir, keyFile), "-out", filepath.Join(dir, certFile))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("openssl: %w: %s", err, out)
	}
	return nil
}
