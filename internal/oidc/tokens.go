package oidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Access tokens are the op package's opaque bearer tokens: the token ID
// and subject, encrypted (AES-256-GCM) with the key every replica shares;
// nothing is stored per token. The token ID carries what userinfo needs
// besides the subject: "<random>.<client_id>.<scopes>.<expiry>", scopes
// joined by '+', expiry in Unix seconds. It is encrypted and
// authenticated with the token, so it cannot be altered.

// newAccessTokenID builds a token ID.
func newAccessTokenID(clientID string, scopes []string, exp time.Time) (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]) + "." + clientID + "." + strings.Join(scopes, "+") + "." +
		strconv.FormatInt(exp.Unix(), 10), nil
}

// errTokenExpired: an access token past its expiry.
var errTokenExpired = errors.New("oidc: access token expired")

// parseAccessTokenID is the inverse of newAccessTokenID; it refuses an
// expired token.
func parseAccessTokenID(id string, now time.Time) (clientID string, scopes []string, err error) {
	parts := strings.Split(id, ".")
	if len(parts) != 4 || parts[1] == "" {
		return "", nil, errors.New("oidc: not an access token of ours")
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return "", nil, errTokenExpired
	}
	return parts[1], strings.Split(parts[2], "+"), nil
}

// refreshRequest is a presented, valid refresh token (op.RefreshTokenRequest).
type refreshRequest struct {
	t       *store.OIDCRefreshToken
	scopes  []string
	checked *member // as checked when the token was presented
}

var _ op.RefreshTokenRequest = (*refreshRequest)(nil)

func (r *refreshRequest) GetAMR() []string             { return r.t.AMR }
func (r *refreshRequest) GetAudience() []string        { return []string{r.t.ClientID} }
func (r *refreshRequest) GetAuthTime() time.Time       { return r.t.AuthTime }
func (r *refreshRequest) GetClientID() string          { return r.t.ClientID }
func (r *refreshRequest) GetScopes() []string          { return r.scopes }
func (r *refreshRequest) GetSubject() string           { return r.t.UserID }
func (r *refreshRequest) SetCurrentScopes(sc []string) { r.scopes = sc }

// errRefreshReused: a rotated-out refresh token came back; its family is revoked.
var errRefreshReused = errors.New("oidc: refresh token reused; its family is revoked")

