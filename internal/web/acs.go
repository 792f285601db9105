package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Web-layer reason codes: failures the ACS detects around validation. They
// appear in the audit log and metrics next to the validator's codes (and
// belong in docs/reason-codes.md with them).
const (
	reasonRequestNotBound   = "request_not_bound"        // InResponseTo's binding cookie is missing or wrong (login CSRF)
	reasonMetadataInvalid   = saml.ReasonMetadataInvalid // the stored metadata no longer parses
	reasonUnsolicitedBounce = "unsolicited_bounced"      // not a failure: bounce mode restarted the sign-in
)

// requestChecker is the read-only InResponseTo check for one config; the
// request is consumed later, atomically, by CompleteSAMLLogin.
type requestChecker struct {
	ctx      context.Context
	store    store.Store
	configID string
	now      time.Time
	// storeErr is a lookup failure other than "no such request" (the
	// validator reports any error as in_response_to_unknown).
	storeErr error
}

// CheckRequest implements saml.RequestChecker.
func (c *requestChecker) CheckRequest(id string) error {
	_, err := c.store.GetRequest(c.ctx, c.configID, id, c.now)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		c.storeErr = err
	}
	return err
}

// acsBodyLimit bounds the form body: base64 inflates by 4/3 and form
// encoding of '+', '/' and '=' by up to 3 more, plus RelayState.
func (s *Server) acsBodyLimit() int64 {
	return int64(s.maxResponseBytes())*4 + 64<<10
}

func (s *Server) maxResponseBytes() int {
	if s.opts.MaxResponseBytes > 0 {
		return s.opts.MaxResponseBytes
	}
	return saml.DefaultMaxResponseSize
}

// handleACS is the Assertion Consumer Service (docs/endpoints.md, docs/saml.md): it validates
// the response here and now, then provisions, syncs and opens the session
// in one transaction (workspace.Service.CompleteSAMLLogin).
func (s *Server) handleACS(w http.ResponseWriter, r *http.Request) {
	start := time.Now() // latency metric only
	defer func() { s.metrics.acs.Observe(time.Since(start).Seconds()) }()
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, s.acsBodyLimit())
	if err := r.ParseForm(); err != nil {
		s.log.Warn("acs: unreadable form", "trace_id", traceID(r), "err", err)
		s.metrics.login("saml", "failure", string(saml.ReasonResponseTooLarge))
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	cfg, ws := s.acsConfig(w, r)
	if cfg == nil {
		return
	}
	formValue := r.PostForm.Get("SAMLResponse")
	raw, err := saml.DecodeResponse(formValue, s.maxResponseBytes())
	if err != nil {
		s.acsFailure(w, r, ws, cfg, nil, err)
		return
	}
	rt, err := s.runtime(cfg)
	if err != nil {
		s.acsFailure(w, r, ws, cfg, raw, &saml.Error{Reason: reasonMetadataInvalid, Message: err.Error()})
		return
	}
	now := s.now()
	requests := &requestChecker{ctx: r.Context(), store: s.store, configID: cfg.ID, now: now}
	exp := &saml.Expectations{
		SPEntityID: rt.sp.EntityID, ACSURL: rt.sp.ACSURL, ClockSkew: cfg.ClockSkew,
		MaxResponseSize:  s.maxResponseBytes(),
		AllowUnsolicited: cfg.IdPInitiated != store.IdPInitiatedReject,
		Requests:         requests,
	}
	a, err := validateWithRollover(rt, cfg, func(t *saml.TrustConfig) (*saml.Assertion, error) {
		return saml.ValidateResponse(raw, t, exp, now)
	})
	if err != nil && requests.storeErr != nil {
		// The request could not be looked up: an outage, not a bad response.
		s.metrics.login("saml", "failure", failureReason(requests.storeErr))
		s.serverError(w, r, requests.storeErr)
		return
	}
	if err != nil {
		s.sso.RefreshOnUnknownKey(cfg, err)
		s.acsFailure(w, r, ws, cfg, raw, err)
		return
	}
	if a.InResponseTo != "" && !checkBinding(r, a.InResponseTo) {
		s.acsFailure(w, r, ws, cfg, raw, &saml.Error{Reason: reasonRequestNotBound,
			Message: "the response answers a request this browser did not start (no matching request cookie)"})
		return
	}
	if a.InResponseTo == "" && cfg.IdPInitiated != store.IdPInitiatedAccept {
		s.bounce(w, r, cfg, r.PostForm.Get("RelayState"))
		return
	}
	s.completeSAML(w, r, ws, cfg, a)
}

// bounce answers a valid unsolicited response in bounce mode: nobody is
// signed in; a fresh SP-initiated sign-in starts instead (docs/saml.md, validation rule 5), which
// the IdP answers at once for a user who just clicked its tile.
func (s *Server) bounce(w http.ResponseWriter, r *http.Request, cfg *store.SAMLConfig, relayState string) {
	s.metrics.login("saml", "bounce", reasonUnsolicitedBounce)
	s.log.Info("acs: unsolicited response bounced to SP-initiated sign-in", "trace_id", traceID(r), "config", cfg.ID)
	http.Redirect(w, r, samlStartPath(cfg.ID, safeRedirect(relayState)), http.StatusSeeOther)
}

