package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Bounds on what an authorization request may carry: it is stored, and
// anyone can send one.
const (
	maxStateLen  = 1024
	maxNonceLen  = 1024
	maxScopes    = 16
	maxChallenge = 128
)

// storage is op.Storage for one workspace.
type storage struct {
	p  *Provider
	ws store.Workspace
	op *op.Provider
}

var (
	_ op.Storage                        = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest      = (*storage)(nil)
	_ op.CanTerminateSessionFromRequest = (*storage)(nil)
)

func (s *storage) st() store.Store                  { return s.p.opts.Store }
func (s *storage) now() time.Time                   { return s.p.opts.Now() }
func (s *storage) loginURL() string                 { return s.p.opts.PublicURL + LoginPath(s.ws.Slug) }
func (s *storage) Health(ctx context.Context) error { return s.st().Ping(ctx) }

// loadClient reads an application of this workspace.
func (s *storage) loadClient(ctx context.Context, id string) (*client, error) {
	if id == "" || len(id) > 128 {
		return nil, errors.New("oidc: unknown client")
	}
	c := cachedClient(ctx, id)
	if c == nil {
		var err error
		c, err = s.st().GetOIDCClient(ctx, s.ws.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("oidc: unknown client %q", id)
		}
		if err != nil {
			return nil, oidc.ErrServerError().WithParent(err)
		}
		cacheClient(ctx, c)
	}
	return &client{c: c, loginURL: s.loginURL(), idTTL: s.p.opts.IDTokenTTL}, nil
}

// GetClientByClientID implements op.OPStorage.
func (s *storage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	return s.loadClient(ctx, id)
}

// AuthorizeClientIDSecret checks a confidential client's secret against
// its stored SHA-256 in constant time.
func (s *storage) AuthorizeClientIDSecret(ctx context.Context, id, secret string) error {
	c, err := s.loadClient(ctx, id)
	if err != nil {
		return err
	}
	if c.c.Public || len(c.c.SecretHash) == 0 || secret == "" || len(secret) > 256 ||
		subtle.ConstantTimeCompare(workspace.HashToken(secret), c.c.SecretHash) != 1 {
		return errors.New("oidc: wrong client secret")
	}
	return nil
}

// CreateAuthRequest stores a validated authorization request. It adds
// Gatehouse's rules: PKCE only with S256, PKCE required for public
// clients, bounded parameters, bounded pending requests.
func (s *storage) CreateAuthRequest(ctx context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	c, err := s.loadClient(ctx, r.ClientID)
	if err != nil {
		return nil, oidc.ErrInvalidRequestRedirectURI().WithParent(err)
	}
	switch {
	case r.CodeChallenge != "" && r.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	case c.c.Public && r.CodeChallenge == "":
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with S256 is required for this application")
	case len(r.State) > maxStateLen || len(r.Nonce) > maxNonceLen || len(r.Scopes) > maxScopes || len(r.CodeChallenge) > maxChallenge:
		return nil, oidc.ErrInvalidRequest().WithDescription("request parameters too long")
	case r.ResponseMode != "" && r.ResponseMode != oidc.ResponseModeQuery:
		return nil, oidc.ErrInvalidRequest().WithDescription("only response_mode=query is supported")
	}
	// Checked before the cap, so that a request that cannot be stored
	// evicts nobody's.
	binding, _ := ctx.Value(bindingKey{}).(string)
	if binding == "" {
		return nil, oidc.ErrServerError().WithDescription("no browser binding")
	}
	now := s.now()
	n, err := s.st().CountOIDCAuthRequests(ctx, s.ws.ID, now)
	if err != nil {
		return nil, err
	}
	if limit := s.p.opts.MaxPendingAuthRequests; n >= limit {
		// At the cap the oldest unfinished requests of the client holding
		// the most give way rather than everyone's sign-in failing: a
		// flood evicts its own, and each request is bound to its browser,
		// so it can never finish one for an attacker (docs/decisions.md,
		// "Review 3: pending OIDC authorizations").
		gone, err := s.st().EvictOIDCAuthRequests(ctx, s.ws.ID, n-limit+1, now)
		if err != nil {
			return nil, err
		}
		if s.p.capLogDue(s.ws.ID) {
			s.p.opts.Log.Warn("oidc: pending authorizations at the workspace's cap; the largest holder's oldest evicted", "workspace", s.ws.Slug,
				"cap", limit, "evicted", gone)
		}
	}
	a := fromOIDC(r)
	a.Binding = workspace.HashToken(binding)
	data, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	owner, _ := ctx.Value(ownerKey{}).(string)
	row := &store.OIDCAuthRequest{WorkspaceID: s.ws.ID, ClientID: c.c.ID, Owner: owner, Data: data, CreatedAt: now, ExpiresAt: now.Add(s.p.opts.AuthRequestTTL)}
	if err := s.st().CreateOIDCAuthRequest(ctx, row); err != nil {
		return nil, err
	}
	a.ID, a.CreatedAt = row.ID, row.CreatedAt
	return a, nil
}

