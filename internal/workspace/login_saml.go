package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxLoginAttempts bounds the retries of a login transaction that lost a
// uniqueness race (two first logins of the same new user at once). Each
// retry gets further (user, then membership, then link exist), so four
// attempts suffice in the worst case; eight leave a margin.
const maxLoginAttempts = 8

// CompleteSAMLLogin turns a validated assertion into a session, in one
// store transaction: consume the request (when solicited), record the
// assertion ID against replay, find or provision the user (docs/access-rules.md), link the
// NameID, keep the attributes, sync groups, open the session and
// audit. After the commit the IdP group values are noted as seen (best
// effort, throttled: recordSeenGroups). On any error nothing of it is written; a login.failure audit event
// is appended afterwards, and the error is returned (an *AccessError for
// refusals).
func (s *Service) CompleteSAMLLogin(ctx context.Context, in SAMLLogin) (*LoginResult, error) {
	res, err := s.completeSAMLLogin(ctx, in)
	if err != nil {
		s.recordLoginFailure(ctx, in, err)
		return nil, err
	}
	// Seen values help the admin write mappings, also before sync is on;
	// they are not part of the login (see SeenGroupsInterval).
	s.recordSeenGroups(ctx, in)
	return res, nil
}

// completeSAMLLogin validates the input and runs the transaction, retrying
// it when a concurrent login created the same user, membership or link
// first. Replay and request consumption are never retried: they surface as
// AccessErrors, not conflicts.
func (s *Service) completeSAMLLogin(ctx context.Context, in SAMLLogin) (*LoginResult, error) {
	email, err := checkSAMLInput(in)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		var res *LoginResult
		err = s.inTx(ctx, func(q store.Queries) error {
			var err error
			res, err = s.samlLoginTx(ctx, q, in, email)
			return err
		})
		if err == nil || !errors.Is(err, store.ErrConflict) || attempt == maxLoginAttempts {
			return res, err
		}
		s.log().Debug("workspace: login lost a uniqueness race; retrying", "attempt", attempt, "trace_id", in.TraceID)
	}
}

// checkSAMLInput checks what the web layer hands over and returns the
// normalized email.
func checkSAMLInput(in SAMLLogin) (string, error) {
	switch {
	case in.Workspace == nil || in.Config == nil:
		return "", errors.New("workspace: SAML login without workspace or config")
	case in.Config.WorkspaceID != in.Workspace.ID:
		return "", errors.New("workspace: SAML config does not belong to the workspace")
	case !in.Config.Enabled:
		// The web layer checks this first; refusing here too keeps a
		// disabled config from signing anyone in whatever the caller does.
		return "", errors.New("workspace: SAML config is disabled")
	case in.AssertionID == "":
		return "", errors.New("workspace: SAML login without an assertion ID")
	case strings.TrimSpace(in.Identity.NameID) == "":
		return "", accessError(CodeNameIDMissing, MsgNameIDMissing)
	}
	if strings.TrimSpace(in.Identity.Email) == "" {
		return "", emailMissing(attributeNames(in.Identity.Attributes))
	}
	email, err := NormalizeEmail(in.Identity.Email)
	if err != nil {
		return "", accessError(CodeEmailMissing, fmt.Sprintf("The identity provider sent %q as the email address, which is not an email address.", in.Identity.Email))
	}
	return email, nil
}

// samlLoginTx is one attempt of the login transaction.
func (s *Service) samlLoginTx(ctx context.Context, q store.Queries, in SAMLLogin, email string) (*LoginResult, error) {
	redirectTo, err := s.consumeOnce(ctx, q, in)
	if err != nil {
		return nil, err
	}
	nameID := strings.TrimSpace(in.Identity.NameID)
	u, linked, err := s.findSSOUser(ctx, q, in.Config.ID, nameID, email)
	if err != nil {
		return nil, err
	}
	m, action, err := s.admit(ctx, q, in.Workspace, u, email, true)
	if err != nil {
		return nil, err
	}
	if u == nil {
		if u, err = s.createSSOUser(ctx, q, email, in.Identity.Name); err != nil {
			return nil, err
		}
	}
	if m, err = s.applyAction(ctx, q, in.Workspace.ID, u.ID, m, action); err != nil {
		return nil, err
	}
	if !linked {
		if err := q.CreateSSOLink(ctx, in.Config.ID, nameID, u.ID, s.now()); err != nil {
			return nil, err
		}
	}
	return s.finishSAMLLogin(ctx, q, in, u, m, action, redirectTo)
}

