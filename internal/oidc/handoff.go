package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Outcome is what the login hand-off decided.
type Outcome int

const (
	// Answered: the response (a redirect to the application, with a code
	// or an OAuth error) has been written.
	Answered Outcome = iota
	// NeedsLogin: the browser must sign in to the workspace first.
	NeedsLogin
	// NeedsReauth: the browser must sign in again although it has a
	// session (prompt=login, or the session is older than max_age).
	NeedsReauth
)

// ErrUnknownRequest: the pending authorization does not exist or expired
// (the web layer shows its error page; there is nowhere safe to redirect).
var ErrUnknownRequest = errors.New("oidc: unknown or expired authorization request")

// ContinueLogin finishes the pending authorization id of ws for the
// browser's principal (nil when the browser is not signed in to ws).
// Rules (docs/oidc.md): no session and prompt=none -> login_required; a
// session older than max_age (prompt=login is max_age=0) and older than
// the request -> sign in again (login_required with prompt=none); a
// member outside the application's access rule -> access_denied.
// Otherwise the request is marked done with the session's user, sid,
// auth_time and amr, and the browser goes on to the provider's callback.
//
// bindings are the values of the browser-binding cookie the request
// arrived with (a browser may carry a planted one beside its own; any
// match will do): a pending authorization can only be finished by the
// browser that started it, so that a link to someone else's pending
// request signs nobody in.
func (p *Provider) ContinueLogin(w http.ResponseWriter, r *http.Request, ws *store.Workspace, id string, bindings []string, who *workspace.Principal) (Outcome, error) {
	o, err := p.forWorkspace(ws)
	if err != nil {
		return Answered, err
	}
	st := o.Storage().(*storage)
	ctx := r.Context()
	a, err := st.authRequest(ctx, id)
	if err != nil {
		var oe *oidc.Error
		if errors.As(err, &oe) {
			return Answered, ErrUnknownRequest
		}
		return Answered, err
	}
	if !boundTo(a, bindings) {
		// A link that was sent around (a fixation attempt, or a copied
		// URL) spends the request: nobody can finish it afterwards.
		p.opts.Log.Warn("oidc: pending authorization opened by another browser", "workspace", ws.Slug)
		if err := st.DeleteAuthRequest(ctx, a.ID); err != nil {
			return Answered, err
		}
		return Answered, ErrUnknownRequest
	}
	none := a.hasPrompt(oidc.PromptNone)
	if who == nil || who.Workspace.ID != ws.ID {
		if none {
			return Answered, st.refuse(w, r, a, oidc.ErrLoginRequired())
		}
		return NeedsLogin, nil
	}
	if stale(a, &who.Session, p.opts.Now()) {
		if none {
			return Answered, st.refuse(w, r, a, oidc.ErrLoginRequired())
		}
		return NeedsReauth, nil
	}
	c, err := st.loadClient(ctx, a.ClientID)
	if err != nil {
		return Answered, ErrUnknownRequest
	}
	if !Allows(c.c, who.Membership.Role, groupNames(who.Groups)) {
		p.opts.Log.Info("oidc: access denied by the application's access rule", "workspace", ws.Slug,
			"client_id", c.c.ID, "user_id", who.User.ID)
		p.audit(r, ws.ID, who.User.ID, c.c, KindAppDenied, "refused access to application "+c.c.Name+" (access rule)")
		return Answered, st.refuse(w, r, a, oidc.ErrAccessDenied().WithDescription("You are not allowed to use this application."))
	}
	done(a, who)
	data, err := json.Marshal(a)
	if err != nil {
		return Answered, err
	}
	if err := p.opts.Store.UpdateOIDCAuthRequestData(ctx, ws.ID, a.ID, data); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Answered, ErrUnknownRequest
		}
		return Answered, err
	}
	p.audit(r, ws.ID, who.User.ID, c.c, KindAppAuthorize, "signed in to application "+c.c.Name)
	// The code goes straight to this browser (the op package's callback
	// endpoint, which would hand it to anyone holding the request ID, is
	// not served).
	op.AuthResponse(a, o, w, r)
	return Answered, nil
}

// bindingKey carries the browser-binding cookie into CreateAuthRequest.
type bindingKey struct{}

// WithBrowserBinding returns ctx carrying the browser-binding cookie
// value of an authorization request (the web layer sets the cookie).
func WithBrowserBinding(ctx context.Context, value string) context.Context {
	return context.WithValue(ctx, bindingKey{}, value)
}

