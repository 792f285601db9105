// Package idp runs a real SAML 2.0 identity provider for the end-to-end
// tests: Debian's SimpleSAMLphp 1.19, served by PHP's built-in web server on
// a loopback port, with its whole configuration generated in a temporary
// directory (the system's /etc/simplesamlphp is never read or touched).
//
// Users and service providers live in JSON files next to the PHP config and
// are read by it on every request, so a test can change a user's groups
// between two logins without restarting anything.
package idp

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
)

// DefaultSimpleSAMLphpDir is where Debian's simplesamlphp package installs.
const DefaultSimpleSAMLphpDir = "/usr/share/simplesamlphp"

// AdminPassword is the fixed password of SimpleSAMLphp's admin interface in
// the generated config (loopback only, throwaway instance).
const AdminPassword = "e2e-admin-password"

// AuthSource is the name of the username/password source holding the users.
const AuthSource = "example-userpass"

// Paths of the SimpleSAMLphp 1.19 IdP endpoints, relative to its base URL.
const (
	MetadataPath   = "saml2/idp/metadata.php"
	SSOServicePath = "saml2/idp/SSOService.php"
)

// Missing reports why the IdP cannot run here ("" when it can): the php
// binary, the php-xml extension and SimpleSAMLphp itself are checked, so a
// test can skip (or fail under CI) with a precise message.
func Missing(simpleSAMLphpDir string) string {
	php, err := exec.LookPath("php")
	if err != nil {
		return "php not found in PATH (apt-get install php-cli php-xml)"
	}
	if _, err := os.Stat(filepath.Join(simpleSAMLphpDir, "www", "_include.php")); err != nil {
		return "SimpleSAMLphp not found at " + simpleSAMLphpDir + " (apt-get install simplesamlphp)"
	}
	// Without php-xml SimpleSAMLphp dies with "Class DOMDocument not found".
	out, err := exec.Command(php, "-r", `echo class_exists("DOMDocument") ? "ok" : "no";`).Output()
	if err != nil || string(out) != "ok" {
		return "php has no DOM extension (apt-get install php-xml)"
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		return "openssl not found in PATH (needed for the IdP signing key)"
	}
	return ""
}

// MetadataURL is where the IdP serves its SAML 2.0 metadata.
func (p *IdP) MetadataURL() string { return p.BaseURL + MetadataPath }

// EntityID is the IdP's entity ID (SimpleSAMLphp's dynamic default is the
// metadata URL).
func (p *IdP) EntityID() string { return p.MetadataURL() }

// InitiatedURL is the IdP's own start URL for an unsolicited (IdP-initiated)
// sign-in at the service provider spEntityID, like Entra's My Apps tile.
func (p *IdP) InitiatedURL(spEntityID, relayState string) string {
	q := url.Values{"spentityid": {spEntityID}}
	if relayState != "" {
		q.Set("RelayState", relayState)
	}
	return p.BaseURL + SSOServicePath + "?" + q.Encode()
}

// String names the instance for logs.
func (p *IdP) String() string {
	return fmt.Sprintf("SimpleSAMLphp at %s (config %s)", p.BaseURL, p.Dir)
}
