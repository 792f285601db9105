package workspace

import (
	"slices"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Access actions: what the service must do for a sign-in that the access rules allow.
const (
	// ActionSignIn: an active member; sign in as is.
	ActionSignIn = "sign_in"
	// ActionActivate: an invited member; activate, then sign in.
	ActionActivate = "activate"
	// ActionJoin: not a member and signup is on; create the membership
	// (role end-user), then sign in. The user may need creating too.
	ActionJoin = "join"
)

// AccessInput is what the access decision needs. User and Membership are nil
// when they do not exist.
type AccessInput struct {
	Email      string // normalized
	User       *store.User
	Membership *store.Membership
	Settings   *store.LoginSettings
	// AllowSignup: this sign-in path may provision (SAML with "Enable
	// signup"); password login never does, since a password needs an account.
	AllowSignup bool
}

// DecideAccess applies the access rules of docs/access-rules.md in a fixed order: allowed domains, instance
// archive, workspace archive, invited, member, not a member. The domain
// comes first so that a refused domain learns nothing about which accounts
// exist; the instance archive before the workspace's because it is the
// broader decision.
func DecideAccess(in AccessInput) (string, *AccessError) {
	if in.Settings != nil && !DomainAllowed(in.Email, in.Settings.AllowedDomains) {
		return "", accessError(CodeDomainNotAllowed, MsgDomainNotAllowed)
	}
	if in.User != nil && in.User.Archived {
		return "", accessError(CodeArchivedInstance, MsgArchivedInstance)
	}
	if in.Membership != nil {
		switch in.Membership.Status {
		case store.StatusActive:
			return ActionSignIn, nil
		case store.StatusInvited:
			return ActionActivate, nil
		default: // archived, or a status we do not know: refuse by default
			return "", accessError(CodeArchivedInWorkspace, MsgArchivedInWorkspace)
		}
	}
	if in.AllowSignup && in.Settings != nil && in.Settings.Signup {
		return ActionJoin, nil
	}
	return "", accessError(CodeNotAMember, MsgNotAMember)
}

// DomainAllowed reports whether email's domain is in allowed (docs/access-rules.md, "Provisioning and access rules").
// An empty list allows every domain. Domains compare case-insensitively
// and exactly: "example.com" does not admit "eu.example.com" (list each
// subdomain), because a subdomain may be run by someone else. Entries are
// tolerated with surrounding spaces and a leading '@'.
func DomainAllowed(email string, allowed []string) bool {
	list := NormalizeDomains(allowed)
	if len(list) == 0 {
		return true
	}
	return slices.Contains(list, strings.ToLower(emailDomain(strings.TrimSpace(email))))
}

// NormalizeDomains lowercases and trims domain entries, strips a leading
// '@', and drops empty and duplicate ones.
func NormalizeDomains(in []string) []string {
	var out []string
	for _, d := range in {
		d = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "@")
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// ValidateDomains checks allowed-domain entries: each must look like a
// DNS name (letters, digits, '-', '.', at least one dot), so that a typo
// such as "example,com" is caught when saved instead of locking users out.
func ValidateDomains(domains []string) error {
	for _, d := range NormalizeDomains(domains) {
		if !looksLikeDomain(d) {
			return invalid("allowed_domains", "Allowed domains: %q is not a domain name.", d)
		}
	}
	return nil
}

// looksLikeDomain is a light DNS-name shape check.
func looksLikeDomain(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
		}
	}
	return true
}

// AutoSSOAllowed is the access rule of docs/access-rules.md: automatic SSO login (skipping the sign-in
// page) only when password login is off and exactly one SSO is enabled.
func AutoSSOAllowed(passwordLogin bool, enabledSSO int) bool {
	return !passwordLogin && enabledSSO == 1
}
