package web

import (
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// groupsPage is the data of admin_groups.html.
type groupsPage struct {
	Workspace *store.Workspace
	Tab       string
	Groups    []store.Group
	NewName   string // kept after a refused create
	Flash     string
	Error     string
}

// handleGroups lists the custom groups.
func (s *Server) handleGroups(w http.ResponseWriter, r *http.Request) {
	s.renderGroups(w, r, http.StatusOK, &groupsPage{})
}

// handleGroupsPost creates, updates (rename, "can edit apps") or deletes a
// custom group. Reserved names are refused by the service.
func (s *Server) handleGroupsPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	ctx := r.Context()
	name, canEdit := strings.TrimSpace(r.PostFormValue("name")), checked(r, "can_edit_apps")
	page := &groupsPage{}
	var err error
	switch r.PostFormValue("action") {
	case "create":
		if _, err = s.svc.CreateGroup(ctx, actor, ws.ID, name, canEdit); err != nil {
			page.NewName = name
		}
		page.Flash = "Group " + quote(name) + " created."
	case "update":
		err = s.svc.UpdateGroup(ctx, actor, ws.ID, r.PostFormValue("group_id"), name, canEdit)
		page.Flash = "Group saved."
	case "delete":
		err = s.svc.DeleteGroup(ctx, actor, ws.ID, r.PostFormValue("group_id"))
		page.Flash = "Group deleted."
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	status := http.StatusOK
	if err != nil {
		if status = errorStatus(err); status >= 500 {
			s.serverError(w, r, err)
			return
		}
		page.Flash, page.Error = "", errorMessage(err)
	}
	s.renderGroups(w, r, status, page)
}

// renderGroups lists the custom groups around page.
func (s *Server) renderGroups(w http.ResponseWriter, r *http.Request, status int, page *groupsPage) {
	ws := requestWorkspace(r)
	groups, err := s.store.ListGroups(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Groups = ws, "groups", groups
	s.render(w, r, status, "admin_groups.html", page)
}
