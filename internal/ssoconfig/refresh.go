package ssoconfig

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// docs/saml.md, "IdP metadata": metadata given by URL is fetched again on a schedule and when
// a response is signed by a key the stored metadata does not have (an IdP
// certificate rollover). A refresh that fails, or fetches a document that
// does not parse, leaves the last good metadata in force.

// refreshThrottle bounds the on-demand refreshes per config: a stream of
// forged responses must not turn into a stream of fetches.
const refreshThrottle = time.Minute

// RunRefresh refreshes, every interval, the metadata of every SAML config
// that has a metadata URL, until ctx ends. `gatehouse serve` runs it with
// GATEHOUSE_METADATA_REFRESH.
func (m *Manager) RunRefresh(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.refreshAll(ctx)
		}
	}
}

// refreshAll refreshes every config with a metadata URL.
func (m *Manager) refreshAll(ctx context.Context) {
	list, err := m.store.ListWorkspaces(ctx)
	if err != nil {
		m.log.Warn("metadata refresh: list workspaces", "err", err)
		return
	}
	for _, ws := range list {
		cfg, err := m.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
		if err == nil && cfg.MetadataURL != "" {
			_, _ = m.refreshConfig(ctx, cfg) // logged inside
		}
	}
}

// Refresh fetches config id's metadata URL and saves the document when it
// parses and differs from the stored one. It reports whether it saved.
func (m *Manager) Refresh(ctx context.Context, id string) (bool, error) {
	cfg, err := m.store.GetSAMLConfig(ctx, id)
	if err != nil || cfg.MetadataURL == "" {
		return false, err
	}
	return m.refreshConfig(ctx, cfg)
}

// refreshConfig is Refresh for a config already read (refreshAll has it
// from its listing, so it is not read twice before the fetch).
func (m *Manager) refreshConfig(ctx context.Context, cfg *store.SAMLConfig) (bool, error) {
	raw, err := saml.FetchIdPMetadata(ctx, cfg.MetadataURL, m.Fetch)
	if err == nil {
		_, err = saml.ParseIdPMetadata(raw, cfg.IdPEntityID)
	}
	if err != nil {
		m.log.Warn("metadata refresh failed; the last good metadata stays in force", "config", cfg.ID, "err", err)
		return false, err
	}
	if string(raw) == cfg.MetadataXML {
		return false, nil
	}
	// Re-read just before saving so an admin's change made meanwhile to
	// other fields is kept; a changed URL means this document is stale.
	cur, err := m.store.GetSAMLConfig(ctx, cfg.ID)
	if err != nil || cur.MetadataURL != cfg.MetadataURL {
		return false, err
	}
	cur.MetadataXML = string(raw)
	if err := m.svc.SaveSAMLConfig(ctx, "", cur); err != nil {
		m.log.Warn("metadata refresh: save", "config", cfg.ID, "err", err)
		return false, err
	}
	m.log.Info("IdP metadata refreshed from its URL", "config", cfg.ID)
	return true, nil
}

// RefreshOnUnknownKey starts a background refresh when a response for a
// URL-configured config was signed by a key we do not trust (err is the
// validation's error). The response itself stays rejected; the user's next
// attempt uses the new keys.
func (m *Manager) RefreshOnUnknownKey(cfg *store.SAMLConfig, err error) {
	var se *saml.Error
	if cfg.MetadataURL == "" || !errors.As(err, &se) || se.Reason != saml.ReasonUntrustedCertificate {
		return
	}
	r := &m.refresh
	now := m.now()
	r.mu.Lock()
	if last, ok := r.last[cfg.ID]; ok && now.Sub(last) < refreshThrottle {
		r.mu.Unlock()
		return
	}
	r.last[cfg.ID] = now
	r.mu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		_, _ = m.Refresh(context.Background(), cfg.ID)
	}()
}

// Wait waits for the background refreshes RefreshOnUnknownKey started.
func (m *Manager) Wait() { m.refresh.wg.Wait() }
