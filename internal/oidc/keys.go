package oidc

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// rsaBits is the size of generated RS256 keys.
const rsaBits = 2048

// Signing algorithms a new key can use: RS256 (the default, which every
// client supports) or ES256 (P-256; about ten times cheaper to sign).
const (
	AlgRS256 = string(jose.RS256)
	AlgES256 = string(jose.ES256)
)

// signingKey is one loaded key: op.SigningKey (private) and op.Key (public).
type signingKey struct {
	id       string
	alg      jose.SignatureAlgorithm
	priv     crypto.Signer // *rsa.PrivateKey or *ecdsa.PrivateKey
	signFrom time.Time
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return k.alg }
func (k *signingKey) Key() any                                    { return k.priv }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is the JWKS entry of a signing key.
type publicKey struct{ k *signingKey }

func (p publicKey) ID() string                         { return p.k.id }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return p.k.alg }
func (p publicKey) Use() string                        { return "sig" }
func (p publicKey) Key() any                           { return p.k.priv.Public() }

// keyring caches the shared signing keys in memory: discovery, JWKS and
// signing never read the database; the cache is reloaded every refresh
// interval, which bounds how long a replica takes to see a rotation.
type keyring struct {
	st      store.Store
	now     func() time.Time
	refresh time.Duration
	alg     string // of keys generated on a fresh database

	mu       sync.Mutex
	loadedAt time.Time
	keys     []*signingKey // published keys, oldest first
}

// snapshot returns the published keys and the one that signs now,
// reloading (and on a fresh database generating) them when stale.
func (kr *keyring) snapshot(ctx context.Context) ([]*signingKey, *signingKey, error) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	now := kr.now()
	if kr.keys == nil || now.Sub(kr.loadedAt) >= kr.refresh || now.Before(kr.loadedAt) {
		keys, err := loadKeys(ctx, kr.st, now, kr.alg)
		if err != nil {
			if kr.keys == nil {
				return nil, nil, err
			}
			// Keep serving the keys we have and retry after the next
			// refresh interval: every token request would otherwise wait
			// on the failing database in turn, under kr.mu.
			kr.loadedAt = now
		} else {
			kr.keys, kr.loadedAt = keys, now
		}
	}
	cur := current(kr.keys, now)
	if cur == nil {
		return nil, nil, errors.New("oidc: no signing key is active")
	}
	// A copy: the caller must not see a later reload's slice change.
	return slices.Clone(kr.keys), cur, nil
}

// invalidate makes the next snapshot reload (after a rotation here).
func (kr *keyring) invalidate() {
	kr.mu.Lock()
	kr.keys = nil
	kr.mu.Unlock()
}

// current is the newest key that signs at now.
func current(keys []*signingKey, now time.Time) *signingKey {
	var cur *signingKey
	for _, k := range keys {
		if !k.signFrom.After(now) && (cur == nil || !k.signFrom.Before(cur.signFrom)) {
			cur = k
		}
	}
	return cur
}

// loadKeys reads the published keys, creating the first one when the
// database has none that can sign.
func loadKeys(ctx context.Context, st store.Store, now time.Time, alg string) ([]*signingKey, error) {
	rows, err := st.ListOIDCSigningKeys(ctx, now)
	if err != nil {
		return nil, err
	}
	keys, err := parseKeys(rows)
	if err != nil {
		return nil, err
	}
	if current(keys, now) != nil {
		return keys, nil
	}
	k, err := NewSigningKey(now, alg)
	if err != nil {
		return nil, err
	}
	if err := st.CreateOIDCSigningKey(ctx, k); err != nil {
		return nil, err
	}
	rows, err = st.ListOIDCSigningKeys(ctx, now)
	if err != nil {
		return nil, err
	}
	return parseKeys(rows)
}

// parseKeys decodes stored keys.
func parseKeys(rows []store.OIDCSigningKey) ([]*signingKey, error) {
	out := make([]*signingKey, 0, len(rows))
	for _, r := range rows {
		block, _ := pem.Decode([]byte(r.PrivatePEM))
		if block == nil {
			return nil, fmt.Errorf("oidc: signing key %s is not PEM", r.ID)
		}
		var priv any
		var err error
		if block.Type == "RSA PRIVATE KEY" {
			priv, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		} else {
			priv, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		}
		if err != nil {
			return nil, fmt.Errorf("oidc: signing key %s: %w", r.ID, err)
		}
		k := &signingKey{id: r.ID, alg: jose.SignatureAlgorithm(r.Algorithm), signFrom: r.SignFrom}
		switch p := priv.(type) {
		case *rsa.PrivateKey:
			k.priv = p
			if k.alg != jose.RS256 {
				err = fmt.Errorf("oidc: signing key %s: RSA key for %s", r.ID, r.Algorithm)
			}
		case *ecdsa.PrivateKey:
			k.priv = p
			if k.alg != jose.ES256 || p.Curve != elliptic.P256() {
				err = fmt.Errorf("oidc: signing key %s: EC key for %s", r.ID, r.Algorithm)
			}
		default:
			err = fmt.Errorf("oidc: signing key %s: unsupported key type %T", r.ID, priv)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// NewSigningKey generates a key for alg (AlgRS256 when empty) that signs
// from signFrom on.
func NewSigningKey(signFrom time.Time, alg string) (*store.OIDCSigningKey, error) {
	var priv any
	var err error
	switch alg {
	case "", AlgRS256:
		alg = AlgRS256
		priv, err = rsa.GenerateKey(rand.Reader, rsaBits)
	case AlgES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, fmt.Errorf("oidc: signing algorithm %q is not RS256 or ES256", alg)
	}
	if err != nil {
		return nil, fmt.Errorf("oidc: generating signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	p := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return &store.OIDCSigningKey{ID: hex.EncodeToString(id[:]), Algorithm: alg, PrivatePEM: string(p),
		CreatedAt: signFrom, SignFrom: signFrom}, nil
}

// RotateKeys adds a new signing key that starts signing at now+activateAfter
// (so every replica publishes it before anyone signs with it) and retires
// the older keys once every token they signed has expired
// (maxTokenLifetime after the new key takes over). It returns the new key's ID.
func RotateKeys(ctx context.Context, st store.Store, now time.Time, activateAfter, maxTokenLifetime time.Duration, alg string) (string, error) {
	k, err := NewSigningKey(now.Add(activateAfter), alg)
	if err != nil {
		return "", err
	}
	k.CreatedAt = now
	err = st.InTx(ctx, func(q store.Queries) error {
		if err := q.CreateOIDCSigningKey(ctx, k); err != nil {
			return err
		}
		return q.RetireOIDCSigningKeys(ctx, k.SignFrom, k.SignFrom.Add(maxTokenLifetime))
	})
	if err != nil {
		return "", err
	}
	return k.ID, nil
}

// algorithms lists the distinct algorithms of keys, in order.
func algorithms(keys []*signingKey) []jose.SignatureAlgorithm {
	var out []jose.SignatureAlgorithm
	for _, k := range keys {
		if !slices.Contains(out, k.alg) {
			out = append(out, k.alg)
		}
	}
	return out
}

// keysOf adapts loaded keys to the op package's key set.
func keysOf(keys []*signingKey) []op.Key {
	out := make([]op.Key, len(keys))
	for i, k := range keys {
		out[i] = publicKey{k}
	}
	return out
}
