package web

import (
	"context"
	"errors"
	"sync"
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

// metadataRefresher tracks on-demand refreshes.
type metadataRefresher struct {
	mu   sync.Mutex
	last map[string]time.Time // config ID -> last on-demand refresh
	wg   sync.WaitGroup       // running on-demand refreshes (tests wait on it)
}

// RunMetadataRefresh refreshes, every interval, the metadata of every SAML
// config that has a metadata URL, until ctx ends. `gatehouse serve` runs it
// with GATEHOUSE_METADATA_REFRESH.
func (s *Server) RunMetadataRefresh(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.refreshAllMetadata(ctx)
		}
	}
}

// refreshAllMetadata refreshes every config with a metadata URL.
func (s *Server) refreshAllMetadata(ctx context.Context) {
	list, err := s.store.ListWorkspaces(ctx)
	if err != nil {
		s.log.Warn("metadata refresh: list workspaces", "err", err)
		return
	}
	for _, ws := range list {
		cfg, err := s.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
		if err == nil && cfg.MetadataURL != "" {
			_, _ = s.refreshMetadata(ctx, cfg.ID) // logged inside
		}
	}
}

// refreshMetadata fetches config id's metadata URL and saves the document
// when it parses and differs from the stored one. It reports whether it
// saved.
func (s *Server) refreshMetadata(ctx context.Context, id string) (bool, error) {
	cfg, err := s.store.GetSAMLConfig(ctx, id)
	if err != nil || cfg.MetadataURL == "" {
		return false, err
	}
	raw, err := saml.FetchIdPMetadata(ctx, cfg.MetadataURL, s.metadataFetchOptions())
	if err == nil {
		_, err = saml.ParseIdPMetadata(raw, cfg.IdPEntityID)
	}
	if err != nil {
		s.log.Warn("metadata refresh failed; the last good metadata stays in force", "config", cfg.ID, "err", err)
		return false, err
	}
	if string(raw) == cfg.MetadataXML {
		return false, nil
	}
	// Re-read just before saving so an admin's change made meanwhile to
	// other fields is kept; a changed URL means this document is stale.
	cur, err := s.store.GetSAMLConfig(ctx, id)
	if err != nil || cur.MetadataURL != cfg.MetadataURL {
		return false, err
	}
	cur.MetadataXML = string(raw)
	if err := s.svc.SaveSAMLConfig(ctx, "", cur); err != nil {
		s.log.Warn("metadata refresh: save", "config", cfg.ID, "err", err)
		return false, err
	}
	s.log.Info("IdP metadata refreshed from its URL", "config", cfg.ID)
	return true, nil
}

// refreshOnUnknownKey starts a background refresh when a response for a
// URL-configured config was signed by a key we do not trust. The response
// itself stays rejected; the user's next attempt uses the new keys.
func (s *Server) refreshOnUnknownKey(cfg *store.SAMLConfig, err error) {
	var se *saml.Error
	if cfg.MetadataURL == "" || !errors.As(err, &se) || se.Reason != saml.ReasonUntrustedCertificate {
		return
	}
	r := s.refresher
	now := s.now()
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
		_, _ = s.refreshMetadata(context.Background(), cfg.ID)
	}()
}
