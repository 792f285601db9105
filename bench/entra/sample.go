package entra

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
)

// guidFrom formats 16 bytes as a lowercase GUID string.
func guidFrom(b []byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// stableGUID derives a GUID from a label, so that the benchmark response is
// the same size and shape on every run.
func stableGUID(label string) string {
	sum := sha256.Sum256([]byte(label))
	return guidFrom(sum[:16])
}

// NewID returns a fresh random SAML ID in Entra's form ("_" + GUID); IDs
// must start with a letter or underscore (xs:ID).
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("entra: crypto/rand failed: " + err.Error())
	}
	return "_" + guidFrom(b[:])
}

// GroupIDs returns n stable group object IDs.
func GroupIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = stableGUID(fmt.Sprintf("group-%d", i))
	}
	return ids
}

// TenantID is the stable tenant GUID the samples use.
var TenantID = stableGUID("tenant")

// SampleUser returns user number i of the contoso test tenant, a member of
// groups.
func SampleUser(i int, groups []string) User {
	return User{
		UPN:         fmt.Sprintf("adele.vance%d@contoso.onmicrosoft.com", i),
		Email:       fmt.Sprintf("adele.vance%d@contoso.com", i),
		GivenName:   "Adele",
		Surname:     fmt.Sprintf("Vance%d", i),
		DisplayName: fmt.Sprintf("Adele Vance %d", i),
		ObjectID:    stableGUID(fmt.Sprintf("user-%d", i)),
		Groups:      groups,
		AppRole:     "Gatehouse.User",
	}
}
