package web

import (
	"crypto/rsa"
	"fmt"
	"sync"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// samlRuntime is a SAML config turned into what the protocol code needs:
// parsed IdP metadata, the SP description and the SP keys. Building it
// parses XML and PEM, so it is cached per config.
type samlRuntime struct {
	md         *saml.IdPMetadata
	sp         *saml.ServiceProvider
	decryptKey *rsa.PrivateKey
	// prevDecryptKey is the previous encryption key during a rollover.
	prevDecryptKey *rsa.PrivateKey
	signKey        *rsa.PrivateKey
}

// metadataCache keeps one samlRuntime per config ID, valid while the
// config's UpdatedAt and the exact metadata and key texts are unchanged
// (so a save on another replica is picked up on the next login).
type metadataCache struct {
	mu sync.Mutex
	m  map[string]*cachedRuntime
}

type cachedRuntime struct {
	updatedAt         time.Time
	metadataXML, keys string
	rt                *samlRuntime
}

func newMetadataCache() *metadataCache { return &metadataCache{m: map[string]*cachedRuntime{}} }

// runtime returns the cached samlRuntime for cfg, building it when cfg changed.
func (s *Server) runtime(cfg *store.SAMLConfig) (*samlRuntime, error) {
	keys := cfg.SPSigningKeyPEM + cfg.SPSigningCertPEM + cfg.SPEncryptionKeyPEM + cfg.SPEncryptionCertPEM +
		cfg.SPSigningPrevCertPEM + cfg.SPEncryptionPrevKeyPEM + cfg.SPEncryptionPrevCertPEM +
		cfg.NameIDFormat + fmt.Sprint(cfg.SignRequests)
	c := s.mdCache
	c.mu.Lock()
	e, ok := c.m[cfg.ID]
	c.mu.Unlock()
	if ok && e.updatedAt.Equal(cfg.UpdatedAt) && e.metadataXML == cfg.MetadataXML && e.keys == keys {
		return e.rt, nil
	}
	rt, err := s.buildRuntime(cfg)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[cfg.ID] = &cachedRuntime{updatedAt: cfg.UpdatedAt, metadataXML: cfg.MetadataXML, keys: keys, rt: rt}
	c.mu.Unlock()
	return rt, nil
}

// buildRuntime parses cfg's metadata and keys.
func (s *Server) buildRuntime(cfg *store.SAMLConfig) (*samlRuntime, error) {
	rt, err := s.serviceProvider(cfg)
	if err != nil {
		return nil, err
	}
	if rt.md, err = saml.ParseIdPMetadata([]byte(cfg.MetadataXML), cfg.IdPEntityID); err != nil {
		return nil, fmt.Errorf("saml config %s: stored IdP metadata: %w", cfg.ID, err)
	}
	return rt, nil
}

// serviceProvider describes our side of cfg (URLs from the public URL,
// keys from their PEM); md stays nil. SP metadata needs only this, so it
// can be served before the IdP metadata is pasted.
func (s *Server) serviceProvider(cfg *store.SAMLConfig) (*samlRuntime, error) {
	acs := s.acsURL(cfg.ID)
	sp := &saml.ServiceProvider{
		EntityID: acs, ACSURL: acs, SLOURL: acs + "/slo",
		NameIDFormat: cfg.NameIDFormat, SignRequests: cfg.SignRequests,
	}
	rt := &samlRuntime{sp: sp}
	if cfg.SPSigningKeyPEM != "" {
		key, cert, err := saml.ParseKeyPair(cfg.SPSigningKeyPEM, cfg.SPSigningCertPEM)
		if err != nil {
			return nil, fmt.Errorf("saml config %s: SP signing key: %w", cfg.ID, err)
		}
		sp.SigningKey, sp.SigningCert, rt.signKey = key, cert, key
	}
	if cfg.SPEncryptionKeyPEM != "" {
		key, cert, err := saml.ParseKeyPair(cfg.SPEncryptionKeyPEM, cfg.SPEncryptionCertPEM)
		if err != nil {
			return nil, fmt.Errorf("saml config %s: SP encryption key: %w", cfg.ID, err)
		}
		sp.EncryptionKey, sp.EncryptionCert, rt.decryptKey = key, cert, key
	}
	if err := previousSPKeys(cfg, sp, rt); err != nil {
		return nil, err
	}
	return rt, nil
}

// trust is the TrustConfig for a response to cfg.
func (rt *samlRuntime) trust(cfg *store.SAMLConfig) *saml.TrustConfig {
	return &saml.TrustConfig{
		IdPEntityID: rt.md.EntityID, Certs: rt.md.SigningCerts,
		AllowSHA1: cfg.AllowSHA1, DecryptionKey: rt.decryptKey,
	}
}

// requestSigningKey is the key for HTTP-Redirect request signatures, or
// nil when the config does not sign requests.
func (rt *samlRuntime) requestSigningKey() *rsa.PrivateKey {
	if rt.sp.SignRequests {
		return rt.signKey
	}
	return nil
}
