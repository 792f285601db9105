package entra

import (
	"encoding/base64"
	"fmt"
	"html"
)

// Metadata returns the IdP's federation metadata: one EntityDescriptor with
// an IDPSSODescriptor, one signing key and the SSO endpoints for both
// bindings, which is what an admin pastes into "Identity provider metadata".
func (p *IdP) Metadata() []byte {
	cert := base64.StdEncoding.EncodeToString(p.Cert.Raw)
	ent, sso := html.EscapeString(p.EntityID), html.EscapeString(p.SSOURL)
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing">
      <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#">
        <X509Data><X509Certificate>%s</X509Certificate></X509Data>
      </KeyInfo>
    </KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`, ent, cert, sso, sso)
}