// finishSAMLLogin keeps the attributes, syncs groups, opens the session
// and audits the success.
func (s *Service) finishSAMLLogin(ctx context.Context, q store.Queries, in SAMLLogin, u *store.User, m *store.Membership, action, redirectTo string) (*LoginResult, error) {
	info, err := json.Marshal(attributesOrEmpty(in.Identity.Attributes))
	if err != nil {
		return nil, err
	}
	m.SSOUserInfo = info
	sync, err := s.syncOnLogin(ctx, q, in, u, m)
	if err != nil {
		return nil, err
	}
	m.UpdatedAt = s.now()
	if err := q.UpdateMembership(ctx, m); err != nil {
		return nil, err
	}
	token, sess, err := s.openSession(ctx, q, u.ID, in.Workspace.ID, &in)
	if err != nil {
		return nil, err
	}
	err = s.audit(ctx, q, store.AuditEvent{WorkspaceID: in.Workspace.ID, UserID: u.ID, Kind: KindLoginSuccess, TraceID: in.TraceID,
		Message: "signed in with SAML (" + action + ")"},
		map[string]any{"method": "saml", "config_id": in.Config.ID, "email": u.Email, "action": action,
			"name_id": in.Identity.NameID, "role": m.Role})
	if err != nil {
		return nil, err
	}
	return &LoginResult{User: *u, Membership: *m, SessionToken: token, Session: *sess,
		RedirectTo: redirectTo, Sync: sync}, nil
}

// consumeOnce consumes the outstanding request (solicited responses) and
// records the assertion ID, so that a response is usable exactly once
// (docs/saml.md, validation rules 4 and 6). It returns the saved redirect target.
func (s *Service) consumeOnce(ctx context.Context, q store.Queries, in SAMLLogin) (string, error) {
	redirectTo := ""
	if in.RequestID != "" {
		req, err := q.ConsumeRequest(ctx, in.Config.ID, in.RequestID, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return "", accessError(CodeRequestUnknown, MsgRequestUnknown)
		}
		if err != nil {
			return "", err
		}
		redirectTo = req.RedirectTo
	}
	err := q.MarkAssertionUsed(ctx, in.AssertionID, in.AssertionExpiresAt)
	// A conflict here is a replay too (never retried as a race).
	if errors.Is(err, store.ErrReplay) || errors.Is(err, store.ErrConflict) {
		return "", accessError(CodeAssertionReplayed, MsgAssertionReplayed)
	}
	return redirectTo, err
}

// findSSOUser finds the user by the (config, NameID) link first, then by
// email (docs/access-rules.md, "Provisioning and access rules"). linked reports whether the link exists. u is nil when
// neither finds anyone.
func (s *Service) findSSOUser(ctx context.Context, q store.Queries, configID, nameID, email string) (u *store.User, linked bool, err error) {
	id, err := q.GetSSOLink(ctx, configID, nameID)
	switch {
	case err == nil:
		u, err = q.GetUser(ctx, id)
		return u, err == nil, err
	case !errors.Is(err, store.ErrNotFound):
		return nil, false, err
	}
	u, err = q.GetUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	return u, false, err
}

// createSSOUser provisions a new instance user (no password) at first login.
func (s *Service) createSSOUser(ctx context.Context, q store.Queries, email, name string) (*store.User, error) {
	now := s.now()
	u := &store.User{ID: newID(), Email: email, Name: displayName(name, email), CreatedAt: now, UpdatedAt: now}
	if err := q.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// attributeNames lists the attribute names that arrived, sorted, for the
// email_missing message (docs/saml.md, "Attributes").
func attributeNames(attrs map[string][]string) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// attributesOrEmpty stores {} rather than null when nothing arrived.
func attributesOrEmpty(a map[string][]string) map[string][]string {
	if a == nil {
		return map[string][]string{}
	}
	return a
}

// recordLoginFailure appends the login.failure event after the
// transaction rolled back, so that refusals are audited while nothing else
// of the attempt persists.
func (s *Service) recordLoginFailure(ctx context.Context, in SAMLLogin, loginErr error) {
	if in.Workspace == nil {
		return
	}
	reason, message := failureReason(loginErr)
	configID := ""
	if in.Config != nil {
		configID = in.Config.ID
	}
	e := store.AuditEvent{WorkspaceID: in.Workspace.ID, Kind: KindLoginFailure, TraceID: in.TraceID, Reason: reason, Message: message}
	d := map[string]any{"method": "saml", "config_id": configID, "email": in.Identity.Email,
		"name_id": in.Identity.NameID, "attribute_names": attributeNames(in.Identity.Attributes)}
	if err := s.audit(ctx, s.Store, e, d); err != nil {
		s.log().Error("workspace: audit of failed login failed", "trace_id", in.TraceID, "err", err)
	}
}

// failureReason is the audit reason and message of a failed login.
func failureReason(err error) (string, string) {
	var ae *AccessError
	if errors.As(err, &ae) {
		return ae.Code, ae.Message
	}
	return "internal_error", err.Error()
}

// RecordSAMLFailure appends a login.failure event for a response the web
// layer rejected before the service saw it (a failed validation rule of docs/saml.md):
// reason is the saml reason code, message its operator text,
// redactedResponse the response with signature and attribute values
// removed (kept for the retention period).
func (s *Service) RecordSAMLFailure(ctx context.Context, ws *store.Workspace, cfg *store.SAMLConfig, reason, message, redactedResponse, traceID string) error {
	if ws == nil {
		return errors.New("workspace: RecordSAMLFailure without a workspace")
	}
	d := map[string]any{"method": "saml"}
	if cfg != nil {
		d["config_id"] = cfg.ID
	}
	return s.audit(ctx, s.Store, store.AuditEvent{WorkspaceID: ws.ID, Kind: KindLoginFailure, TraceID: traceID,
		Reason: reason, Message: message, RedactedResponse: redactedResponse}, d)
}
