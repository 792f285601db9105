package saml

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Namespaces read in metadata.
const (
	nsMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsDSigMD    = "http://www.w3.org/2000/09/xmldsig#"
	nsAlgSupp   = "urn:oasis:names:tc:SAML:metadata:algsupport"
	nsProtocol2 = "urn:oasis:names:tc:SAML:2.0:protocol"
)

// MetadataError is a metadata document Gatehouse refuses, with a message an
// administrator can act on. Line and Column locate XML syntax errors (1-based);
// Line is 0 when the problem is not at one place in the text.
type MetadataError struct {
	Line, Column int
	Msg          string
}

func (e *MetadataError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("metadata line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return "metadata: " + e.Msg
}

func metadataErrorf(format string, args ...any) *MetadataError {
	return &MetadataError{Msg: fmt.Sprintf(format, args...)}
}

// ParseIdPMetadata reads and validates IdP metadata (docs/saml.md, setup step 2 and "IdP metadata"):
// an EntityDescriptor, or an EntitiesDescriptor (nested too) from which the
// entity entityID is taken (entityID "" works when exactly one entity is an
// IdP). Of that entity only the SAML 2.0 IDPSSODescriptor is read: WS-Fed
// RoleDescriptors and SPSSODescriptors are ignored, and so are their keys.
// It requires an SSO endpoint with the HTTP-Redirect or HTTP-POST binding
// and at least one signing certificate (RSA of 2048 bits or more, or
// ECDSA). Every error is a *MetadataError.
func ParseIdPMetadata(data []byte, entityID string) (*IdPMetadata, error) {
	if len(data) > MaxMetadataSize {
		return nil, metadataErrorf("the document is %d bytes, more than the %d allowed for one IdP's metadata", len(data), MaxMetadataSize)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := scanMetadata(data); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.MaxDepth = maxMetadataDepth + 1
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, metadataErrorf("the XML is not well-formed: %v", err)
	}
	ed, err := selectEntity(doc.Root(), entityID)
	if err != nil {
		return nil, err
	}
	return readEntity(ed)
}

// mdIs reports whether el is the metadata element local.
func mdIs(el *etree.Element, ns, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == ns
}

// mdChildren lists the child elements {ns}local of el.
func mdChildren(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if mdIs(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

// selectEntity finds the EntityDescriptor to use.
func selectEntity(root *etree.Element, entityID string) (*etree.Element, error) {
	if !mdIs(root, nsMetadata, "EntityDescriptor") && !mdIs(root, nsMetadata, "EntitiesDescriptor") {
		return nil, metadataErrorf("expected SAML 2.0 metadata (an <EntityDescriptor> or <EntitiesDescriptor> in namespace %s), got <%s> in namespace %q", nsMetadata, root.Tag, root.NamespaceURI())
	}
	all := collectEntities(root, nil)
	if entityID != "" {
		for _, ed := range all {
			if ed.SelectAttrValue("entityID", "") == entityID {
				return ed, nil
			}
		}
		return nil, metadataErrorf("the metadata has no entity %q; it describes: %s", entityID, entityList(all))
	}
	var idps []*etree.Element
	for _, ed := range all {
		if len(mdChildren(ed, nsMetadata, "IDPSSODescriptor")) > 0 {
			idps = append(idps, ed)
		}
	}
	switch len(idps) {
	case 0:
		if len(all) == 1 {
			return all[0], nil // readEntity explains what is missing
		}
		return nil, metadataErrorf("no IDPSSODescriptor: none of the %d entities (%s) is an identity provider", len(all), entityList(all))
	case 1:
		return idps[0], nil
	}
	return nil, metadataErrorf("the metadata describes %d identity providers (%s); paste the metadata of one IdP only", len(idps), entityList(idps))
}

// collectEntities gathers EntityDescriptors in document order, descending
// into nested EntitiesDescriptors.
func collectEntities(el *etree.Element, out []*etree.Element) []*etree.Element {
	if mdIs(el, nsMetadata, "EntityDescriptor") {
		return append(out, el)
	}
	for _, c := range el.ChildElements() {
		if mdIs(c, nsMetadata, "EntityDescriptor") || mdIs(c, nsMetadata, "EntitiesDescriptor") {
			out = collectEntities(c, out)
		}
	}
	return out
}

// entityList names entities for an error message (at most ten).
func entityList(eds []*etree.Element) string {
	var ids []string
	for i, ed := range eds {
		if i == 10 {
			ids = append(ids, fmt.Sprintf("and %d more", len(eds)-10))
			break
		}
		ids = append(ids, fmt.Sprintf("%q", ed.SelectAttrValue("entityID", "")))
	}
	if len(ids) == 0 {
		return "no entities"
	}
	return strings.Join(ids, ", ")
}

// readEntity turns one EntityDescriptor into IdPMetadata.
func readEntity(ed *etree.Element) (*IdPMetadata, error) {
	md := &IdPMetadata{EntityID: strings.TrimSpace(ed.SelectAttrValue("entityID", ""))}
	if md.EntityID == "" {
		return nil, metadataErrorf("the EntityDescriptor has no entityID attribute")
	}
	if err := refuseTenantPlaceholder(md.EntityID); err != nil {
		return nil, err
	}
	idp, err := samlIDPDescriptor(ed)
	if err != nil {
		return nil, err
	}
	md.WantAuthnRequestsSigned = xsBool(idp.SelectAttrValue("WantAuthnRequestsSigned", ""))
	if md.SSO, err = readEndpoints(idp, "SingleSignOnService"); err != nil {
		return nil, err
	}
	if len(md.SSO) == 0 {
		return nil, metadataErrorf("the IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding, which Gatehouse needs to send users to the IdP")
	}
	if md.SLO, err = readEndpoints(idp, "SingleLogoutService"); err != nil {
		return nil, err
	}
	for _, f := range mdChildren(idp, nsMetadata, "NameIDFormat") {
		if v := strings.TrimSpace(f.Text()); v != "" {
			md.NameIDFormats = append(md.NameIDFormats, v)
		}
	}
	if md.SigningCerts, err = readSigningCerts(idp); err != nil {
		return nil, err
	}
	md.SigningMethods = append(signingMethods(ed), signingMethods(idp)...)
	md.ValidUntil = earliestValidUntil(ed)
	return md, nil
}

// earliestValidUntil is the earliest parseable validUntil on ed and its
// ancestors. Unparseable values are ignored: the attribute only feeds a
// warning, and refusing an IdP over it would help nobody.
func earliestValidUntil(ed *etree.Element) time.Time {
	var out time.Time
	for e := ed; e != nil; e = e.Parent() {
		v := strings.TrimSpace(e.SelectAttrValue("validUntil", ""))
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil && (out.IsZero() || t.Before(out)) {
			out = t.UTC()
		}
	}
	return out
}

// samlIDPDescriptor picks the entity's IDPSSODescriptor that supports SAML
// 2.0, explaining what the document is when there is none.
func samlIDPDescriptor(ed *etree.Element) (*etree.Element, error) {
	idps := mdChildren(ed, nsMetadata, "IDPSSODescriptor")
	for _, idp := range idps {
		for _, p := range strings.Fields(idp.SelectAttrValue("protocolSupportEnumeration", "")) {
			if p == nsProtocol2 {
				return idp, nil
			}
		}
	}
	switch {
	case len(idps) > 0:
		return nil, metadataErrorf("the IDPSSODescriptor does not support SAML 2.0: its protocolSupportEnumeration %q lacks %s",
			idps[0].SelectAttrValue("protocolSupportEnumeration", ""), nsProtocol2)
	case len(mdChildren(ed, nsMetadata, "SPSSODescriptor")) > 0:
		return nil, metadataErrorf("no IDPSSODescriptor: this looks like SP metadata (it has an SPSSODescriptor); paste the identity provider's metadata instead (in Entra ID: Enterprise application > Single sign-on > Federation Metadata XML)")
	}
	return nil, metadataErrorf("no IDPSSODescriptor in entity %q: the document does not describe a SAML 2.0 identity provider", ed.SelectAttrValue("entityID", ""))
}

// readEndpoints reads the endpoints of kind (SingleSignOnService,
// SingleLogoutService) with the bindings Gatehouse speaks, in document
// order, without duplicates. Others (SOAP, Artifact) are skipped.
func readEndpoints(idp *etree.Element, kind string) ([]Endpoint, error) {
	var out []Endpoint
	seen := map[Endpoint]bool{}
	for _, el := range mdChildren(idp, nsMetadata, kind) {
		e := Endpoint{Binding: el.SelectAttrValue("Binding", ""), Location: strings.TrimSpace(el.SelectAttrValue("Location", ""))}
		if e.Binding != BindingHTTPRedirect && e.Binding != BindingHTTPPost {
			continue
		}
		if u, err := url.Parse(e.Location); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, metadataErrorf("the %s Location %q is not an absolute http(s) URL", kind, e.Location)
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// signingMethods lists alg:SigningMethod algorithms in el's Extensions.
func signingMethods(el *etree.Element) []string {
	var out []string
	for _, ext := range mdChildren(el, nsMetadata, "Extensions") {
		for _, sm := range mdChildren(ext, nsAlgSupp, "SigningMethod") {
			if a := sm.SelectAttrValue("Algorithm", ""); a != "" {
				out = append(out, a)
			}
		}
	}
	return out
}

// xsBool reads an xs:boolean attribute value.
func xsBool(v string) bool {
	v = strings.TrimSpace(v)
	return v == "true" || v == "1"
}
