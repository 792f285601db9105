package ssoconfig

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Manager validates, saves and refreshes SAML configs. Build it with New;
// its exported fields may be changed before use (tests point Fetch at a
// test server).
type Manager struct {
	store     store.Store
	svc       *workspace.Service
	publicURL string
	now       func() time.Time
	log       *slog.Logger
	// Fetch bounds every metadata URL download, at save time and on
	// refresh alike, so a URL that saves is one the refresh can fetch.
	Fetch   saml.FetchOptions
	refresh refresher
}

// Options configure a Manager.
type Options struct {
	Store   store.Store
	Service *workspace.Service
	// PublicURL is GATEHOUSE_PUBLIC_URL; the Redirect URL is built from it.
	PublicURL string
	// AllowPrivateMetadataURLs lets metadata URLs point at private addresses.
	AllowPrivateMetadataURLs bool
	// Now is the clock (certificate expiry, refresh throttle); nil = time.Now.
	Now func() time.Time
	// Logger receives the refresh's log lines; nil = slog.Default().
	Logger *slog.Logger
}

// New builds a Manager.
func New(o Options) *Manager {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Manager{
		store: o.Store, svc: o.Service, publicURL: strings.TrimRight(o.PublicURL, "/"), now: o.Now, log: o.Logger,
		Fetch:   saml.FetchOptions{AllowPrivate: o.AllowPrivateMetadataURLs, MaxBytes: MaxMetadataLen},
		refresh: refresher{last: map[string]time.Time{}},
	}
}

// ACSURL is a config's ACS URL, which is also its SP entity ID: the
// Redirect URL of docs/saml.md, setup step 3.
func ACSURL(publicURL, configID string) string {
	return strings.TrimRight(publicURL, "/") + "/api/sso/saml/" + url.PathEscape(configID)
}

// InputForWorkspace returns the SAML settings of the workspace as the
// settings form shows them (the defaults when it has no config yet), so
// that a caller can change a few fields and pass the rest to Configure.
func (m *Manager) InputForWorkspace(ctx context.Context, slug string) (Input, error) {
	ws, err := m.store.GetWorkspaceBySlug(ctx, slug)
	if err != nil {
		return Input{}, err
	}
	cfg, err := m.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	if errors.Is(err, store.ErrNotFound) {
		return InputFor(&store.SAMLConfig{}), nil
	}
	if err != nil {
		return Input{}, err
	}
	return InputFor(cfg), nil
}

// Configure validates in and saves it as the SAML config of the workspace
// slug, exactly as the settings page does (same checks, same messages,
// nothing saved on error). An empty MetadataXML keeps the stored metadata.
// actorID may be "" for the instance operator.
func (m *Manager) Configure(ctx context.Context, slug, actorID string, in Input) (*Result, error) {
	ws, err := m.store.GetWorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return m.Save(ctx, ws, actorID, in)
}

// Preview is the preview of a stored config's metadata, or nil when it no
// longer parses: it was valid when saved, and if a newer parser refuses
// it, the pages still work and show no preview.
func (m *Manager) Preview(cfg *store.SAMLConfig) *Preview {
	md, err := saml.ParseIdPMetadata([]byte(cfg.MetadataXML), cfg.IdPEntityID)
	if err != nil {
		return nil
	}
	return NewPreview(md, m.now())
}

// refresher tracks on-demand refreshes.
type refresher struct {
	mu   sync.Mutex
	last map[string]time.Time // config ID -> last on-demand refresh
	wg   sync.WaitGroup       // running on-demand refreshes
}
