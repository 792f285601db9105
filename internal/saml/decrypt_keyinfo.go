package saml

import (
	"strings"

	"github.com/beevik/etree"
)

// encryptedKeys finds the EncryptedKey candidates for data: those inside
// its ds:KeyInfo, those a ds:RetrievalMethod there points to among the
// EncryptedAssertion's children (by Id), and, when KeyInfo names none, the
// EncryptedAssertion's own EncryptedKey children. Lookups never leave the
// EncryptedAssertion.
func encryptedKeys(enc, data *etree.Element) ([]*etree.Element, error) {
	var keys []*etree.Element
	referenced := false
	for _, ki := range childElems(data, nsDSig, "KeyInfo") {
		keys = append(keys, childElems(ki, nsXMLEnc, "EncryptedKey")...)
		for _, rm := range childElems(ki, nsDSig, "RetrievalMethod") {
			referenced = true
			ek, err := retrieveKey(enc, rm)
			if err != nil {
				return nil, err
			}
			keys = append(keys, ek)
		}
	}
	if len(keys) == 0 && !referenced {
		keys = childElems(enc, nsXMLEnc, "EncryptedKey")
	}
	switch {
	case len(keys) == 0:
		return nil, rejectf(ReasonMalformedXML, "expected an xenc:EncryptedKey in the EncryptedData's KeyInfo or beside it, got none")
	case len(keys) > maxEncryptedKeys:
		return nil, rejectf(ReasonMalformedXML, "expected at most %d EncryptedKey elements, got %d", maxEncryptedKeys, len(keys))
	}
	return keys, nil
}

// retrieveKey resolves a RetrievalMethod URI="#id" to the EncryptedKey
// child of enc with that Id.
func retrieveKey(enc, rm *etree.Element) (*etree.Element, error) {
	if t := attrOr(rm, "Type", typeEncryptedKey); t != typeEncryptedKey {
		return nil, rejectf(ReasonMalformedXML, "expected a RetrievalMethod of Type %s, got %q", typeEncryptedKey, t)
	}
	uri := attrOr(rm, "URI", "")
	id, ok := strings.CutPrefix(uri, "#")
	if !ok || id == "" {
		return nil, rejectf(ReasonXMLForbidden, "expected a same-document RetrievalMethod URI (#id), got %q", uri)
	}
	var found *etree.Element
	for _, ek := range childElems(enc, nsXMLEnc, "EncryptedKey") {
		if attrOr(ek, "Id", "") == id {
			if found != nil {
				return nil, rejectf(ReasonDuplicateID, "expected one EncryptedKey with Id %q, got two", id)
			}
			found = ek
		}
	}
	if found == nil {
		return nil, rejectf(ReasonMalformedXML, "expected an EncryptedKey with Id %q beside the EncryptedData, got none", id)
	}
	return found, nil
}
