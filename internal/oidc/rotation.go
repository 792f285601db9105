package oidc

import (
	"context"
	"time"
)

// RotateIfDue rotates the signing key when the newest key is older than
// every (docs/oidc.md). Replicas check independently; two that rotate at
// the same moment publish one extra key, which costs nothing but a JWKS
// entry until it is retired.
func (p *Provider) RotateIfDue(ctx context.Context, every time.Duration) (bool, error) {
	now := p.opts.Now()
	keys, err := p.opts.Store.ListOIDCSigningKeys(ctx, now)
	if err != nil {
		return false, err
	}
	var newest time.Time
	for _, k := range keys {
		if k.CreatedAt.After(newest) {
			newest = k.CreatedAt
		}
	}
	if len(keys) > 0 && now.Sub(newest) < every {
		return false, nil
	}
	id, err := RotateKeys(ctx, p.opts.Store, now, p.KeyActivationDelay(), p.MaxTokenLifetime(), p.opts.SigningAlg)
	if err != nil {
		return false, err
	}
	p.keys.invalidate()
	p.opts.Log.Info("oidc: signing key rotated on schedule", "key_id", id, "signs_from", now.Add(p.KeyActivationDelay()))
	return true, nil
}

// RunKeyRotation checks every hour (or every/4, when shorter) until ctx
// ends; failures are logged and retried at the next check.
func (p *Provider) RunKeyRotation(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(min(time.Hour, every/4))
	defer t.Stop()
	for {
		if _, err := p.RotateIfDue(ctx, every); err != nil && ctx.Err() == nil {
			p.opts.Log.Warn("oidc: scheduled key rotation failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