// ownerKey carries the requesting client's rate-limit key into
// CreateAuthRequest.
type ownerKey struct{}

// WithRequestOwner returns ctx carrying the rate-limit key of the client
// making an authorization request (its address or IPv6 prefix): at the
// workspace's cap the owner holding the most pending requests gives way.
func WithRequestOwner(ctx context.Context, owner string) context.Context {
	return context.WithValue(ctx, ownerKey{}, owner)
}

// Audit kinds of the sign-in hand-off (one event per authorization, none
// per token request).
const (
	KindAppAuthorize = "app.authorize"
	KindAppDenied    = "app.denied"
)

// audit records an authorization decision; a lost audit line is logged
// and does not undo the decision.
func (p *Provider) audit(r *http.Request, workspaceID, userID string, c *store.OIDCClient, kind, msg string) {
	d, _ := json.Marshal(map[string]string{"client_id": c.ID, "application": c.Name})
	if err := p.opts.Store.AppendAudit(r.Context(), &store.AuditEvent{WorkspaceID: workspaceID, UserID: userID, ActorID: userID,
		Kind: kind, Message: msg, Details: d, CreatedAt: p.opts.Now()}); err != nil {
		p.opts.Log.Error("oidc: audit failed", "err", err)
	}
}

// stale reports whether the session is too old for the request's max_age
// and was not created after the request (a fresh sign-in satisfies it).
func stale(a *authRequest, s *store.Session, now time.Time) bool {
	if a.MaxAge == nil {
		return false
	}
	old := now.Sub(s.CreatedAt) > time.Duration(*a.MaxAge)*time.Second
	return old && s.CreatedAt.Before(a.CreatedAt)
}

// done records the sign-in on the request.
func done(a *authRequest, who *workspace.Principal) {
	a.UserID, a.SessionID, a.AuthTime = who.User.ID, SessionID(&who.Session), who.Session.CreatedAt.UTC().Truncate(time.Second)
	a.SessionExpires, a.SessionHash = who.Session.ExpiresAt, who.Session.TokenHash
	a.ConfigID, a.NameID, a.SessionIndex = who.Session.ConfigID, who.Session.NameID, who.Session.SessionIndex
	a.AMR = []string{"pwd"}
	if who.Session.ConfigID != "" {
		a.AMR = []string{"ext"}
	}
	a.IsDone = true
}

// refuse answers the application with an OAuth error at its (validated)
// redirect URI and forgets the request.
func (s *storage) refuse(w http.ResponseWriter, r *http.Request, a *authRequest, e *oidc.Error) error {
	if err := s.DeleteAuthRequest(r.Context(), a.ID); err != nil {
		return err
	}
	op.AuthRequestError(w, r, a, e, s.op)
	return nil
}

// groupNames lists the names of groups.
func groupNames(gs []store.Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Name
	}
	return out
}

// browserSignOutKey carries the web layer's sign-out function into the
// end-session endpoint.
type browserSignOutKey struct{}

// WithBrowserSignOut returns ctx carrying fn, which ends the browser's
// session in the workspace when it belongs to userID. The web layer sets
// it on requests to the end-session endpoint.
func WithBrowserSignOut(ctx context.Context, fn func(userID string) error) context.Context {
	return context.WithValue(ctx, browserSignOutKey{}, fn)
}

// TerminateSessionFromRequest is RP-initiated logout: with a valid
// id_token_hint, the browser's session of that user in this workspace
// ends (which revokes the refresh tokens issued under it). Without a hint
// nothing ends: a cross-site link must not sign people out.
func (s *storage) TerminateSessionFromRequest(ctx context.Context, r *op.EndSessionRequest) (string, error) {
	if r.IDTokenHintClaims != nil && r.UserID != "" {
		if fn, ok := ctx.Value(browserSignOutKey{}).(func(string) error); ok {
			if err := fn(r.UserID); err != nil {
				return "", err
			}
		}
	}
	return r.RedirectURI, nil
}

// boundTo reports whether one of the browser's binding values is the one
// a was started with.
func boundTo(a *authRequest, bindings []string) bool {
	ok := false
	for _, b := range bindings {
		if b != "" && len(a.Binding) > 0 && subtle.ConstantTimeCompare(workspace.HashToken(b), a.Binding) == 1 {
			ok = true
		}
	}
	return ok
}
