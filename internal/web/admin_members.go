package web

import (
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// membersPage is the data of admin_members.html.
type membersPage struct {
	Workspace *store.Workspace
	Tab       string
	Members   []store.Member
	Groups    []store.Group // custom groups, for "add to group"
	Roles     []string
	Flash     string
	Error     string
}

// handleMembers lists the workspace's members.
func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request) {
	s.renderMembers(w, r, http.StatusOK, "", "")
}

// handleMembersPost runs one member action: role, archive, unarchive,
// add_group, remove_group. Rules (last admin, reserved names, ...) are the
// service's; the page shows its message.
func (s *Server) handleMembersPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	ctx, userID := r.Context(), r.PostFormValue("user_id")
	var err error
	var flash string
	switch r.PostFormValue("action") {
	case "role":
		err, flash = s.svc.SetMemberRole(ctx, actor, ws.ID, userID, r.PostFormValue("role")), "Role changed."
	case "archive":
		err, flash = s.svc.SetMemberStatus(ctx, actor, ws.ID, userID, store.StatusArchived), "Member archived."
	case "unarchive":
		err, flash = s.svc.SetMemberStatus(ctx, actor, ws.ID, userID, store.StatusActive), "Member unarchived."
	case "add_group":
		err, flash = s.svc.AddGroupMember(ctx, actor, ws.ID, r.PostFormValue("group_id"), userID), "Added to the group."
	case "remove_group":
		err, flash = s.svc.RemoveGroupMember(ctx, actor, ws.ID, r.PostFormValue("group_id"), userID), "Removed from the group."
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if err != nil {
		status := errorStatus(err)
		if status >= 500 {
			s.serverError(w, r, err)
			return
		}
		s.renderMembers(w, r, status, "", errorMessage(err))
		return
	}
	s.renderMembers(w, r, http.StatusOK, flash, "")
}

// renderMembers lists the members with a flash or an error message.
func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, flash, msg string) {
	ws := requestWorkspace(r)
	members, err := s.store.ListMembers(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	groups, err := s.store.ListGroups(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "admin_members.html", &membersPage{
		Workspace: ws, Tab: "members", Members: members, Groups: groups,
		Roles: []string{workspace.RoleAdmin, workspace.RoleBuilder, workspace.RoleEndUser},
		Flash: flash, Error: msg,
	})
}
