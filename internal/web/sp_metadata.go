package web

import (
	"net/http"
	"time"
)

// spMetadataValidity is the validUntil of the SP metadata we publish; IdPs
// that refresh it by URL pick up key changes within that time.
const spMetadataValidity = 7 * 24 * time.Hour

// handleSPMetadata serves a config's SP metadata (docs/endpoints.md). It is served
// for disabled configs too: admins register it at the IdP before enabling.
func (s *Server) handleSPMetadata(w http.ResponseWriter, r *http.Request) {
	cfg, err := s.store.GetSAMLConfig(r.Context(), r.PathValue("configID"))
	if s.lookupFailed(w, r, err) {
		return
	}
	rt, err := s.serviceProvider(cfg)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	doc, err := rt.sp.Metadata(s.now().Add(spMetadataValidity))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Header().Set("Content-Disposition", `inline; filename="gatehouse-sp-metadata.xml"`)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(doc)
}
