package web

import (
	"net/http"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// apiInviteRoutes registers the invitation and reset-link endpoints of
// the JSON API (docs/api.md, "Invitations and reset links").
func (s *Server) apiInviteRoutes(mux *http.ServeMux) {
	const p = "/api/v1/workspaces/{slug}"
	mux.HandleFunc("POST "+p+"/invites", s.requireToken(s.apiInvite))
	mux.HandleFunc("POST "+p+"/invites/{userID}/resend", s.requireToken(s.apiResendInvite))
	mux.HandleFunc("DELETE "+p+"/invites/{userID}", s.requireToken(s.apiRevokeInvite))
	mux.HandleFunc("POST "+p+"/members/{userID}/reset-link", s.requireToken(s.apiResetLink))
}

// linkJSON answers a created link: mailed, or (no SMTP) the link itself.
type linkJSON struct {
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expiresAt"`
	Mailed    bool      `json:"mailed"`
	// Link is present when it was not mailed: pass it on to the member.
	Link string `json:"link,omitempty"`
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	link, err := s.svc.Invite(r.Context(), c.actorID(), c.Workspace.ID, in.Email, in.Role)
	s.apiLinkAnswer(w, r, c, link, err, http.StatusCreated)
}

func (s *Server) apiResendInvite(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	link, err := s.svc.ResendInvite(r.Context(), c.actorID(), c.Workspace.ID, r.PathValue("userID"))
	s.apiLinkAnswer(w, r, c, link, err, http.StatusOK)
}

func (s *Server) apiRevokeInvite(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	if err := s.svc.RevokeInvite(r.Context(), c.actorID(), c.Workspace.ID, r.PathValue("userID")); err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiResetLink(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	link, err := s.svc.CreateResetLink(r.Context(), c.actorID(), c.Workspace.ID, r.PathValue("userID"), s.opts.Mailer != nil)
	s.apiLinkAnswer(w, r, c, link, err, http.StatusCreated)
}

// apiLinkAnswer mails the link (when SMTP is configured) and answers.
func (s *Server) apiLinkAnswer(w http.ResponseWriter, r *http.Request, c *apiCaller, link *workspace.Link, err error, status int) {
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	out := linkJSON{Email: link.Email, ExpiresAt: link.ExpiresAt.UTC()}
	f := s.deliverLink(r.Context(), r, c.Workspace, link)
	out.Mailed, out.Link = f.Secret == "" && f.Warning == "", f.Secret
	writeJSON(w, status, out)
}
