package cli

import (
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// spKeyFlag is --sp-signing-key or --sp-encryption-key: "generate", or a
// PEM file holding the private key and its certificate.
type spKeyFlag struct {
	use             string
	value           string
	keyPEM, certPEM string // read from the file; empty for generate
}

// load reads and checks the file before anything is saved, so a bad key
// file leaves the configuration unchanged.
func (k *spKeyFlag) load() error {
	if k.value == "" || k.value == "generate" {
		return nil
	}
	raw, err := os.ReadFile(k.value)
	if err != nil {
		return err
	}
	for rest := raw; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE":
			k.certPEM = string(pem.EncodeToMemory(b))
		case "PRIVATE KEY", "RSA PRIVATE KEY":
			k.keyPEM = string(pem.EncodeToMemory(b))
		}
	}
	if k.keyPEM == "" || k.certPEM == "" {
		return errors.New("--sp-" + k.use + "-key " + k.value + ": the file needs a PEM private key and its PEM certificate")
	}
	if _, _, err := saml.ParseKeyPair(k.keyPEM, k.certPEM); err != nil {
		return fmt.Errorf("--sp-%s-key %s: %w", k.use, k.value, err)
	}
	return nil
}
