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
	Groups    []groupRow
	NewName   string // kept after a refused create
	Flash     string
	Error     string
}

// groupRow is a custom group with its member count.
type groupRow struct {
	store.Group
	Members int
}

// handleGroups lists the custom groups.
func (s *Server) handleGroups(w http.ResponseWriter, r *http.Request) {
	page := &groupsPage{}
	if f := s.takeFlash(w, r); f != nil {
		page.Flash = f.Message
	}
	s.renderGroups(w, r, http.StatusOK, page)
}

// handleGroupsPost creates, updates (rename, "can edit apps") or deletes
// (after confirmation) a custom group; success redirects with a flash.
// Reserved names are refused by the service.
func (s *Server) handleGroupsPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	ctx := r.Context()
	name, canEdit := strings.TrimSpace(r.PostFormValue("name")), checked(r, "can_edit_apps")
	page := &groupsPage{}
	var err error
	var msg string
	switch r.PostFormValue("action") {
	case "create":
		if _, err = s.svc.CreateGroup(ctx, actor, ws.ID, name, canEdit); err != nil {
			page.NewName = name
		}
		msg = "Group " + quote(name) + " created."
	case "update":
		err, msg = s.svc.UpdateGroup(ctx, actor, ws.ID, r.PostFormValue("group_id"), name, canEdit), "Group saved."
	case "delete":
		if s.needsConfirmation(w, r, "group.delete") {
			return
		}
		err, msg = s.svc.DeleteGroup(ctx, actor, ws.ID, r.PostFormValue("group_id")), "Group deleted."
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		status, answered := s.formFailed(w, r, err)
		if answered {
			return
		}
		page.Error = errorMessage(err)
		s.renderGroups(w, r, status, page)
		return
	}
	s.redirectFlash(w, r, "/settings/"+pathEscape(ws.Slug)+"/groups", flash{Message: msg})
}

// renderGroups lists the custom groups and their member counts around page.
func (s *Server) renderGroups(w http.ResponseWriter, r *http.Request, status int, page *groupsPage) {
	ws := requestWorkspace(r)
	groups, err := s.store.ListGroups(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	counts, err := s.groupMemberCounts(r, ws)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Groups = ws, "groups", make([]groupRow, 0, len(groups))
	for _, g := range groups {
		page.Groups = append(page.Groups, groupRow{Group: g, Members: counts[g.ID]})
	}
	s.render(w, r, status, "admin_groups.html", page)
}