// AuthRequestByID reads a pending request.
func (s *storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	return s.authRequest(ctx, id)
}

func (s *storage) authRequest(ctx context.Context, id string) (*authRequest, error) {
	if id == "" || len(id) > 64 {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown authorization request")
	}
	row, err := s.st().GetOIDCAuthRequest(ctx, s.ws.ID, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown or expired authorization request")
	}
	if err != nil {
		return nil, err
	}
	return decodeAuthRequest(row)
}

// AuthRequestByCode consumes the code (a code is exchanged at most once,
// even by concurrent requests on different replicas) and re-checks that
// the member may still use the application.
func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	if code == "" || len(code) > 512 {
		return nil, errors.New("oidc: unknown code")
	}
	row, err := s.st().ConsumeOIDCAuthCode(ctx, s.ws.ID, workspace.HashToken(code), s.now())
	if err != nil {
		return nil, err
	}
	if rc, ok := ctx.Value(requestCacheKey{}).(*requestCache); ok {
		rc.mu.Lock()
		rc.consumed = row.ID
		rc.mu.Unlock()
	}
	a, err := decodeAuthRequest(row)
	if err != nil {
		return nil, err
	}
	if !a.IsDone {
		return nil, errors.New("oidc: code for an unfinished authorization")
	}
	c, err := s.loadClient(ctx, a.ClientID)
	if err != nil {
		return nil, err
	}
	mb, err := sessionMember(ctx, s.st(), c.c, a.SessionHash, a.UserID, s.now())
	if errors.Is(err, errSessionEnded) {
		s.p.opts.Log.Info("oidc: code exchange refused: the session ended", "workspace", s.ws.Slug, "client_id", a.ClientID)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	a.backChannel, a.checked = c.c.BackChannelLogoutURI != "", mb
	return a, nil
}

// SaveAuthCode records the code's hash on its request.
func (s *storage) SaveAuthCode(ctx context.Context, id, code string) error {
	return s.st().SetOIDCAuthCode(ctx, s.ws.ID, id, workspace.HashToken(code))
}

// DeleteAuthRequest removes a request (after the token response). A
// request whose code was exchanged is gone already (consumed): no write.
func (s *storage) DeleteAuthRequest(ctx context.Context, id string) error {
	if a, ok := consumedRequest(ctx); ok && a == id {
		return nil
	}
	return s.st().DeleteOIDCAuthRequest(ctx, s.ws.ID, id)
}

// consumedRequest is the ID of the request whose code this HTTP request
// consumed, if any.
func consumedRequest(ctx context.Context) (string, bool) {
	if rc, ok := ctx.Value(requestCacheKey{}).(*requestCache); ok {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return rc.consumed, rc.consumed != ""
	}
	return "", false
}

// CreateAccessToken returns the ID and expiry of an access token; no
// database write (the encrypted token carries everything, see
// newAccessTokenID).
func (s *storage) CreateAccessToken(ctx context.Context, r op.TokenRequest) (string, time.Time, error) {
	id, exp, err := s.accessToken(ctx, r)
	if err != nil {
		return "", time.Time{}, err
	}
	if err := s.sessionAlive(ctx, r); err != nil {
		return "", time.Time{}, err
	}
	return id, exp, nil
}

// errSessionEnded: the Gatehouse session that finished the authorization
// ended (sign-out, single logout, archiving) before its code was exchanged.
// The code check returns it as is (the op package answers invalid_grant);
// after the writes it is wrapped by sessionEndedError.
var errSessionEnded = errors.New("oidc: the sign-in that issued this code has ended")

// sessionEndedError is the token endpoint's answer for errSessionEnded.
func sessionEndedError() error {
	return oidc.ErrInvalidGrant().WithDescription("the sign-in that issued this code has ended").WithParent(errSessionEnded)
}

// sessionAlive refuses a code exchange whose session has ended. The code
// check read the session and member already (sessionMember); this second
// read runs after the exchange's writes: a sign-out deletes the session
// before it revokes the session's tokens and takes its back-channel
// grants, so either this read sees the session gone or the sign-out sees
// what this exchange wrote (whichever replica each runs on).
func (s *storage) sessionAlive(ctx context.Context, r op.TokenRequest) error {
	a, ok := r.(*authRequest)
	if !ok {
		return nil
	}
	if len(a.SessionHash) == 0 {
		return sessionEndedError()
	}
	_, err := s.st().GetSession(ctx, a.SessionHash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		s.p.opts.Log.Info("oidc: code exchange refused: the session ended", "workspace", s.ws.Slug, "client_id", a.ClientID)
		return sessionEndedError()
	}
	return err
}

