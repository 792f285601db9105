package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	registerConfirm("invite.revoke", []string{"action", "revoke"}, []string{"user_id"}, confirmInviteRevoke)
}

// inviteRoutes registers the members page's invitation and reset actions.
func (s *Server) inviteRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /settings/{slug}/invites", s.requireAdmin(s.handleInvitesPost))
	s.apiInviteRoutes(mux)
}

// handleInvitesPost invites (email, role), re-sends or revokes (after
// confirmation) an invitation, or makes a password reset link (user_id).
// A link is mailed when SMTP is configured; otherwise, or when sending
// fails, the next page shows it once for the admin to pass on (flash.go).
func (s *Server) handleInvitesPost(w http.ResponseWriter, r *http.Request) {
	ws, actor, ctx := requestWorkspace(r), requestPrincipal(r).User.ID, r.Context()
	userID := r.PostFormValue("user_id")
	var link *workspace.Link
	var err error
	var f flash
	switch r.PostFormValue("action") {
	case "invite":
		link, err = s.svc.Invite(ctx, actor, ws.ID, r.PostFormValue("email"), r.PostFormValue("role"))
	case "resend":
		link, err = s.svc.ResendInvite(ctx, actor, ws.ID, userID)
	case "revoke":
		if s.needsConfirmation(w, r, "invite.revoke") {
			return
		}
		err, f.Message = s.svc.RevokeInvite(ctx, actor, ws.ID, userID), "Invitation revoked."
	case "reset":
		link, err = s.svc.CreateResetLink(ctx, actor, ws.ID, userID, s.opts.Mailer != nil)
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		status, answered := s.formFailed(w, r, err)
		if answered {
			return
		}
		s.renderMembers(w, r, status, &membersPage{Error: errorMessage(err)})
		return
	}
	if link != nil {
		f = s.deliverLink(ctx, r, ws, link)
	}
	s.redirectFlash(w, r, membersURL(ws.Slug, r.PostFormValue("back")), f)
}

// deliverLink mails the link, or returns a flash that shows it. A reset
// link made for mail is never shown when mail fails: the service allowed
// it only because it would go to the member's own mailbox.
func (s *Server) deliverLink(ctx context.Context, r *http.Request, ws *store.Workspace, l *workspace.Link) flash {
	what := "Invitation"
	if l.Kind == store.LinkReset {
		what = "Password reset link"
	}
	valid := l.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
	if s.opts.Mailer == nil {
		return flash{Message: what + " for " + l.Email + " created. No SMTP server is configured (GATEHOUSE_SMTP_URL): copy the link below and send it to them yourself. It works once, until " + valid + ".",
			Secret: s.linkURL(l)}
	}
	if err := s.mailLink(ctx, ws, l); err != nil {
		s.log.Warn("link not mailed", "trace_id", traceID(r), "workspace", ws.Slug, "kind", l.Kind, "err", err)
		if l.Kind == store.LinkReset {
			return flash{Warning: "The password reset link for " + l.Email + " could not be sent (the server log has the reason, trace ID " + traceID(r) + "). Try again later."}
		}
		return flash{Warning: "The invitation email to " + l.Email + " could not be sent (trace ID " + traceID(r) + "); copy the link below and send it yourself. It works once, until " + valid + ".",
			Secret: s.linkURL(l)}
	}
	return flash{Message: what + " sent to " + l.Email + " (valid until " + valid + ")."}
}

func confirmInviteRevoke(s *Server, r *http.Request, ws *store.Workspace, f url.Values) (*confirmation, error) {
	u, m, err := confirmMember(s, r, ws, f)
	if err != nil {
		return nil, err
	}
	if m.Status != store.StatusInvited {
		return nil, store.ErrNotFound
	}
	return &confirmation{Tab: "members", Title: "Revoke the invitation of " + u.Email + "?", Button: "Revoke the invitation",
		Action: "/settings/" + pathEscape(ws.Slug) + "/invites", Cancel: "/settings/" + pathEscape(ws.Slug) + "/members",
		Consequences: []string{
			"The invitation link stops working at once.",
			u.Email + " is removed from the members of " + ws.Name + " (their account stays, for other workspaces and the audit log).",
		}}, nil
}
