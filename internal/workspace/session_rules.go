package workspace

import (
	"context"
	"errors"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// sessionStillAllowed re-checks, at every request, the login rules that an
// admin can change after a session was opened (docs/access-rules.md,
// "Sessions follow the login rules"):
//   - the email's domain must still be in the workspace's allowed domains;
//   - a session opened through SAML needs that config to still exist and
//     be enabled (disabling SSO signs its users out).
//
// Checking here rather than deleting sessions when settings change means
// no change can miss a session (any replica, any path that edits the
// settings, the CLI), at the cost of two indexed reads per request.
// Password sessions survive "password login off" on purpose: that switch
// is how admins move a workspace to SSO, and it must not sign out the
// admin making the move before SSO has been tried.
func (s *Service) sessionStillAllowed(ctx context.Context, sess *store.Session, u *store.User) (bool, error) {
	ls, err := s.Store.GetLoginSettings(ctx, sess.WorkspaceID)
	if err != nil {
		return false, err
	}
	if !DomainAllowed(u.Email, ls.AllowedDomains) {
		return false, nil
	}
	if sess.ConfigID == "" {
		return true, nil
	}
	cfg, err := s.Store.GetSAMLConfig(ctx, sess.ConfigID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return cfg.Enabled && cfg.WorkspaceID == sess.WorkspaceID, nil
}

// checkDomainsKeepActor refuses allowed domains that exclude the admin
// saving them: since sessions follow the domains, the save would sign
// them out at once and leave them unable to sign back in. The operator
// (actor "") is not checked.
func (s *Service) checkDomainsKeepActor(ctx context.Context, q store.Queries, actorID string, domains []string) error {
	if actorID == "" {
		return nil
	}
	u, err := q.GetUser(ctx, actorID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !DomainAllowed(u.Email, domains) {
		return invalid("allowed_domains", "Allowed domains: your own address %s is not in the list; saving it would sign you out. Add its domain too.", u.Email)
	}
	return nil
}
