package forwardauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxSites bounds the protected sites of one workspace (each return-URL
// check scans them).
const maxSites = 200

// Audit event kinds of site changes.
const (
	KindSiteCreate = "config.site_create"
	KindSiteDelete = "config.site_delete"
)

// ErrInvalidSite is wrapped by every refusal of a site URL; its message is
// for the admin who typed it.
var ErrInvalidSite = errors.New("invalid site URL")

// siteError is an operator-readable refusal of a site URL.
func siteError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidSite, fmt.Sprintf(format, args...))
}

// NormalizeSite turns an admin's site URL ("https://Dash.Example.com/")
// into the origin stored for it ("https://dash.example.com"): http or
// https, a host, no user info, path, query or fragment; default ports are
// dropped so that equal origins compare equal.
func NormalizeSite(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 512 {
		return "", siteError("give the site's address, like https://dash.example.com")
	}
	if strings.ContainsAny(raw, "\\ \t\r\n") {
		return "", siteError("%q contains a backslash or whitespace", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", siteError("%q is not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" {
		return "", siteError("%q must start with https:// (or http://)", raw)
	}
	if u.User != nil {
		return "", siteError("%q must not contain a user name or password", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", siteError("%q must be only the site's origin (scheme and host), without a path", raw)
	}
	o, ok := origin(u)
	if !ok {
		return "", siteError("%q has no valid host name", raw)
	}
	return o, nil
}

// origin is u's lowercase "scheme://host[:port]" without a default port;
// ok is false when the host is empty or holds characters no host name has.
func origin(u *url.URL) (string, bool) {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if host == "" || strings.ContainsAny(host, "%@/\\?#") {
		return "", false
	}
	if strings.Contains(u.Host, ":") && port == "" && !strings.HasSuffix(u.Host, "]") {
		return "", false // "host:" with an empty port
	}
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		port = ""
	}
	h := host
	if strings.Contains(host, ":") {
		h = "[" + host + "]"
	}
	if port != "" {
		h = net.JoinHostPort(host, port)
	}
	return scheme + "://" + h, true
}

// maxReturnURLLen bounds a return URL.
const maxReturnURLLen = 2048

// CheckReturnURL returns raw, normalized, when it is an absolute http(s)
// URL whose origin is one of origins, and "" otherwise. Everything a
// browser might read differently from Go is refused outright: backslashes,
// control characters and spaces anywhere, user info, scheme-relative and
// relative URLs.
func CheckReturnURL(raw string, origins []string) string {
	if raw == "" || len(raw) > maxReturnURLLen {
		return ""
	}
	for _, c := range raw {
		if c <= 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" || !strings.HasPrefix(strings.ToLower(raw), scheme+"://") {
		return ""
	}
	o, ok := origin(u)
	if !ok {
		return ""
	}
	for _, allowed := range origins {
		if o == allowed {
			return u.String()
		}
	}
	return ""
}

// Sites manages a workspace's protected sites (the settings page, the API
// and the CLI all go through it, so every change is validated and audited
// the same way).
type Sites struct {
	Store store.Store
	// Now is the clock of audit events; nil = time.Now.
	Now func() time.Time
}

func (s Sites) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Add validates rawURL and lists its origin for ws; actorID is the admin
// ("" for the operator's CLI). It returns the stored site.
func (s Sites) Add(ctx context.Context, actorID, workspaceID, rawURL string) (*store.ProtectedSite, error) {
	o, err := NormalizeSite(rawURL)
	if err != nil {
		return nil, err
	}
	site := &store.ProtectedSite{WorkspaceID: workspaceID, Origin: o, CreatedBy: actorID, CreatedAt: s.now()}
	err = s.Store.InTx(ctx, func(q store.Queries) error {
		list, err := q.ListSites(ctx, workspaceID)
		if err != nil {
			return err
		}
		if len(list) >= maxSites {
			return siteError("a workspace can list at most %d sites", maxSites)
		}
		if err := q.CreateSite(ctx, site); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("%s is listed already: %w", o, store.ErrConflict)
			}
			return err
		}
		return appendAudit(ctx, q, s.now(), workspaceID, actorID, KindSiteCreate, "protected site "+o+" added", site)
	})
	if err != nil {
		return nil, err
	}
	return site, nil
}

// Remove deletes site id of the workspace (store.ErrNotFound when it is
// not one of its sites).
func (s Sites) Remove(ctx context.Context, actorID, workspaceID, id string) error {
	return s.Store.InTx(ctx, func(q store.Queries) error {
		list, err := q.ListSites(ctx, workspaceID)
		if err != nil {
			return err
		}
		for i := range list {
			if list[i].ID == id {
				if err := q.DeleteSite(ctx, workspaceID, id); err != nil {
					return err
				}
				return appendAudit(ctx, q, s.now(), workspaceID, actorID, KindSiteDelete, "protected site "+list[i].Origin+" removed", &list[i])
			}
		}
		return fmt.Errorf("no such site: %w", store.ErrNotFound)
	})
}

// appendAudit records a site change.
func appendAudit(ctx context.Context, q store.Queries, at time.Time, workspaceID, actorID, kind, message string, site *store.ProtectedSite) error {
	d, _ := json.Marshal(map[string]string{"site_id": site.ID, "origin": site.Origin})
	return q.AppendAudit(ctx, &store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: kind,
		Message: message, Details: d, CreatedAt: at})
}