// accessToken makes an access token ID and records the back-channel
// logout grant of a code exchange.
func (s *storage) accessToken(ctx context.Context, r op.TokenRequest) (string, time.Time, error) {
	exp := s.now().Add(s.p.opts.AccessTokenTTL)
	id, err := newAccessTokenID(clientOf(r), r.GetScopes(), exp)
	if err != nil {
		return "", time.Time{}, err
	}
	if err := s.recordGrant(ctx, r); err != nil {
		return "", time.Time{}, err
	}
	return id, exp, nil
}

// recordGrant remembers a code exchange for back-channel logout, when the
// application registered a back-channel logout URI.
func (s *storage) recordGrant(ctx context.Context, r op.TokenRequest) error {
	a, ok := r.(*authRequest)
	if !ok || !a.backChannel {
		return nil
	}
	return s.st().SaveOIDCLogoutGrant(ctx, &store.OIDCLogoutGrant{
		OIDCGrant: store.OIDCGrant{WorkspaceID: s.ws.ID, ClientID: a.ClientID, UserID: a.UserID, SessionID: a.SessionID},
		ConfigID:  a.ConfigID, NameID: a.NameID, SessionIndex: a.SessionIndex, ExpiresAt: a.SessionExpires})
}

// clientOf is the client a token request was made by.
func clientOf(r op.TokenRequest) string {
	if c, ok := r.(interface{ GetClientID() string }); ok {
		return c.GetClientID()
	}
	return ""
}

// SignatureAlgorithms lists the algorithms of the published keys (from memory).
func (s *storage) SignatureAlgorithms(ctx context.Context) ([]jose.SignatureAlgorithm, error) {
	keys, _, err := s.p.keys.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return algorithms(keys), nil
}

// SigningKey is the key that signs now (from memory).
func (s *storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	_, cur, err := s.p.keys.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return cur, nil
}

// KeySet is the published keys (from memory).
func (s *storage) KeySet(ctx context.Context) ([]op.Key, error) {
	keys, _, err := s.p.keys.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return keysOf(keys), nil
}

// SetUserinfoFromScopes is deprecated in the op package; the claims are
// set by SetUserinfoFromRequest.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's claims from the member's
// current membership (never a copy from sign-in time).
func (s *storage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	mb := checkedMember(r)
	if mb == nil {
		c, err := s.loadClient(ctx, r.GetClientID())
		if err != nil {
			return err
		}
		if mb, err = allowedMember(ctx, s.st(), c.c, r.GetSubject()); err != nil {
			return oidc.ErrInvalidGrant().WithParent(err)
		}
	}
	mb.fill(info, s.ws.Slug, scopes)
	if sid := sessionOf(r); sid != "" {
		info.AppendClaims("sid", sid)
	}
	return nil
}

// checkedMember is the member the same token request checked already
// (code exchange or refresh), or nil.
func checkedMember(r any) *member {
	switch v := r.(type) {
	case *authRequest:
		return v.checked
	case *refreshRequest:
		return v.checked
	}
	return nil
}

// sessionOf is the sid of the session a request was made under.
func sessionOf(r any) string {
	switch v := r.(type) {
	case *authRequest:
		return v.SessionID
	case *refreshRequest:
		return v.t.SessionID
	}
	return ""
}

// SetUserinfoFromToken answers userinfo for a JWT access token the op
// package has verified: the claims of the token's scopes, from the
// current membership; an archived member or one outside the access rule
// gets nothing.
func (s *storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	clientID, scopes, err := parseAccessTokenID(tokenID, s.now())
	if err != nil {
		return err
	}
	c, err := s.loadClient(ctx, clientID)
	if err != nil {
		return err
	}
	mb, err := allowedMember(ctx, s.st(), c.c, subject)
	if err != nil {
		return oidc.ErrAccessDenied().WithParent(err)
	}
	mb.fill(info, s.ws.Slug, scopes)
	return nil
}

// SetIntrospectionFromToken answers token introspection for an access
// token, for the application it was issued to only.
func (s *storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	tokenClient, scopes, err := parseAccessTokenID(tokenID, s.now())
	if err != nil || tokenClient != clientID {
		return errors.New("oidc: token of another application")
	}
	c, err := s.loadClient(ctx, clientID)
	if err != nil {
		return err
	}
	mb, err := allowedMember(ctx, s.st(), c.c, subject)
	if err != nil {
		return err
	}
	info := &oidc.UserInfo{}
	mb.fill(info, s.ws.Slug, scopes)
	resp.SetUserInfo(info)
	resp.Scope, resp.ClientID, resp.Active = scopes, clientID, true
	return nil
}

// GetPrivateClaimsFromScopes adds nothing to access tokens beyond the
// standard claims: applications read identity from the ID token or userinfo.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID: the JWT profile grant is not offered.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("oidc: JWT client authentication is not supported")
}

// ValidateJWTProfileScopes: the JWT profile grant is not offered.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("oidc: the JWT profile grant is not supported")
}