// completeSAML provisions and signs in the asserted user.
func (s *Server) completeSAML(w http.ResponseWriter, r *http.Request, ws *store.Workspace, cfg *store.SAMLConfig, a *saml.Assertion) {
	res, err := s.svc.CompleteSAMLLogin(r.Context(), workspace.SAMLLogin{
		Workspace: ws, Config: cfg, Identity: identityFrom(a, cfg),
		AssertionID: a.ID, AssertionExpiresAt: a.ReplayUntil,
		RequestID: a.InResponseTo, TraceID: traceID(r),
	})
	if err != nil {
		s.loginRefused(w, r, ws, err, identityFrom(a, cfg).Email)
		return
	}
	if a.InResponseTo != "" {
		clearBinding(w, a.InResponseTo)
	}
	s.metrics.login("saml", "success", "")
	s.endPreviousSession(r, ws.Slug)
	s.setSessionCookie(w, ws.Slug, res.SessionToken, res.Session.ExpiresAt)
	http.Redirect(w, r, landingOr(res.RedirectTo, ws.Slug), http.StatusSeeOther)
}

// identityFrom reads the identity out of a verified assertion (docs/saml.md, "Attributes").
func identityFrom(a *saml.Assertion, cfg *store.SAMLConfig) workspace.SSOIdentity {
	return workspace.SSOIdentity{
		NameID: a.NameID, NameIDFormat: a.NameIDFormat, SessionIndex: a.SessionIndex,
		Email: a.Email(), Name: a.Name(),
		Groups: a.Groups(cfg.GroupAttribute), GroupsOverage: a.GroupsOverage(cfg.GroupAttribute),
		Attributes: a.AttributeMap(),
	}
}

// securityRefusals are AccessError codes that mean "this response must not
// be used" rather than an access-rule decision about the user: they get the generic
// error page, not a message on the sign-in page.
var securityRefusals = map[string]bool{workspace.CodeRequestUnknown: true, workspace.CodeAssertionReplayed: true}

// loginRefused handles an error of CompleteSAMLLogin (which has already
// written the failure to the audit log): access refusals (docs/access-rules.md) go back to the
// sign-in page with their message; everything else is the generic page.
//
// email is the address the (verified) assertion carried: a refusal names
// it, so a user signed in to the wrong IdP account sees which one.
func (s *Server) loginRefused(w http.ResponseWriter, r *http.Request, ws *store.Workspace, err error, email string) {
	var ae *workspace.AccessError
	if !errors.As(err, &ae) {
		s.metrics.login("saml", "failure", failureReason(err))
		s.serverError(w, r, err)
		return
	}
	s.metrics.login("saml", "failure", ae.Code)
	s.log.Info("acs: sign-in refused", "trace_id", traceID(r), "workspace", ws.Slug, "code", ae.Code)
	if securityRefusals[ae.Code] || loginMessages[ae.Code] == "" {
		s.signInFailed(w, r, http.StatusForbidden, ws.Slug)
		return
	}
	if ae.Code == workspace.CodeEmailMissing {
		// docs/saml.md, "Attributes": the message lists the attribute names that did arrive,
		// which a redirect cannot carry without echoing a parameter; the
		// names come from the verified assertion, not from the request.
		s.renderLoginError(w, r, ws, ae.Message)
		return
	}
	if email != "" {
		// From the signed assertion, not the request (like the attribute
		// names above); the page escapes it.
		s.renderLoginError(w, r, ws, loginMessages[ae.Code]+" (The identity provider signed you in as "+email+".)")
		return
	}
	http.Redirect(w, r, loginPath(ws.Slug)+"?error="+ae.Code, http.StatusSeeOther)
}

// acsFailure records a rejected response (audit log with the redacted
// response, log line, metric) and shows the generic page with the trace ID.
func (s *Server) acsFailure(w http.ResponseWriter, r *http.Request, ws *store.Workspace, cfg *store.SAMLConfig, raw []byte, err error) {
	reason, message := "invalid_response", err.Error()
	var se *saml.Error
	if errors.As(err, &se) {
		// se.Message already quotes the IdP's status (se.IdPStatus), once.
		reason, message = string(se.Reason), se.Message
	}
	if len(message) > workspace.MaxAuditMessageBytes {
		// The message may quote the unauthenticated response: the log line
		// gets the same bound as the audit event.
		message = strings.ToValidUTF8(message[:workspace.MaxAuditMessageBytes], "") + " …(cut)"
	}
	s.metrics.login("saml", "failure", reason)
	s.log.Warn("acs: response rejected", "trace_id", traceID(r), "workspace", ws.Slug, "config", cfg.ID, "reason", reason, "message", message)
	s.auditSAMLFailure(r, ws, cfg, reason, message, raw)
	status := http.StatusForbidden
	switch saml.Reason(reason) {
	case saml.ReasonBadBase64, saml.ReasonResponseTooLarge, saml.ReasonMalformedXML:
		status = http.StatusBadRequest
	}
	s.signInFailed(w, r, status, ws.Slug)
}

// renderLoginError shows ws's sign-in page with message, in place.
func (s *Server) renderLoginError(w http.ResponseWriter, r *http.Request, ws *store.Workspace, message string) {
	lc, err := s.loginContextFor(r.Context(), ws)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := lc.view("")
	v.Error = message
	s.render(w, r, http.StatusForbidden, "login.html", v)
}
