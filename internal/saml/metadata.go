package saml

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"
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

// Unwrap makes a metadata error also a *Error with the reason code
// metadata_invalid, so that every parse error of this package answers to
// errors.As(err, &*saml.Error) with a reason; MetadataError keeps the
// line and column the settings page shows.
func (e *MetadataError) Unwrap() error {
	return &Error{Reason: ReasonMetadataInvalid, Message: e.Error()}
}

func metadataErrorf(format string, args ...any) *MetadataError {
	return &MetadataError{Msg: fmt.Sprintf(format, args...)}
}

// metadataText is textOf for metadata: the element's whole text, and a
// *MetadataError when it holds an element.
func metadataText(el *etree.Element) (string, error) {
	text, err := textOf(el)
	var se *Error
	if errors.As(err, &se) {
		return "", metadataErrorf("%s", se.Message)
	}
	return text, err
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
	// scanMetadata explains a bad paste with its line and column; the tree
	// then comes from the same safe parser responses and logout messages
	// go through.
	if err := scanMetadata(data); err != nil {
		return nil, err
	}
	root, err := parseSafeXML(data)
	var se *Error
	if errors.As(err, &se) {
		return nil, metadataErrorf("%s", se.Message)
	}
	if err != nil {
		return nil, err
	}
	ed, err := selectEntity(root, entityID)
	if err != nil {
		return nil, err
	}
	return readEntity(ed)
}

// selectEntity finds the EntityDescriptor to use.
func selectEntity(root *etree.Element, entityID string) (*etree.Element, error) {
	if !isElem(root, nsMetadata, "EntityDescriptor") && !isElem(root, nsMetadata, "EntitiesDescriptor") {
		return nil, metadataErrorf("expected SAML 2.0 metadata (an <EntityDescriptor> or <EntitiesDescriptor> in namespace %s), got <%s> in namespace %q", nsMetadata, root.Tag, root.NamespaceURI())
	}
	all := collectEntities(root, nil)
	if entityID != "" {
		for _, ed := range all {
			if attrOr(ed, "entityID", "") == entityID {
				return ed, nil
			}
		}
		return nil, metadataErrorf("the metadata has no entity %q; it describes: %s", entityID, entityList(all))
	}
	var idps []*etree.Element
	for _, ed := range all {
		if len(childElems(ed, nsMetadata, "IDPSSODescriptor")) > 0 {
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
	if isElem(el, nsMetadata, "EntityDescriptor") {
		return append(out, el)
	}
	for _, c := range el.ChildElements() {
		if isElem(c, nsMetadata, "EntityDescriptor") || isElem(c, nsMetadata, "EntitiesDescriptor") {
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
		ids = append(ids, fmt.Sprintf("%q", attrOr(ed, "entityID", "")))
	}
	if len(ids) == 0 {
		return "no entities"
	}
	return strings.Join(ids, ", ")
}

// readEntity turns one EntityDescriptor into IdPMetadata.
func readEntity(ed *etree.Element) (*IdPMetadata, error) {
	md := &IdPMetadata{EntityID: strings.TrimSpace(attrOr(ed, "entityID", ""))}
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
	md.WantAuthnRequestsSigned = xsBool(attrOr(idp, "WantAuthnRequestsSigned", ""))
	if md.SSO, err = readEndpoints(idp, "SingleSignOnService"); err != nil {
		return nil, err
	}
	if len(md.SSO) == 0 {
		return nil, metadataErrorf("the IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding, which Gatehouse needs to send users to the IdP")
	}
	if md.SLO, err = readEndpoints(idp, "SingleLogoutService"); err != nil {
		return nil, err
	}
	for _, f := range childElems(idp, nsMetadata, "NameIDFormat") {
		v, err := metadataText(f)
		if err != nil {
			return nil, err
		}
		if v = strings.TrimSpace(v); v != "" {
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
		v := strings.TrimSpace(attrOr(e, "validUntil", ""))
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
	idps := childElems(ed, nsMetadata, "IDPSSODescriptor")
	for _, idp := range idps {
		for _, p := range strings.Fields(attrOr(idp, "protocolSupportEnumeration", "")) {
			if p == nsProtocol {
				return idp, nil
			}
		}
	}
	switch {
	case len(idps) > 0:
		return nil, metadataErrorf("the IDPSSODescriptor does not support SAML 2.0: its protocolSupportEnumeration %q lacks %s",
			attrOr(idps[0], "protocolSupportEnumeration", ""), nsProtocol)
	case len(childElems(ed, nsMetadata, "SPSSODescriptor")) > 0:
		return nil, metadataErrorf("no IDPSSODescriptor: this looks like SP metadata (it has an SPSSODescriptor); paste the identity provider's metadata instead (in Entra ID: Enterprise application > Single sign-on > Federation Metadata XML)")
	}
	return nil, metadataErrorf("no IDPSSODescriptor in entity %q: the document does not describe a SAML 2.0 identity provider", attrOr(ed, "entityID", ""))
}

// readEndpoints reads the endpoints of kind (SingleSignOnService,
// SingleLogoutService) with the bindings Gatehouse speaks, in document
// order, without duplicates. Others (SOAP, Artifact) are skipped.
func readEndpoints(idp *etree.Element, kind string) ([]Endpoint, error) {
	var out []Endpoint
	seen := map[Endpoint]bool{}
	for _, el := range childElems(idp, nsMetadata, kind) {
		e := Endpoint{Binding: attrOr(el, "Binding", ""), Location: strings.TrimSpace(attrOr(el, "Location", ""))}
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
	for _, ext := range childElems(el, nsMetadata, "Extensions") {
		for _, sm := range childElems(ext, nsAlgSupport, "SigningMethod") {
			if a := attrOr(sm, "Algorithm", ""); a != "" {
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
