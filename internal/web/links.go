package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/mail"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Mailer delivers email (internal/mail.Sender); nil in Options means no
// SMTP is configured and links are shown to the admin instead.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// linkRoutes registers the pages behind invitation and reset links and
// "Forgot password?". The token travels in the query (?t=), which the
// request log never records, and in a hidden field of the form.
func (s *Server) linkRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /invite", s.handleLinkPage(store.LinkInvite))
	mux.HandleFunc("POST /invite", s.handleInvitePost)
	mux.HandleFunc("GET /reset", s.handleLinkPage(store.LinkReset))
	mux.HandleFunc("POST /reset", s.handleResetPost)
	mux.HandleFunc("GET /login/{slug}/forgot", s.handleForgot)
	mux.HandleFunc("POST /login/{slug}/forgot", s.handleForgotPost)
}

// linkPage is the data of link.html.
type linkPage struct {
	Kind       string // store.LinkInvite or store.LinkReset
	Token      string
	Info       *workspace.LinkInfo
	SSOAction  string // start URL of the workspace's enabled SSO ("" when none)
	MinLength  int
	Error      string
	Invalid    bool
	LoginURL   string
	SSOName    string
	HasAccount bool // the invited account already has a password
}

// handleLinkPage shows an invitation or reset link's page: who, where,
// and the form to set a password (or the SSO button).
func (s *Server) handleLinkPage(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderLink(w, r, kind, r.URL.Query().Get("t"), http.StatusOK, "")
	}
}

// renderLink renders link.html for token (the generic "invalid" page when
// it is not usable).
func (s *Server) renderLink(w http.ResponseWriter, r *http.Request, kind, token string, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	page := &linkPage{Kind: kind, Token: token, MinLength: workspace.MinPasswordLen, Error: msg}
	info, err := s.svc.LinkDetails(r.Context(), kind, token)
	if err != nil {
		if !workspace.IsValidation(err) {
			s.serverError(w, r, err)
			return
		}
		page.Invalid, page.Token = true, ""
		s.render(w, r, http.StatusNotFound, "link.html", page)
		return
	}
	page.Info, page.LoginURL = info, loginPath(info.Workspace.Slug)
	page.HasAccount = info.User.PasswordHash != ""
	if lc, err := s.loginContextFor(r.Context(), &info.Workspace); err == nil && lc.sso != nil && kind == store.LinkInvite {
		page.SSOAction, page.SSOName = samlStartPath(lc.sso.ID, ""), ssoLabel(lc.sso)
	}
	s.render(w, r, status, "link.html", page)
}

// ssoLabel is the button label of a config.
func ssoLabel(c *store.SAMLConfig) string {
	if c.Name == "" {
		return "SAML"
	}
	return c.Name
}

