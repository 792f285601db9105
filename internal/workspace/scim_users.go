package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxSCIMAttempts bounds the retries of a provisioning transaction that
// lost a uniqueness race (the directory runs requests in parallel).
const maxSCIMAttempts = 4

// SCIMRequest names the provisioning request a change comes from, for
// the audit log ("PATCH", "/Users/<id>").
type SCIMRequest struct {
	Verb     string
	Resource string
	TraceID  string
}

// SCIMUserInput is a user resource as the protocol layer decoded it.
type SCIMUserInput struct {
	UserName   string
	ExternalID string
	// Email is the work (or primary) email, or the userName when that is
	// an email address; it finds or creates the instance account.
	Email       string
	DisplayName string // the new account's name; "" = the email's local part
	Active      bool
	// Resource is the JSON object the directory maintains, without id,
	// meta, schemas and active (those are ours).
	Resource []byte
}

// SCIMUserKey is the comparison form of a userName: unique per workspace,
// case-insensitive (RFC 7643 userName has caseExact false).
func SCIMUserKey(userName string) string { return strings.ToLower(strings.TrimSpace(userName)) }

// checkSCIMUser validates and normalizes a user input.
func checkSCIMUser(in *SCIMUserInput) error {
	in.UserName = strings.TrimSpace(in.UserName)
	if in.UserName == "" || len(in.UserName) > maxEmailLen*2 {
		return invalid("userName", "userName is required (at most %d bytes).", maxEmailLen*2)
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return invalid("emails", "The user needs an email address (a work or primary email, or an email-shaped userName); %q is not one.", in.Email)
	}
	in.Email = email
	if len(in.ExternalID) > 512 {
		return invalid("externalId", "externalId is longer than 512 bytes.")
	}
	return nil
}

