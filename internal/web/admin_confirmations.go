package web

import (
	"net/http"
	"strconv"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// The confirmable actions of the members, groups and API tokens pages.
func init() {
	registerConfirm("member.archive", confirmMemberArchive)
	registerConfirm("member.remove_group", confirmMemberRemoveGroup)
	registerConfirm("member.role", confirmMemberRole)
	registerConfirm("group.delete", confirmGroupDelete)
	registerConfirm("token.delete", confirmTokenDelete)
	registerConfirm("application.delete", confirmApplicationDelete)
}

// confirmMember loads the member named by the query's user_id.
func confirmMember(s *Server, r *http.Request, ws *store.Workspace) (*store.User, *store.Membership, error) {
	id := r.URL.Query().Get("user_id")
	m, err := s.store.GetMembership(r.Context(), ws.ID, id)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.GetUser(r.Context(), id)
	return u, m, err
}

func confirmMemberArchive(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	u, m, err := confirmMember(s, r, ws)
	if err != nil {
		return nil, err
	}
	c := &confirmation{Tab: "members", Title: "Archive " + u.Email + "?", Button: "Archive " + u.Email,
		Action: "/settings/" + pathEscape(ws.Slug) + "/members", Cancel: "/settings/" + pathEscape(ws.Slug) + "/members",
		Fields: fieldsOf(r, "action", "user_id"),
		Consequences: []string{
			u.Email + " is signed out of " + ws.Name + " at once and cannot sign in to it, with a password or SSO, until unarchived.",
			"Their role (" + m.Role + ") and groups are kept; Unarchive on the members page brings them back.",
		}}
	if m.Role == workspace.RoleAdmin {
		c.Consequences = append(c.Consequences, "The API tokens they created for this workspace stop working.")
	}
	if requestPrincipal(r).User.ID == u.ID {
		c.Consequences = append(c.Consequences, "This is you: it will be refused. Ask another admin, or run gatehouse user archive.")
	}
	return c, nil
}

func confirmMemberRemoveGroup(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	u, _, err := confirmMember(s, r, ws)
	if err != nil {
		return nil, err
	}
	g, err := s.store.GetGroup(r.Context(), r.URL.Query().Get("group_id"))
	if err == nil && g.WorkspaceID != ws.ID {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c := &confirmation{Tab: "members", Title: "Remove " + u.Email + " from " + g.Name + "?", Button: "Remove from " + g.Name,
		Action: "/settings/" + pathEscape(ws.Slug) + "/members", Cancel: "/settings/" + pathEscape(ws.Slug) + "/members",
		Fields:       fieldsOf(r, "action", "user_id", "group_id"),
		Consequences: []string{u.Email + " leaves the group " + g.Name + " and loses what it grants."}}
	if g.CanEditApps {
		c.Consequences = append(c.Consequences, g.Name+" can edit apps: group sync no longer makes them builder through it.")
	}
	return withSyncNote(s, r, ws, u, c)
}

func confirmMemberRole(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	u, m, err := confirmMember(s, r, ws)
	if err != nil {
		return nil, err
	}
	role, ok := workspace.ParseRole(r.URL.Query().Get("role"))
	if !ok {
		return nil, store.ErrNotFound
	}
	c := &confirmation{Tab: "members", Title: "Change " + u.Email + " from " + m.Role + " to " + role + "?", Button: "Make " + u.Email + " " + role,
		Action: "/settings/" + pathEscape(ws.Slug) + "/members", Cancel: "/settings/" + pathEscape(ws.Slug) + "/members",
		Fields: fieldsOf(r, "action", "user_id", "role"),
		Consequences: []string{
			u.Email + " can no longer open these settings pages.",
			"The API tokens they created for this workspace stop working.",
		}}
	if requestPrincipal(r).User.ID == u.ID {
		c.Consequences = append(c.Consequences, "This is you: it will be refused. Ask another admin to do it.")
	}
	return withSyncNote(s, r, ws, u, c)
}

// withSyncNote adds, when group sync manages u, that the change lasts only
// until their next SSO sign-in.
func withSyncNote(s *Server, r *http.Request, ws *store.Workspace, u *store.User, c *confirmation) (*confirmation, error) {
	info, err := s.syncState(r.Context(), ws)
	if err != nil {
		return nil, err
	}
	if info.manages(u.ID) {
		c.Consequences = append(c.Consequences, "Group sync manages "+u.Email+": their next "+info.via+
			" sign-in sets their role and groups from the identity provider again.")
	}
	return c, nil
}

func confirmGroupDelete(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	g, err := s.store.GetGroup(r.Context(), r.URL.Query().Get("group_id"))
	if err == nil && g.WorkspaceID != ws.ID {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	counts, err := s.groupMemberCounts(r, ws)
	if err != nil {
		return nil, err
	}
	return &confirmation{Tab: "groups", Title: "Delete the group " + g.Name + "?", Button: "Delete " + g.Name,
		Action: "/settings/" + pathEscape(ws.Slug) + "/groups", Cancel: "/settings/" + pathEscape(ws.Slug) + "/groups",
		Fields: fieldsOf(r, "action", "group_id"),
		Consequences: []string{
			"Its " + strconv.Itoa(counts[g.ID]) + " member(s) leave it; their accounts and roles stay.",
			"Group mappings that name " + g.Name + " stop matching (group sync reports them as unknown targets).",
			"This cannot be undone; a new group of the same name starts empty.",
		}}, nil
}

func confirmTokenDelete(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	id := r.URL.Query().Get("token_id")
	tokens, err := s.store.ListAPITokens(r.Context(), ws.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tokens {
		if t.ID == id {
			return &confirmation{Tab: "tokens", Title: "Delete the API token " + t.Name + "?", Button: "Delete " + t.Name,
				Action: "/settings/" + pathEscape(ws.Slug) + "/api-tokens", Cancel: "/settings/" + pathEscape(ws.Slug) + "/api-tokens",
				Fields: fieldsOf(r, "action", "token_id"),
				Consequences: []string{
					"Scripts and automations using it get 401 Unauthorized from their next call.",
					"This cannot be undone; create a new token to replace it.",
				}}, nil
		}
	}
	return nil, store.ErrNotFound
}

// groupMemberCounts counts the members of each custom group of ws.
func (s *Server) groupMemberCounts(r *http.Request, ws *store.Workspace) (map[string]int, error) {
	members, err := s.store.ListMembers(r.Context(), ws.ID)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, m := range members {
		for _, g := range m.Groups {
			counts[g.ID]++
		}
	}
	return counts, nil
}

func confirmApplicationDelete(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error) {
	c, err := s.opts.Apps.Get(r.Context(), ws.ID, r.URL.Query().Get("client_id"))
	if err != nil {
		return nil, err
	}
	return &confirmation{Tab: "applications", Title: "Delete the application " + c.Name + "?", Button: "Delete " + c.Name,
		Action: "/settings/" + pathEscape(ws.Slug) + "/applications", Cancel: "/settings/" + pathEscape(ws.Slug) + "/applications",
		Fields: fieldsOf(r, "action", "client_id"),
		Consequences: []string{
			"Signing in to " + c.Name + " through Gatehouse stops working at once; its refresh tokens stop working.",
			"This cannot be undone: a new registration gets a new client ID and secret, which " + c.Name + " must be reconfigured with.",
		}}, nil
}
