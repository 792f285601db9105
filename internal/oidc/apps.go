package oidc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Audit kinds of application changes ("config" prefix: they are
// configuration changes in the audit log's filters).
const (
	KindAppCreate       = "config.app_create"
	KindAppUpdate       = "config.app_update"
	KindAppRotateSecret = "config.app_secret"
	KindAppDelete       = "config.app_delete"
)

// Limits on an application's settings.
const (
	maxAppName = 100
	maxURIs    = 20
	maxURILen  = 2000
)

// Apps manages the applications (OIDC clients) of workspaces: every
// change is validated, written and audited in one transaction.
type Apps struct {
	Store store.Store
	Now   func() time.Time // time.Now when nil
	// AllowPrivateBackChannel accepts plain-http back-channel logout URIs
	// (GATEHOUSE_OIDC_ALLOW_PRIVATE_BACKCHANNEL); otherwise they must be https.
	AllowPrivateBackChannel bool
}

// AppInput is an application's editable settings.
type AppInput struct {
	Name                   string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	Public                 bool // only at creation
	AllowedGroups          []string
	MinRole                string
	BackChannelLogoutURI   string
}

func (a *Apps) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Create registers an application and returns it with its client secret
// ("" for a public client), which is shown once and stored only hashed.
func (a *Apps) Create(ctx context.Context, actorID, workspaceID string, in AppInput) (*store.OIDCClient, string, error) {
	c := &store.OIDCClient{WorkspaceID: workspaceID, Public: in.Public, CreatedAt: a.now(), UpdatedAt: a.now()}
	var secret string
	if !in.Public {
		var err error
		if secret, err = newSecret(); err != nil {
			return nil, "", err
		}
		c.SecretHash = workspace.HashToken(secret)
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, "", err
	}
	c.ID = hex.EncodeToString(id[:])
	err := a.Store.InTx(ctx, func(q store.Queries) error {
		if err := a.apply(ctx, q, c, in); err != nil {
			return err
		}
		if err := q.CreateOIDCClient(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, q, c, actorID, KindAppCreate, "application "+c.Name+" created")
	})
	if err != nil {
		return nil, "", err
	}
	return c, secret, nil
}

// List lists a workspace's applications.
func (a *Apps) List(ctx context.Context, workspaceID string) ([]store.OIDCClient, error) {
	return a.Store.ListOIDCClients(ctx, workspaceID)
}

// Get reads one application (store.ErrNotFound when unknown).
func (a *Apps) Get(ctx context.Context, workspaceID, id string) (*store.OIDCClient, error) {
	return a.Store.GetOIDCClient(ctx, workspaceID, id)
}

// Update saves the editable settings (not the public flag).
func (a *Apps) Update(ctx context.Context, actorID, workspaceID, id string, in AppInput) (*store.OIDCClient, error) {
	var c *store.OIDCClient
	err := a.Store.InTx(ctx, func(q store.Queries) error {
		var err error
		if c, err = q.GetOIDCClient(ctx, workspaceID, id); err != nil {
			return err
		}
		if err := a.apply(ctx, q, c, in); err != nil {
			return err
		}
		c.UpdatedAt = a.now()
		if err := q.UpdateOIDCClient(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, q, c, actorID, KindAppUpdate, "application "+c.Name+" updated")
	})
	return c, err
}

// RotateSecret replaces a confidential application's secret and returns
// the new one (the old one stops working at once).
func (a *Apps) RotateSecret(ctx context.Context, actorID, workspaceID, id string) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	err = a.Store.InTx(ctx, func(q store.Queries) error {
		c, err := q.GetOIDCClient(ctx, workspaceID, id)
		if err != nil {
			return err
		}
		if c.Public {
			return &workspace.ValidationError{Field: "secret", Message: "A public application has no secret."}
		}
		c.SecretHash, c.UpdatedAt = workspace.HashToken(secret), a.now()
		if err := q.UpdateOIDCClient(ctx, c); err != nil {
			return err
		}
		return a.audit(ctx, q, c, actorID, KindAppRotateSecret, "secret of application "+c.Name+" rotated")
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Delete removes an application with its pending authorizations and
// refresh tokens.
func (a *Apps) Delete(ctx context.Context, actorID, workspaceID, id string) error {
	return a.Store.InTx(ctx, func(q store.Queries) error {
		c, err := q.GetOIDCClient(ctx, workspaceID, id)
		if err != nil {
			return err
		}
		if err := q.DeleteOIDCClient(ctx, workspaceID, id); err != nil {
			return err
		}
		return a.audit(ctx, q, c, actorID, KindAppDelete, "application "+c.Name+" deleted")
	})
}

// audit writes one configuration event (never the secret).
func (a *Apps) audit(ctx context.Context, q store.Queries, c *store.OIDCClient, actorID, kind, msg string) error {
	d, err := json.Marshal(map[string]any{"client_id": c.ID, "redirect_uris": c.RedirectURIs, "public": c.Public,
		"allowed_groups": c.AllowedGroups, "min_role": c.MinRole, "backchannel_logout_uri": c.BackChannelLogoutURI})
	if err != nil {
		return err
	}
	return q.AppendAudit(ctx, &store.AuditEvent{WorkspaceID: c.WorkspaceID, ActorID: actorID, Kind: kind,
		Message: msg, Details: d, CreatedAt: a.now()})
}

// apply validates in against the workspace and copies it onto c.
func (a *Apps) apply(ctx context.Context, q store.Queries, c *store.OIDCClient, in AppInput) error {
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > maxAppName || strings.ContainsAny(name, "\r\n") {
		return invalid("name", "Name: enter 1 to %d characters on one line.", maxAppName)
	}
	redirects, err := cleanURIs("redirect_uris", "Redirect URIs", in.RedirectURIs, 1)
	if err != nil {
		return err
	}
	postLogout, err := cleanURIs("post_logout_redirect_uris", "Post-logout redirect URIs", in.PostLogoutRedirectURIs, 0)
	if err != nil {
		return err
	}
	bcl := strings.TrimSpace(in.BackChannelLogoutURI)
	if bcl != "" {
		if err := checkURI("backchannel_logout_uri", "Back-channel logout URI", bcl); err != nil {
			return err
		}
		if u, _ := url.Parse(bcl); !a.AllowPrivateBackChannel && u.Scheme != "https" {
			return invalid("backchannel_logout_uri", "Back-channel logout URI: %q must use https (this instance does not allow plain http).", bcl)
		}
	}
	role := ""
	if strings.TrimSpace(in.MinRole) != "" {
		r, ok := workspace.ParseRole(in.MinRole)
		if !ok {
			return invalid("min_role", "Minimum role: %q is not one of admin, builder, end-user.", in.MinRole)
		}
		role = r
	}
	groups, err := cleanGroups(ctx, q, c.WorkspaceID, in.AllowedGroups)
	if err != nil {
		return err
	}
	c.Name, c.RedirectURIs, c.PostLogoutRedirectURIs, c.BackChannelLogoutURI = name, redirects, postLogout, bcl
	c.MinRole, c.AllowedGroups = role, groups
	return nil
}

// cleanURIs trims, drops empty entries and duplicates, and checks each.
func cleanURIs(field, label string, in []string, minCount int) ([]string, error) {
	var out []string
	for _, u := range in {
		u = strings.TrimSpace(u)
		if u != "" && !slices.Contains(out, u) {
			if err := checkURI(field, label, u); err != nil {
				return nil, err
			}
			out = append(out, u)
		}
	}
	if len(out) < minCount || len(out) > maxURIs {
		return nil, invalid(field, "%s: enter %d to %d URLs.", label, minCount, maxURIs)
	}
	return out, nil
}

// checkURI accepts an absolute https URL, or http on a loopback host (a
// developer's machine), without fragment or user info. Matching is exact,
// so the URL is kept as written.
func checkURI(field, label, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || len(raw) > maxURILen || u.Host == "" || u.Fragment != "" || u.User != nil || strings.ContainsAny(raw, " \r\n\t") {
		return invalid(field, "%s: %q is not an absolute URL without fragment.", label, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		h := u.Hostname()
		if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return invalid(field, "%s: %q must use https (http only on localhost, 127.0.0.1 or ::1).", label, raw)
}

// cleanGroups checks that each allowed group exists in the workspace, so
// that a typo does not lock everyone out silently.
func cleanGroups(ctx context.Context, q store.Queries, workspaceID string, in []string) ([]string, error) {
	var want []string
	for _, g := range in {
		if g = strings.TrimSpace(g); g != "" && !slices.Contains(want, g) {
			want = append(want, g)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	have, err := q.ListGroups(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	for _, g := range want {
		if !slices.ContainsFunc(have, func(h store.Group) bool { return h.Name == g }) {
			return nil, invalid("allowed_groups", "Allowed groups: the workspace has no group %q.", g)
		}
	}
	return want, nil
}

// invalid is a form/API validation error.
func invalid(field, format string, args ...any) error {
	return &workspace.ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsNotFound reports whether err means "no such application".
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
