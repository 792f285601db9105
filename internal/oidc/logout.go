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

	"github.com/gatehouse-sso/gatehouse/internal/netguard"
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
	// Per workspace: at most backChannelPerWorkspace deliveries at once
	// and backChannelWorkspaceQueue waiting (docs/decisions.md).
	backChannelPerWorkspace   = 2
	backChannelWorkspaceQueue = 200
	logoutTokenTTL            = 2 * time.Minute
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

// backChannel delivers logout tokens asynchronously, fairly between
// workspaces: each workspace has its own bounded queue, workers take jobs
// round-robin across workspaces, and at most backChannelPerWorkspace
// deliveries of one workspace run at once, so one workspace's slow or
// dead endpoint delays only its own logouts.
type backChannel struct {
	p      *Provider
	client *http.Client
	once   sync.Once
	wake   chan struct{}

	mu     sync.Mutex
	queues map[string][]backChannelJob // by workspace ID
	ring   []string                    // workspaces with queued jobs, next first
	busy   map[string]int              // deliveries in flight per workspace
	total  int
}

// backChannelJob is one logout token to deliver.
type backChannelJob struct {
	workspaceID, uri, token, clientID string
}

// newBackChannel builds the sender; its workers start at the first job.
// Its client dials only public addresses (unless the operator allows
// private ones), uses no proxy (the check must see the real peer) and
// follows no redirects (one could point the token anywhere).
func newBackChannel(p *Provider) *backChannel {
	dialer := &net.Dialer{Timeout: backChannelTimeout, Control: netguard.Control(p.opts.AllowPrivateBackChannel)}
	c := &http.Client{
		Timeout:       backChannelTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{Proxy: nil, DialContext: dialer.DialContext,
			TLSHandshakeTimeout: backChannelTimeout, ResponseHeaderTimeout: backChannelTimeout, MaxIdleConnsPerHost: 2},
	}
	return &backChannel{p: p, client: c, wake: make(chan struct{}, backChannelWorkers),
		queues: map[string][]backChannelJob{}, busy: map[string]int{}}
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
	b.push(backChannelJob{workspaceID: g.WorkspaceID, uri: c.BackChannelLogoutURI, token: token, clientID: c.ID})
}

// push queues a job, or drops it (logged) when its workspace's queue or
// the whole queue is full: delivery is best effort.
func (b *backChannel) push(j backChannelJob) {
	b.once.Do(func() {
		for range backChannelWorkers {
			go b.work()
		}
	})
	b.mu.Lock()
	q := b.queues[j.workspaceID]
	full := b.total >= backChannelQueue || len(q) >= backChannelWorkspaceQueue
	if !full {
		if len(q) == 0 {
			b.ring = append(b.ring, j.workspaceID)
		}
		b.queues[j.workspaceID] = append(q, j)
		b.total++
	}
	b.mu.Unlock()
	if full {
		b.p.opts.Log.Warn("oidc: back-channel logout queue full; dropped", "client_id", j.clientID)
		return
	}
	b.signal()
}

// signal wakes a waiting worker (never blocks: a full channel means
// every worker will look again anyway).
func (b *backChannel) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// next takes the first job of the first workspace in the ring that has a
// delivery slot free, and moves that workspace to the ring's end.
func (b *backChannel) next() (backChannelJob, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, ws := range b.ring {
		if b.busy[ws] >= backChannelPerWorkspace {
			continue
		}
		q := b.queues[ws]
		j := q[0]
		b.ring = append(b.ring[:i:i], b.ring[i+1:]...)
		if len(q) == 1 {
			delete(b.queues, ws)
		} else {
			b.queues[ws] = q[1:]
			b.ring = append(b.ring, ws)
		}
		b.busy[ws]++
		b.total--
		return j, true
	}
	return backChannelJob{}, false
}

// finished frees the workspace's delivery slot.
func (b *backChannel) finished(ws string) {
	b.mu.Lock()
	if b.busy[ws]--; b.busy[ws] <= 0 {
		delete(b.busy, ws)
	}
	b.mu.Unlock()
	b.signal()
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

// work delivers queued jobs forever (the process's lifetime bounds it).
func (b *backChannel) work() {
	for {
		j, ok := b.next()
		if !ok {
			<-b.wake
			continue
		}
		if err := b.deliver(j); err != nil {
			b.p.opts.Log.Warn("oidc: back-channel logout failed", "client_id", j.clientID, "err", err)
		}
		b.finished(j.workspaceID)
	}
}

// deliver POSTs one logout token (RFC form encoding, as the spec says).
func (b *backChannel) deliver(j backChannelJob) error {
	if u, err := url.Parse(j.uri); err != nil || (u.Scheme != "https" && !b.p.opts.AllowPrivateBackChannel) {
		// Registered before https became required: refused, not sent.
		return errors.New("back-channel logout URI is not https, which this instance does not allow")
	}
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