// TokenRequestByRefreshToken checks a presented refresh token. A token
// that was rotated out already is reuse (a stolen copy, or a replay): the
// whole family is revoked. The member must still be allowed to use the
// application.
func (s *storage) TokenRequestByRefreshToken(ctx context.Context, token string) (op.RefreshTokenRequest, error) {
	if token == "" || len(token) > 256 {
		return nil, op.ErrInvalidRefreshToken
	}
	t, err := s.st().GetOIDCRefreshToken(ctx, s.ws.ID, workspace.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, op.ErrInvalidRefreshToken
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	switch {
	case t.Revoked || !t.ExpiresAt.After(now):
		return nil, op.ErrInvalidRefreshToken
	case !t.UsedAt.IsZero():
		s.revokeFamily(ctx, t, "reuse")
		return nil, errRefreshReused
	}
	c, err := s.loadClient(ctx, t.ClientID)
	if err != nil {
		return nil, err
	}
	mb, err := allowedMember(ctx, s.st(), c.c, t.UserID)
	if err != nil {
		return nil, err
	}
	return &refreshRequest{t: t, scopes: t.Scopes, checked: mb}, nil
}

// revokeFamily revokes every token of t's family (logged; a failure is
// logged too, and the request fails anyway).
func (s *storage) revokeFamily(ctx context.Context, t *store.OIDCRefreshToken, why string) {
	_, err := s.st().RevokeOIDCRefreshTokens(ctx, store.OIDCTokenFilter{WorkspaceID: s.ws.ID, FamilyID: t.FamilyID})
	s.p.opts.Log.Warn("oidc: refresh token family revoked", "workspace", s.ws.Slug, "client_id", t.ClientID,
		"user_id", t.UserID, "family", t.FamilyID, "reason", why, "err", err)
}

// CreateAccessAndRefreshTokens issues a refresh token: a new family for a
// code exchange, or the rotation of the presented token (marked used in
// the same transaction, so that a concurrent second use fails and counts
// as reuse).
func (s *storage) CreateAccessAndRefreshTokens(ctx context.Context, r op.TokenRequest, current string) (string, string, time.Time, error) {
	accessID, exp, err := s.accessToken(ctx, r)
	if err != nil {
		return "", "", time.Time{}, err
	}
	token, err := newSecret()
	if err != nil {
		return "", "", time.Time{}, err
	}
	now := s.now()
	t := &store.OIDCRefreshToken{TokenHash: workspace.HashToken(token), WorkspaceID: s.ws.ID, UserID: r.GetSubject(),
		Scopes: r.GetScopes(), CreatedAt: now, ExpiresAt: now.Add(s.p.opts.RefreshTTL)}
	switch req := r.(type) {
	case *authRequest:
		t.ClientID, t.AuthTime, t.AMR = req.ClientID, req.AuthTime, req.AMR
		t.SessionID, t.ConfigID, t.NameID, t.SessionIndex = req.SessionID, req.ConfigID, req.NameID, req.SessionIndex
		if err = s.st().CreateOIDCRefreshToken(ctx, t); err == nil {
			if err = s.sessionAlive(ctx, req); err != nil {
				s.revokeFamily(ctx, t, "session ended before the code exchange")
			}
		}
	case *refreshRequest:
		old := req.t
		t.FamilyID, t.ClientID, t.AuthTime, t.AMR, t.ExpiresAt = old.FamilyID, old.ClientID, old.AuthTime, old.AMR, old.ExpiresAt
		t.SessionID, t.ConfigID, t.NameID, t.SessionIndex = old.SessionID, old.ConfigID, old.NameID, old.SessionIndex
		t.Scopes = old.Scopes // a narrower refresh request narrows this response only
		err = s.st().InTx(ctx, func(q store.Queries) error {
			if err := q.MarkOIDCRefreshTokenUsed(ctx, old.TokenHash, now); err != nil {
				return err
			}
			return q.CreateOIDCRefreshToken(ctx, t)
		})
		if errors.Is(err, store.ErrNotFound) {
			s.revokeFamily(ctx, old, "concurrent reuse")
			return "", "", time.Time{}, oidc.ErrInvalidGrant().WithParent(errRefreshReused)
		}
	default:
		return "", "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	if err != nil {
		return "", "", time.Time{}, err
	}
	return accessID, token, exp, nil
}

// GetRefreshTokenInfo identifies a refresh token of clientID for
// revocation; the "token ID" is its family, since revoking one token of
// a family revokes them all.
func (s *storage) GetRefreshTokenInfo(ctx context.Context, clientID, token string) (string, string, error) {
	if token == "" || len(token) > 256 {
		return "", "", op.ErrInvalidRefreshToken
	}
	t, err := s.st().GetOIDCRefreshToken(ctx, s.ws.ID, workspace.HashToken(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.ClientID != clientID) {
		return "", "", op.ErrInvalidRefreshToken
	}
	if err != nil {
		return "", "", err
	}
	return t.UserID, "family:" + t.FamilyID, nil
}

// RevokeToken revokes a refresh token family of the calling client. An
// access token (the op package's opaque encrypted token) cannot be revoked: it expires within the access
// token lifetime; revoking it answers success as RFC 7009 allows.
func (s *storage) RevokeToken(ctx context.Context, tokenOrID, _, clientID string) *oidc.Error {
	family, ok := strings.CutPrefix(tokenOrID, "family:")
	if !ok {
		return nil
	}
	if _, err := s.st().RevokeOIDCRefreshTokens(ctx, store.OIDCTokenFilter{WorkspaceID: s.ws.ID, ClientID: clientID, FamilyID: family}); err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	return nil
}

// TerminateSession is not used: TerminateSessionFromRequest replaces it.
func (s *storage) TerminateSession(context.Context, string, string) error { return nil }
