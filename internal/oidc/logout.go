package oidc

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/pkg/crypto"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Back-channel logout bounds: each delivery gets backChannelTimeout, at
// most backChannelWorkers run at once, and at most backChannelQueue wait
// (beyond that, deliveries are dropped and logged: it is best effort).
const (
	backChannelTimeout = 5 * time.Second
	backChannelWorkers = 4
	backChannelQueue   = 1000
	logoutTokenTTL     = 2 * time.Minute
)

// OnSignOut is workspace.Service's OnSignOut hook: it revokes the refresh
// tokens issued under the ended sessions (or, for an archived or removed
// member, all of the member's) and queues a back-channel logout token for
// every application that registered a back-channel logout URI.
func (p *Provider) OnSignOut(ctx context.Context, ev workspace.SignOutEvent) {
	var f store.OIDCTokenFilter
	switch {
	case ev.Session != nil:
		f = store.OIDCTokenFilter{WorkspaceID: ev.Session.WorkspaceID, SessionID: SessionID(ev.Session)}
	case ev.SSO != nil:
		f = store.OIDCTokenFilter{ConfigID: ev.SSO.ConfigID, NameID: ev.SSO.NameID, SessionIndex: ev.SSO.SessionIndex}
	case ev.Member != nil:
		f = store.OIDCTokenFilter{WorkspaceID: ev.Member.WorkspaceID, UserID: ev.Member.UserID}
	default:
		return
	}
	// The sign-out must not wait on a slow database forever, nor be
	// undone by the caller's context ending right after it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	grants, err := p.opts.Store.RevokeOIDCRefreshTokens(ctx, f)
	if err != nil {
		p.opts.Log.Error("oidc: revoking refresh tokens after sign-out failed", "err", err)
		return
	}
	more, err := p.opts.Store.TakeOIDCLogoutGrants(ctx, f)
	if err != nil {
		p.opts.Log.Error("oidc: reading back-channel logout grants failed", "err", err)
	}
	seen := map[store.OIDCGrant]bool{}
	for _, g := range append(grants, more...) {
		if !seen[g] {
			seen[g] = true
			p.bcl.enqueue(ctx, g)
		}
	}
}

// backChannel delivers logout tokens asynchronously.
type backChannel struct {
	p      *Provider
	client *http.Client
	queue  chan backChannelJob
	once   sync.Once
}

// backChannelJob is one logout token to deliver.
type backChannelJob struct {
	uri, token, clientID string
}

// newBackChannel builds the sender; its workers start at the first job.
func newBackChannel(p *Provider) *backChannel {
	c := p.opts.BackChannelClient
	if c == nil {
		c = &http.Client{
			Timeout: backChannelTimeout,
			// A redirect could point the logout token anywhere: never follow.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, DialContext: (&net.Dialer{Timeout: backChannelTimeout}).DialContext,
				TLSHandshakeTimeout: backChannelTimeout, ResponseHeaderTimeout: backChannelTimeout, MaxIdleConnsPerHost: 2},
		}
	}
	return &backChannel{p: p, client: c, queue: make(chan backChannelJob, backChannelQueue)}
}

// enqueue signs a logout token for g when its application has a
// back-channel URI, and queues it.
func (b *backChannel) enqueue(ctx context.Context, g store.OIDCGrant) {
	c, err := b.p.opts.Store.GetOIDCClient(ctx, g.WorkspaceID, g.ClientID)
	if err != nil || c.BackChannelLogoutURI == "" {
		return
	}
	ws, err := b.p.opts.Store.GetWorkspace(ctx, g.WorkspaceID)
	if err != nil {
		return
	}
	token, err := b.p.logoutToken(ctx, ws.Slug, g)
	if err != nil {
		b.p.opts.Log.Error("oidc: signing logout token failed", "err", err)
		return
	}
	b.once.Do(func() {
		for range backChannelWorkers {
			go b.work()
		}
	})
	select {
	case b.queue <- backChannelJob{uri: c.BackChannelLogoutURI, token: token, clientID: c.ID}:
	default:
		b.p.opts.Log.Warn("oidc: back-channel logout queue full; dropped", "client_id", c.ID)
	}
}

// logoutToken signs an OpenID Connect back-channel logout token with the
// provider's current key.
func (p *Provider) logoutToken(ctx context.Context, slug string, g store.OIDCGrant) (string, error) {
	_, key, err := p.keys.snapshot(ctx)
	if err != nil {
		return "", err
	}
	jti, err := newSecret()
	if err != nil {
		return "", err
	}
	claims := oidc.NewLogoutTokenClaims(p.Issuer(slug), g.UserID, oidc.Audience{g.ClientID}, p.opts.Now().Add(logoutTokenTTL), jti, g.SessionID, 0)
	signer, err := op.SignerFromKey(key)
	if err != nil {
		return "", err
	}
	return crypto.Sign(claims, signer)
}

// work delivers queued jobs forever (the queue is never closed: the
// process's lifetime bounds it).
func (b *backChannel) work() {
	for j := range b.queue {
		if err := b.deliver(j); err != nil {
			b.p.opts.Log.Warn("oidc: back-channel logout failed", "client_id", j.clientID, "err", err)
		}
	}
}

// deliver POSTs one logout token (RFC form encoding, as the spec says).
func (b *backChannel) deliver(j backChannelJob) error {
	ctx, cancel := context.WithTimeout(context.Background(), backChannelTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.uri, strings.NewReader(url.Values{"logout_token": {j.token}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return errors.New("application answered " + resp.Status)
	}
	return nil
}
