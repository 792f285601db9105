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
	Members   []memberRow // the current page of the filtered list
	Groups    []store.Group
	Roles     []string
	Filter    memberFilter
	Paging    memberPaging
	// SyncOn: group sync manages the role and groups of members who sign
	// in with SSO (SyncVia names the SSO).
	SyncOn  bool
	SyncVia string
	SelfID  string // the signed-in admin, whose row has no archive/role form
	// PasswordLogin: the workspace allows passwords (reset links help).
	PasswordLogin bool
	MailOn        bool   // SMTP configured: links are mailed
	NewLink       string // a link to pass on, shown once (no SMTP)
	Flash         string
	Warning       string
	Error         string
}

// memberRow is one member with whether group sync manages it.
type memberRow struct {
	store.Member
	Managed bool // role and groups are set by group sync at each SSO sign-in
}

// handleMembers lists the workspace's members (searched, filtered, paged).
func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request) {
	page := &membersPage{}
	if f := s.takeFlash(w, r); f != nil {
		page.Flash, page.Warning, page.NewLink = f.Message, f.Warning, f.Secret
	}
	s.renderMembers(w, r, http.StatusOK, page)
}

// memberAction is one action of the members page: the confirmation it
// needs (""= none; its registration names the fields), and the change.
type memberAction struct {
	confirm string
	run     func(s *Server, r *http.Request, ws *store.Workspace, actor, userID string) (flash string, err error)
}

// memberActions are the members page's POST actions. Archive and
// removal from a group always ask first; a role change asks when it takes
// admin away (memberRoleNeedsConfirm).
var memberActions = map[string]memberAction{
	"role": {run: func(s *Server, r *http.Request, ws *store.Workspace, actor, userID string) (string, error) {
		return "Role changed.", s.svc.SetMemberRole(r.Context(), actor, ws.ID, userID, r.PostFormValue("role"))
	}},
	"archive": {confirm: "member.archive", run: func(s *Server, r *http.Request, ws *store.Workspace, actor, userID string) (string, error) {
		return "Member archived.", s.svc.SetMemberStatus(r.Context(), actor, ws.ID, userID, store.StatusArchived)
	}},
	"unarchive": {run: func(s *Server, r *http.Request, ws *store.Workspace, actor, userID string) (string, error) {
		return "Member unarchived.", s.svc.SetMemberStatus(r.Context(), actor, ws.ID, userID, store.StatusActive)
	}},
	"add_group": {run: func(s *Server, r *http.Request, ws *store.Workspace, actor, userID string) (string, error) {
		return "Added to the group.", s.svc.AddGroupMember(r.Context(), actor, ws.ID, r.PostFormValue("group_id"), userID)
	}},
	"remove_group": {confirm: "member.remove_group", run: func(s *Server, r *http.Request, ws *store.Workspace, actor, userID string) (string, error) {
		return "Removed from the group.", s.svc.RemoveGroupMember(r.Context(), actor, ws.ID, r.PostFormValue("group_id"), userID)
	}},
}

// handleMembersPost runs one member action. Rules (last admin, no
// self-lockout, ...) are the service's; a refusal shows the page with its
// message, a success redirects (post/redirect/get) with a flash.
func (s *Server) handleMembersPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	action, ok := memberActions[r.PostFormValue("action")]
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	userID := r.PostFormValue("user_id")
	if r.PostFormValue("action") == "role" && s.memberRoleNeedsConfirm(r, ws, userID) {
		action.confirm = "member.role"
	}
	if action.confirm != "" && s.needsConfirmation(w, r, action.confirm) {
		return
	}
	msg, err := action.run(s, r, ws, actor, userID)
	if err != nil {
		status, answered := s.formFailed(w, r, err)
		if answered {
			return
		}
		s.renderMembers(w, r, status, &membersPage{Error: errorMessage(err)})
		return
	}
	s.forward.ForgetUser(userID) // protected sites see the change at once on this replica (others: within the cache TTL)
	f := flash{Message: msg}
	if r.PostFormValue("action") != "archive" && r.PostFormValue("action") != "unarchive" {
		f.Warning = s.syncWarning(r, ws, userID)
	}
	s.redirectFlash(w, r, membersURL(ws.Slug, r.PostFormValue("back")), f)
}

// memberRoleNeedsConfirm: taking the admin role away from an active admin
// asks first (they lose the settings and their API tokens stop working).
func (s *Server) memberRoleNeedsConfirm(r *http.Request, ws *store.Workspace, userID string) bool {
	m, err := s.store.GetMembership(r.Context(), ws.ID, userID)
	if err != nil {
		return false // the service reports the missing member
	}
	role, _ := workspace.ParseRole(r.PostFormValue("role"))
	return m.Role == workspace.RoleAdmin && m.Status == store.StatusActive && role != workspace.RoleAdmin
}

// renderMembers lists the members around page (flash or error set by the caller).
func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, page *membersPage) {
	ws := requestWorkspace(r)
	list, err := s.memberList(r, ws)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Groups, page.Roles = ws, "members", list.groups, roleNames()
	page.Filter, page.SyncOn, page.SyncVia = list.filter, list.syncOn, list.syncVia
	page.Members, page.Paging = list.rows, list.paging
	page.SelfID = requestPrincipal(r).User.ID
	ls, err := s.store.GetLoginSettings(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.PasswordLogin, page.MailOn = ls.PasswordLogin, s.opts.Mailer != nil
	s.render(w, r, status, "admin_members.html", page)
}

// roleNames are the built-in roles, highest first.
func roleNames() []string {
	return []string{workspace.RoleAdmin, workspace.RoleBuilder, workspace.RoleEndUser}
}
