package oidc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// errNotAllowed: the member is archived, removed, or outside the
// application's access rule. It becomes access_denied at the authorization
// endpoint and invalid_grant at the token endpoint.
var errNotAllowed = errors.New("oidc: member not allowed for this application")

// member is the current state of a user in the workspace.
type member struct {
	user   *store.User
	m      *store.Membership
	groups []string
}

// loadMember reads the user's current membership; errNotAllowed when the
// user or membership is gone, archived, or not active.
func loadMember(ctx context.Context, q store.Queries, workspaceID, userID string) (*member, error) {
	u, err := q.GetUser(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotAllowed
	}
	if err != nil {
		return nil, err
	}
	m, err := q.GetMembership(ctx, workspaceID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotAllowed
	}
	if err != nil {
		return nil, err
	}
	if u.Archived || m.Status != store.StatusActive {
		return nil, errNotAllowed
	}
	gs, err := q.MemberGroups(ctx, workspaceID, userID)
	if err != nil {
		return nil, err
	}
	names := groupNames(gs)
	slices.Sort(names)
	return &member{user: u, m: m, groups: names}, nil
}

// sessionMember reads the session that finished an authorization and its
// member's current state in one statement (the code exchange's check):
// errSessionEnded when the session has ended, errNotAllowed when the
// member is archived, not active, or outside the access rule.
func sessionMember(ctx context.Context, q store.Queries, c *store.OIDCClient, sessionHash []byte, userID string, now time.Time) (*member, error) {
	if len(sessionHash) == 0 {
		return nil, errSessionEnded
	}
	si, err := q.SessionIdentity(ctx, sessionHash, now)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (si.UserID != userID || si.WorkspaceID != c.WorkspaceID)) {
		return nil, errSessionEnded
	}
	if err != nil {
		return nil, err
	}
	if si.UserArchived || si.Status != store.StatusActive || !Allows(c, si.Role, si.Groups) {
		return nil, errNotAllowed
	}
	return &member{user: &store.User{ID: si.UserID, Email: si.Email, Name: si.Name},
		m: &store.Membership{WorkspaceID: si.WorkspaceID, UserID: si.UserID, Role: si.Role, Status: si.Status}, groups: si.Groups}, nil
}

// allowedMember loads the member and applies the application's access
// rule (docs/oidc.md): any listed group, and at least the minimum role.
func allowedMember(ctx context.Context, q store.Queries, c *store.OIDCClient, userID string) (*member, error) {
	mb, err := loadMember(ctx, q, c.WorkspaceID, userID)
	if err != nil {
		return nil, err
	}
	if !Allows(c, mb.m.Role, mb.groups) {
		return nil, errNotAllowed
	}
	return mb, nil
}

// Allows is the application access rule: when groups are listed the
// member must be in one of them, and when a minimum role is set the
// member's role must be at least that.
func Allows(c *store.OIDCClient, role string, groups []string) bool {
	if len(c.AllowedGroups) > 0 && !slices.ContainsFunc(c.AllowedGroups, func(g string) bool { return slices.Contains(groups, g) }) {
		return false
	}
	return c.MinRole == "" || workspace.RoleAtLeast(role, c.MinRole)
}

// fill sets the claims of scopes on info (docs/oidc.md).
func (mb *member) fill(info *oidc.UserInfo, slug string, scopes []string) {
	info.Subject = mb.user.ID
	for _, s := range scopes {
		switch s {
		case oidc.ScopeEmail:
			info.Email = mb.user.Email
			// Gatehouse only knows addresses an admin entered or the
			// workspace's IdP asserted; both count as verified here.
			info.EmailVerified = oidc.Bool(true)
		case oidc.ScopeProfile:
			info.Name = mb.user.Name
			info.GivenName, info.FamilyName = splitName(mb.user.Name)
		case ScopeGroups:
			groups := mb.groups
			if groups == nil {
				groups = []string{}
			}
			info.AppendClaims("groups", groups)
			info.AppendClaims("role", mb.m.Role)
		}
	}
	info.AppendClaims("workspace", slug)
}

// splitName splits a display name at its last space: "Ada King Lovelace"
// gives "Ada King" and "Lovelace"; a single word is the given name.
func splitName(name string) (given, family string) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexByte(name, ' '); i > 0 {
		return strings.TrimSpace(name[:i]), name[i+1:]
	}
	return name, ""
}
