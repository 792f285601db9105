package idp

import (
	"fmt"
	"path/filepath"
)

// NameID formats a service provider can be given.
const (
	NameIDPersistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	NameIDEmail      = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
)

// SP is a service provider registered at the IdP, what an admin types into
// the IdP after reading Gatehouse's Redirect URL.
type SP struct {
	EntityID     string // Gatehouse: the Redirect URL
	ACS          string // Gatehouse: the Redirect URL too
	NameIDFormat string // NameIDPersistent when empty
	SLO          string // single logout endpoint (HTTP-Redirect); none when empty
	// EncryptionCert (base64 DER, as in the SP metadata's X509Certificate)
	// makes the IdP encrypt its assertions to this certificate.
	EncryptionCert string
}

// metadata is the saml20-sp-remote entry: HTTP-POST ACS, every attribute
// released with the basic name format, and a NameID taken from the uid
// (persistent) or email attribute.
func (sp SP) metadata() map[string]any {
	format := sp.NameIDFormat
	if format == "" {
		format = NameIDPersistent
	}
	nameIDAttr := "uid"
	if format == NameIDEmail {
		nameIDAttr = "email"
	}
	m := map[string]any{
		"AssertionConsumerService": []map[string]string{{
			"Binding":  "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
			"Location": sp.ACS,
		}},
		"NameIDFormat":               format,
		"simplesaml.nameidattribute": nameIDAttr,
		"attributes.NameFormat":      "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
	}
	if sp.EncryptionCert != "" {
		m["assertion.encryption"] = true
		m["certData"] = sp.EncryptionCert
	}
	if sp.SLO != "" {
		m["SingleLogoutService"] = []map[string]string{{
			"Binding":  "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
			"Location": sp.SLO,
		}}
	}
	return m
}

// RegisterSP adds (or replaces) a service provider; the next request sees it.
func (p *IdP) RegisterSP(sp SP) error {
	if sp.EntityID == "" || sp.ACS == "" {
		return fmt.Errorf("idp: SP needs an entity ID and an ACS URL")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sps[sp.EntityID] = sp.metadata()
	return writeJSON(filepath.Join(p.Dir, spsFile), p.sps)
}
