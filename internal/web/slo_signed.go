package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxSignedLogoutAge bounds how old a signed LogoutRequest may be: a
// captured one replayed later would otherwise sign the user out again.
const maxSignedLogoutAge = 10 * time.Minute

// readIdPLogoutRequest decodes and parses an IdP-initiated LogoutRequest
// and reports whether it carried a signature that the config's metadata
// verifies. A message without any signature is returned unsigned (the
// caller only trusts it for the browser's own session); a signature that
// is present but does not verify is an error, never a fallback.
func (s *Server) readIdPLogoutRequest(r *http.Request, cfg *store.SAMLConfig, rt *samlRuntime, v string) (*saml.LogoutRequest, bool, error) {
	raw, err := decodeBinding(r, v)
	if err != nil {
		return nil, false, err
	}
	trust := rt.trust(cfg)
	var lr *saml.LogoutRequest
	signed := false
	switch {
	case r.Method == http.MethodGet && redirectSigned(r):
		if err = oneRedirectRequest(r); err == nil {
			err = saml.VerifyRedirectSignature(r.URL.RawQuery, trust)
		}
		if err == nil {
			lr, err = saml.ParseLogoutRequest(raw)
		}
		signed = true
	case r.Method != http.MethodGet:
		lr, err = saml.ParseSignedLogoutRequest(raw, trust)
		signed = err == nil
		if isReason(err, saml.ReasonSignatureMissing) {
			lr, err = saml.ParseLogoutRequest(raw)
		}
	default:
		lr, err = saml.ParseLogoutRequest(raw)
	}
	if err == nil {
		err = s.checkLogoutRequest(lr, rt, signed)
	}
	return lr, signed, err
}

// redirectSigned reports whether an HTTP-Redirect message claims a query
// signature; such a claim must then verify.
func redirectSigned(r *http.Request) bool {
	q := r.URL.Query()
	return q.Has("Signature") || q.Has("SigAlg")
}

// oneRedirectRequest makes sure that the SAMLRequest the handler reads
// (decoded parameter names, first value) is the one VerifyRedirectSignature
// checks (raw parameter names): exactly one SAMLRequest once names are
// decoded, and no SAMLResponse, which the signature check would verify
// instead. Otherwise an unsigned "SAML%52equest=" or a signed
// LogoutResponse could carry an unsigned LogoutRequest past the check.
func oneRedirectRequest(r *http.Request) error {
	q := r.URL.Query()
	if len(q["SAMLRequest"]) != 1 || q.Has("SAMLResponse") {
		return errors.New("signed HTTP-Redirect LogoutRequest: expected exactly one SAMLRequest and no SAMLResponse")
	}
	return nil
}

// isReason reports whether err is a *saml.Error with reason want.
func isReason(err error, want saml.Reason) bool {
	var se *saml.Error
	return errors.As(err, &se) && se.Reason == want
}

// checkLogoutRequest checks the issuer and, for a signed request (which
// may end sessions in other browsers), that it is addressed to this
// endpoint and fresh.
func (s *Server) checkLogoutRequest(lr *saml.LogoutRequest, rt *samlRuntime, signed bool) error {
	if lr.Issuer != rt.md.EntityID {
		return errors.New("LogoutRequest issuer is not the configured IdP")
	}
	if !signed {
		return nil
	}
	// A signed message names where it was sent (bindings §3.4.5.2,
	// §3.5.5.2): one addressed to another SP trusting the same IdP must
	// not end sessions here. As for a Response (docs/saml.md, validation rule 3), the check
	// applies when Destination is present.
	if lr.Destination != "" && lr.Destination != rt.sp.SLOURL {
		return fmt.Errorf("signed LogoutRequest Destination %q, want %q", lr.Destination, rt.sp.SLOURL)
	}
	now, skew := s.now(), saml.DefaultClockSkew
	if !lr.NotOnOrAfter.IsZero() && !now.Before(lr.NotOnOrAfter.Add(skew)) {
		return fmt.Errorf("signed LogoutRequest expired at %s", lr.NotOnOrAfter.Format(time.RFC3339))
	}
	if lr.IssueInstant.IsZero() || lr.IssueInstant.After(now.Add(skew)) || now.Sub(lr.IssueInstant) > maxSignedLogoutAge+skew {
		return fmt.Errorf("signed LogoutRequest issued at %s, want within %s of now", lr.IssueInstant.Format(time.RFC3339), maxSignedLogoutAge)
	}
	return nil
}

// endSignedLogoutSessions ends every session of the config opened for the
// request's NameID (and SessionIndex, when given), in every browser, with
// an audit event: the IdP proved with its signature that it asks for this.
func (s *Server) endSignedLogoutSessions(r *http.Request, cfg *store.SAMLConfig, lr *saml.LogoutRequest) error {
	n, err := s.svc.EndIdPSessions(r.Context(), cfg, lr.NameID, lr.SessionIndex, traceID(r))
	if err != nil {
		return err
	}
	s.log.Info("slo: signed LogoutRequest ended sessions", "trace_id", traceID(r), "config", cfg.ID, "sessions", n)
	return nil
}