// handleInvitePost accepts an invitation with a new password and signs
// the member in.
func (s *Server) handleInvitePost(w http.ResponseWriter, r *http.Request) {
	token, pw := r.PostFormValue("t"), r.PostFormValue("password")
	if pw != r.PostFormValue("password_again") {
		s.renderLink(w, r, store.LinkInvite, token, http.StatusUnprocessableEntity, "The two passwords differ.")
		return
	}
	res, err := s.svc.AcceptInvite(r.Context(), token, pw)
	if err != nil {
		s.linkFailed(w, r, store.LinkInvite, token, err)
		return
	}
	ws, err := s.store.GetWorkspace(r.Context(), res.Membership.WorkspaceID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.endPreviousSession(r, ws.Slug)
	s.setSessionCookie(w, ws.Slug, res.SessionToken, res.Session.ExpiresAt)
	http.Redirect(w, r, "/w/"+pathEscape(ws.Slug), http.StatusSeeOther)
}

// handleResetPost sets a new password from a reset link; every session of
// the account ends and the member signs in again.
func (s *Server) handleResetPost(w http.ResponseWriter, r *http.Request) {
	token, pw := r.PostFormValue("t"), r.PostFormValue("password")
	if pw != r.PostFormValue("password_again") {
		s.renderLink(w, r, store.LinkReset, token, http.StatusUnprocessableEntity, "The two passwords differ.")
		return
	}
	_, ws, err := s.svc.ResetPassword(r.Context(), token, pw)
	if err != nil {
		s.linkFailed(w, r, store.LinkReset, token, err)
		return
	}
	s.clearSessionCookie(w, ws.Slug)
	http.Redirect(w, r, loginPath(ws.Slug)+"?notice=password_reset", http.StatusSeeOther)
}

// linkFailed shows the link page again with the refusal.
func (s *Server) linkFailed(w http.ResponseWriter, r *http.Request, kind, token string, err error) {
	var ae *workspace.AccessError
	switch {
	case errors.As(err, &ae):
		s.renderLink(w, r, kind, token, http.StatusForbidden, accessMessage(ae))
	case workspace.IsValidation(err):
		s.renderLink(w, r, kind, token, http.StatusUnprocessableEntity, errorMessage(err))
	default:
		s.serverError(w, r, err)
	}
}

// forgotPage is the data of forgot.html.
type forgotPage struct {
	WorkspaceName, Slug string
	MailOn              bool // SMTP configured: the form can send a link
	Sent                bool
	Error               string
}

// handleForgot shows "Forgot password?" (only while password sign-in is on).
func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) {
	lc, err := s.loadLogin(w, r)
	if err != nil || lc == nil {
		if err != nil {
			s.serverError(w, r, err)
		}
		return
	}
	if !lc.settings.PasswordLogin {
		http.Redirect(w, r, loginPath(lc.ws.Slug), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "forgot.html", &forgotPage{WorkspaceName: lc.ws.Name, Slug: lc.ws.Slug,
		MailOn: s.opts.Mailer != nil, Sent: r.URL.Query().Get("sent") == "1"})
}

// handleForgotPost mails a reset link when the address is an active
// member; the answer is the same either way and comes at once (the mail
// goes through the background queue, mail_queue.go), so neither the page
// nor its timing tells members from strangers. The same rate limits as
// sign-in apply, each request replaces the member's previous link (the
// form cannot grow the database), and while a recent link exists nothing
// is made or mailed (workspace.ResetThrottle).
func (s *Server) handleForgotPost(w http.ResponseWriter, r *http.Request) {
	lc, err := s.loadLogin(w, r)
	if err != nil || lc == nil {
		if err != nil {
			s.serverError(w, r, err)
		}
		return
	}
	page := &forgotPage{WorkspaceName: lc.ws.Name, Slug: lc.ws.Slug, MailOn: s.opts.Mailer != nil}
	email := strings.TrimSpace(r.PostFormValue("email"))
	if !lc.settings.PasswordLogin || s.opts.Mailer == nil {
		http.Redirect(w, r, "/login/"+pathEscape(lc.ws.Slug)+"/forgot", http.StatusSeeOther)
		return
	}
	if ok, _ := s.limiter.take(s.now(), s.limiter.loginKeys(s.limitAddress(r), "reset:"+strings.ToLower(email))...); len(email) > 320 || !ok {
		page.Error = "Too many requests; wait a minute and try again."
		s.render(w, r, http.StatusTooManyRequests, "forgot.html", page)
		return
	}
	link, err := s.svc.RequestReset(r.Context(), lc.ws.ID, email)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if link != nil {
		ws, trace := *lc.ws, traceID(r)
		queued := s.mail.enqueue(mailJob{workspace: ws.ID, send: func(ctx context.Context) error {
			if err := s.mailLink(ctx, &ws, link); err != nil {
				return fmt.Errorf("reset link (trace ID %s): %w", trace, err)
			}
			return nil
		}})
		if !queued {
			s.log.Warn("reset link not mailed: the mail queue is full", "trace_id", trace, "workspace", ws.Slug)
		}
	}
	http.Redirect(w, r, "/login/"+pathEscape(lc.ws.Slug)+"/forgot?sent=1", http.StatusSeeOther)
}

// linkURL is the absolute URL of a link.
func (s *Server) linkURL(l *workspace.Link) string {
	path := "/invite?t="
	if l.Kind == store.LinkReset {
		path = "/reset?t="
	}
	return s.opts.PublicURL + path + l.Token
}

// mailLink sends an invitation or reset link to its member.
func (s *Server) mailLink(ctx context.Context, ws *store.Workspace, l *workspace.Link) error {
	m := mail.Message{To: l.Email}
	valid := l.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
	if l.Kind == store.LinkInvite {
		m.Subject = "You are invited to " + ws.Name + " on Gatehouse"
		m.Body = "You have been invited to the workspace " + ws.Name + ".\n\nOpen this link to accept (valid until " + valid +
			", usable once):\n\n" + s.linkURL(l) + "\n\nIf you did not expect this invitation, ignore this email.\n"
	} else {
		m.Subject = "Reset your " + ws.Name + " password"
		m.Body = "Someone asked to reset the password of " + l.Email + " for " + ws.Name + ".\n\nOpen this link to choose a new password (valid until " + valid +
			", usable once):\n\n" + s.linkURL(l) + "\n\nIf it was not you, ignore this email: your password stays as it is.\n"
	}
	return s.opts.Mailer.Send(ctx, m)
}
