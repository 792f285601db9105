package web

import (
	"net/http"
)

// landingView is the data of landing.html.
type landingView struct {
	Name, Email, Role, Status string
	Groups                    []string
	IsAdmin, SuperAdmin       bool
	Slug                      string
	ViaSSO                    bool
}

// handleLanding is the signed-in page: who you are, your role and groups,
// and the admin pages for admins.
func (s *Server) handleLanding(w http.ResponseWriter, r *http.Request) {
	p := requestPrincipal(r)
	ws := requestWorkspace(r)
	v := landingView{
		Name: p.User.Name, Email: p.User.Email, Role: p.Membership.Role, Status: p.Membership.Status,
		IsAdmin: isAdmin(p), SuperAdmin: p.User.SuperAdmin, Slug: ws.Slug, ViaSSO: p.Session.ConfigID != "",
	}
	for _, g := range p.Groups {
		v.Groups = append(v.Groups, g.Name)
	}
	s.render(w, r, http.StatusOK, "landing.html", v)
}
