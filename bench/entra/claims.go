package entra

// Claim names as Entra ID sends them. The first nine are what every Entra
// SAML token carries (the directory claims plus the four "Attributes &
// Claims" defaults); wids (directory role template IDs) and role (app
// roles) are added for users who hold a directory role or an app role,
// which is the common case for the admins who try SSO first.
const (
	ClaimTenantID        = "http://schemas.microsoft.com/identity/claims/tenantid"
	ClaimObjectID        = "http://schemas.microsoft.com/identity/claims/objectidentifier"
	ClaimDisplayName     = "http://schemas.microsoft.com/identity/claims/displayname"
	ClaimIdentityProv    = "http://schemas.microsoft.com/identity/claims/identityprovider"
	ClaimAuthnMethods    = "http://schemas.microsoft.com/claims/authnmethodsreferences"
	ClaimGivenName       = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
	ClaimSurname         = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"
	ClaimEmailAddress    = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
	ClaimName            = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
	ClaimWIDs            = "http://schemas.microsoft.com/ws/2008/06/identity/claims/wids"
	ClaimRole            = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
	ClaimEmail           = "email"  // the seed's renamed claim
	ClaimGroups          = "groups" // the seed's "Group attribute"
	authnMethodPassword  = "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"
	authnMethodMultiAuth = "http://schemas.microsoft.com/claims/multipleauthn"
	// globalReaderRole is the Entra directory role template ID of Global Reader.
	globalReaderRole = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
)

// User is the person the IdP vouches for.
type User struct {
	UPN         string // NameID and the name claim
	Email       string
	GivenName   string
	Surname     string
	DisplayName string
	ObjectID    string   // Entra object ID (a GUID)
	Groups      []string // group object IDs (GUIDs), Entra's default group claim values
	AppRole     string
}

// claim is one Attribute with its values, in document order.
type claim struct {
	name   string
	values []string
}

// claims lists the attributes Entra sends for u, in Entra's order. Like
// Entra, it leaves the groups claim out for a user in no group.
func claims(tenantID, issuer string, u User) []claim {
	cs := []claim{
		{ClaimTenantID, []string{tenantID}},
		{ClaimObjectID, []string{u.ObjectID}},
		{ClaimDisplayName, []string{u.DisplayName}},
		{ClaimIdentityProv, []string{issuer}},
		{ClaimAuthnMethods, []string{authnMethodPassword, authnMethodMultiAuth}},
		{ClaimWIDs, []string{globalReaderRole}},
		{ClaimRole, []string{u.AppRole}},
		{ClaimGivenName, []string{u.GivenName}},
		{ClaimSurname, []string{u.Surname}},
		{ClaimEmailAddress, []string{u.Email}},
		{ClaimName, []string{u.UPN}},
		{ClaimEmail, []string{u.Email}},
	}
	if len(u.Groups) > 0 {
		cs = append(cs, claim{ClaimGroups, u.Groups})
	}
	return cs
}