// SCIMCreateUser provisions a member: the account is found by email (or
// created without a password), the membership is created with role
// end-user, and the directory's record is kept. A userName already
// provisioned in the workspace is an error wrapping store.ErrConflict (a
// retried create gives one member and a conflict). A member who joined
// before SCIM (SAML sign-up, an admin) is adopted, not duplicated.
func (s *Service) SCIMCreateUser(ctx context.Context, ws *store.Workspace, req SCIMRequest, in SCIMUserInput) (*store.SCIMUser, error) {
	if err := checkSCIMUser(&in); err != nil {
		return nil, err
	}
	var userID string
	var adopted *store.Membership
	err := s.retryConflicts(ctx, func(q store.Queries) error {
		var err error
		userID, adopted, err = s.scimCreateUserTx(ctx, q, ws, req, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	if adopted != nil {
		if err := s.scimApplyActive(ctx, ws.ID, adopted, in.Active); err != nil {
			return nil, err
		}
	}
	return s.Store.GetSCIMUser(ctx, ws.ID, userID)
}

// retryConflicts runs fn in a transaction, again when it lost a
// uniqueness race; a conflict that persists is returned.
func (s *Service) retryConflicts(ctx context.Context, fn func(q store.Queries) error) error {
	for attempt := 1; ; attempt++ {
		err := s.inTx(ctx, fn)
		if err == nil || !errors.Is(err, store.ErrConflict) || attempt == maxSCIMAttempts {
			return err
		}
	}
}

// scimCreateUserTx is one attempt of SCIMCreateUser. It returns the
// membership when an existing member was adopted (its status is then
// set by the caller, through the archive path).
func (s *Service) scimCreateUserTx(ctx context.Context, q store.Queries, ws *store.Workspace, req SCIMRequest, in SCIMUserInput) (string, *store.Membership, error) {
	u, err := q.GetUserByEmail(ctx, in.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		now := s.now()
		u = &store.User{ID: newID(), Email: in.Email, Name: displayName(in.DisplayName, in.Email), CreatedAt: now, UpdatedAt: now}
		if err := q.CreateUser(ctx, u); err != nil {
			return "", nil, err
		}
	case err != nil:
		return "", nil, err
	}
	m, err := q.GetMembership(ctx, ws.ID, u.ID)
	var adopted *store.Membership
	switch {
	case errors.Is(err, store.ErrNotFound):
		status := store.StatusActive
		if !in.Active {
			status = store.StatusArchived
		}
		now := s.now()
		m = &store.Membership{WorkspaceID: ws.ID, UserID: u.ID, Status: status, Role: RoleEndUser, CreatedAt: now, UpdatedAt: now}
		if err := q.CreateMembership(ctx, m); err != nil {
			return "", nil, err
		}
	case err != nil:
		return "", nil, err
	default:
		cur, err := q.GetSCIMUser(ctx, ws.ID, u.ID)
		if err != nil {
			return "", nil, err
		}
		if cur.Record != nil {
			return "", nil, fmt.Errorf("%s is already provisioned in this workspace (userName %q): %w", in.Email, cur.Record.UserName, store.ErrConflict)
		}
		if err := s.guardDeactivation(ctx, q, m, in.Active); err != nil {
			return "", nil, err
		}
		adopted = m
	}
	if err := s.saveSCIMRecord(ctx, q, ws.ID, u.ID, in); err != nil {
		return "", nil, err
	}
	verb := "provisioned"
	if adopted != nil {
		verb = "linked the existing member"
	}
	return u.ID, adopted, s.auditSCIM(ctx, q, ws.ID, u.ID, KindSCIMUser, req,
		fmt.Sprintf("%s %s (userName %q)", verb, u.Email, in.UserName),
		map[string]any{"email": u.Email, "user_name": in.UserName, "external_id": in.ExternalID, "active": in.Active, "role": m.Role})
}

// saveSCIMRecord writes the directory's record of a member; a userName
// taken by another member is a conflict naming it.
func (s *Service) saveSCIMRecord(ctx context.Context, q store.Queries, workspaceID, userID string, in SCIMUserInput) error {
	now := s.now()
	err := q.SaveSCIMUser(ctx, &store.SCIMUserRecord{WorkspaceID: workspaceID, UserID: userID, UserName: in.UserName,
		UserNameKey: SCIMUserKey(in.UserName), ExternalID: in.ExternalID, Email: in.Email, Resource: in.Resource,
		CreatedAt: now, UpdatedAt: now})
	return conflictf(err, "userName %q is already taken in this workspace", in.UserName)
}

// SCIMUpdateUser replaces a member's record with what change computes
// from the current one (PUT, PATCH). change runs inside the transaction,
// after the membership row is locked, so concurrent updates of one user
// apply one after the other. The instance account's email and name are
// never changed: the account is shared with other workspaces. A change
// of active runs afterwards through the same path as an admin's
// archiving (SetMemberStatus), with the identity provider as the actor.
func (s *Service) SCIMUpdateUser(ctx context.Context, ws *store.Workspace, req SCIMRequest, userID string, change func(cur *store.SCIMUser) (SCIMUserInput, error)) (*store.SCIMUser, error) {
	var m *store.Membership
	var active bool
	err := s.retryConflicts(ctx, func(q store.Queries) error {
		if _, err := q.LockMembership(ctx, ws.ID, userID); err != nil {
			return err
		}
		cur, err := q.GetSCIMUser(ctx, ws.ID, userID)
		if err != nil {
			return err
		}
		in, err := change(cur)
		if err != nil {
			return err
		}
		if err := checkSCIMUser(&in); err != nil {
			return err
		}
		if err := s.guardDeactivation(ctx, q, &cur.Membership, in.Active); err != nil {
			return err
		}
		if err := s.saveSCIMRecord(ctx, q, ws.ID, userID, in); err != nil {
			return err
		}
		m, active = &cur.Membership, in.Active
		return s.auditSCIM(ctx, q, ws.ID, userID, KindSCIMUser, req, "updated "+cur.User.Email,
			map[string]any{"email": cur.User.Email, "user_name": in.UserName, "external_id": in.ExternalID, "active": in.Active})
	})
	if err != nil {
		return nil, err
	}
	if err := s.scimApplyActive(ctx, ws.ID, m, active); err != nil {
		return nil, err
	}
	return s.Store.GetSCIMUser(ctx, ws.ID, userID)
}

// guardDeactivation refuses to deactivate the last active admin (the
// workspace would have no admin), before anything is written.
func (s *Service) guardDeactivation(ctx context.Context, q store.Queries, m *store.Membership, active bool) error {
	if active {
		return nil
	}
	last, err := s.isLastActiveAdmin(ctx, q, m)
	if err != nil || !last {
		return err
	}
	return invalid("active", "This is the last active admin of the workspace; make someone else admin first.")
}

// scimApplyActive archives or reactivates the membership through
// SetMemberStatus, the one archive path (which ends the member's sessions
// and tokens); actor "" is the identity provider. An invited member stays
// invited when the directory says active (the first sign-in activates).
func (s *Service) scimApplyActive(ctx context.Context, workspaceID string, m *store.Membership, active bool) error {
	switch {
	case !active && m.Status != store.StatusArchived:
		return s.SetMemberStatus(ctx, "", workspaceID, m.UserID, store.StatusArchived)
	case active && m.Status == store.StatusArchived:
		return s.SetMemberStatus(ctx, "", workspaceID, m.UserID, store.StatusActive)
	}
	return nil
}

// SCIMDeleteUser removes a member from this workspace only (membership,
// record, groups, sessions); the instance account and its other
// workspaces stay. The last active admin is never removed.
func (s *Service) SCIMDeleteUser(ctx context.Context, ws *store.Workspace, req SCIMRequest, userID string) error {
	err := s.inTx(ctx, func(q store.Queries) error {
		// Locked first, like every SCIM change of a member (lockMembers).
		if _, err := q.LockMembership(ctx, ws.ID, userID); err != nil {
			return err
		}
		cur, err := q.GetSCIMUser(ctx, ws.ID, userID)
		if err != nil {
			return err
		}
		if last, err := s.isLastActiveAdmin(ctx, q, &cur.Membership); err != nil || last {
			return firstError(err, invalid("id", "This is the last active admin of the workspace; make someone else admin first."))
		}
		ended, err := s.EndMemberAccess(ctx, q, ws.ID, userID)
		if err != nil {
			return err
		}
		if err := q.DeleteMembership(ctx, ws.ID, userID); err != nil {
			return err
		}
		return s.auditSCIM(ctx, q, ws.ID, userID, KindSCIMUser, req, "removed "+cur.User.Email+" from the workspace",
			ended.details(map[string]any{"email": cur.User.Email, "role": cur.Membership.Role, "status": cur.Membership.Status}))
	})
	if err == nil {
		// Applications' refresh tokens and back-channel logout (docs/oidc.md).
		s.signedOut(ctx, SignOutEvent{Member: &MemberRef{WorkspaceID: ws.ID, UserID: userID}})
	}
	return err
}

// auditSCIM writes a provisioning event: the actor is the identity
// provider (empty), the details name the request.
func (s *Service) auditSCIM(ctx context.Context, q store.Queries, workspaceID, userID, kind string, req SCIMRequest, msg string, d map[string]any) error {
	if d == nil {
		d = map[string]any{}
	}
	d["source"], d["verb"], d["resource"] = "scim", req.Verb, req.Resource
	return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: userID, Kind: kind, TraceID: req.TraceID,
		Message: "SCIM " + req.Verb + " " + req.Resource + " (identity provider): " + msg}, d)
}
