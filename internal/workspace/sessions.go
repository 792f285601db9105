package workspace

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxTokenLen bounds what we hash for a lookup: real tokens are 43 (session)
// or 47 (API) characters; anything far longer is not ours.
const maxTokenLen = 256

// newToken returns 32 random bytes, base64url without padding.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("workspace: reading random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken is the SHA-256 under which a session or API token is stored.
// A fast hash is right here: tokens are 256-bit random, not guessable
// passwords.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// openSession creates a session for user in ws inside q's transaction and
// returns the cookie value. sso carries the SAML details for logout (nil
// for password login).
func (s *Service) openSession(ctx context.Context, q store.Queries, userID, workspaceID string, sso *SAMLLogin) (string, *store.Session, error) {
	token, err := newToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	sess := &store.Session{TokenHash: HashToken(token), ForwardHash: HashToken(ForwardToken(token)),
		UserID: userID, WorkspaceID: workspaceID, CreatedAt: now, ExpiresAt: now.Add(s.sessionTTL())}
	if sso != nil {
		sess.ConfigID = sso.Config.ID
		sess.NameID, sess.NameIDFormat, sess.SessionIndex = sso.Identity.NameID, sso.Identity.NameIDFormat, sso.Identity.SessionIndex
	}
	if err := q.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// errNoSession is returned for a missing, expired or revoked session.
var errNoSession = fmt.Errorf("workspace: no such session: %w", store.ErrNotFound)

// Authenticate resolves a session cookie value to the signed-in member.
// It fails (wrapping store.ErrNotFound) when the session does not exist or
// has expired, and also when the user has since been archived (instance or
// workspace) or the membership is no longer active, or when the sign-in it
// came from is no longer allowed (sessionStillAllowed): such changes take
// effect at the next request, not at the session's expiry.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, errNoSession
	}
	sess, err := s.Store.GetSession(ctx, HashToken(token), s.now())
	if err != nil {
		return nil, notFoundAs(err, errNoSession)
	}
	u, err := s.Store.GetUser(ctx, sess.UserID)
	if err != nil {
		return nil, notFoundAs(err, errNoSession)
	}
	ws, err := s.Store.GetWorkspace(ctx, sess.WorkspaceID)
	if err != nil {
		return nil, notFoundAs(err, errNoSession)
	}
	m, err := s.Store.GetMembership(ctx, sess.WorkspaceID, sess.UserID)
	if err != nil {
		return nil, notFoundAs(err, errNoSession)
	}
	if u.Archived || m.Status != store.StatusActive {
		return nil, errNoSession
	}
	if ok, err := s.sessionStillAllowed(ctx, sess, u); err != nil || !ok {
		return nil, firstError(err, errNoSession)
	}
	groups, err := s.Store.MemberGroups(ctx, ws.ID, u.ID)
	if err != nil {
		return nil, err
	}
	return &Principal{Session: *sess, User: *u, Membership: *m, Workspace: *ws, Groups: groups}, nil
}

// SignOut deletes the session behind token and returns it (its NameID and
// session index let the web layer send a SAML LogoutRequest). It fails,
// wrapping store.ErrNotFound, when there is no such session.
func (s *Service) SignOut(ctx context.Context, token string) (*store.Session, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, errNoSession
	}
	h := HashToken(token)
	sess, err := s.Store.GetSession(ctx, h, s.now())
	if err != nil {
		return nil, notFoundAs(err, errNoSession)
	}
	if err := s.Store.DeleteSession(ctx, h); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	s.signedOut(ctx, SignOutEvent{Session: sess})
	// The session is gone either way; a lost audit line must not undo that.
	if err := s.audit(ctx, s.Store, store.AuditEvent{WorkspaceID: sess.WorkspaceID, UserID: sess.UserID, ActorID: sess.UserID,
		Kind: KindLogout, Message: "signed out"}, nil); err != nil {
		s.log().Error("workspace: audit of sign-out failed", "err", err)
	}
	return sess, nil
}

// notFoundAs replaces a not-found error by repl and passes others through.
func notFoundAs(err, repl error) error {
	if errors.Is(err, store.ErrNotFound) {
		return repl
	}
	return err
}

// errNoToken is returned for an unknown API token.
var errNoToken = fmt.Errorf("workspace: unknown API token: %w", store.ErrNotFound)
