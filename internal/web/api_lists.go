package web

import (
	"net/http"
	"time"
)

// memberJSON is one member in GET .../members.
type memberJSON struct {
	ID     string   `json:"id"`
	Email  string   `json:"email"`
	Name   string   `json:"name"`
	Role   string   `json:"role"`
	Status string   `json:"status"`
	Groups []string `json:"groups"`
	// ManagedBySync: group sync sets this member's role and groups at
	// each SSO sign-in (docs/api.md).
	ManagedBySync bool `json:"managedBySync"`
}

// apiGetMembers is GET .../members with the page's search, filters and
// paging as query parameters (q, role, group, status, sync, page, perPage).
func (s *Server) apiGetMembers(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	f := parseMemberFilter(r.URL.Query(), maxMembersPerPage)
	list, err := s.filteredMembers(r.Context(), c.Workspace, f, "/api/v1/workspaces/"+pathEscape(c.Workspace.Slug)+"/members")
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	out := make([]memberJSON, 0, len(list.rows))
	for _, m := range list.rows {
		groups := make([]string, 0, len(m.Groups))
		for _, g := range m.Groups {
			groups = append(groups, g.Name)
		}
		out = append(out, memberJSON{ID: m.User.ID, Email: m.User.Email, Name: m.User.Name,
			Role: m.Membership.Role, Status: m.Membership.Status, Groups: groups, ManagedBySync: m.Managed})
	}
	body := map[string]any{"members": out, "total": list.total, "page": f.Page, "perPage": f.Per}
	if list.paging.Next != "" {
		body["next"] = list.paging.Next
	}
	writeJSON(w, http.StatusOK, body)
}

// groupJSON is one custom group in GET .../groups.
type groupJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	CanEditApps bool   `json:"canEditApps"`
}

// apiGetGroups is GET .../groups (custom groups only; roles are built in).
func (s *Server) apiGetGroups(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	groups, err := s.store.ListGroups(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	out := make([]groupJSON, 0, len(groups))
	for _, g := range groups {
		out = append(out, groupJSON{ID: g.ID, Name: g.Name, CanEditApps: g.CanEditApps})
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": out})
}

// seenGroupJSON is one value in GET .../idp-groups-seen.
type seenGroupJSON struct {
	Value    string    `json:"value"`
	LastSeen time.Time `json:"lastSeen"`
	Count    int       `json:"count"`
	MappedTo string    `json:"mappedTo"` // "" = group sync ignores the value
	// Source is "environment" or "ui" (a mapping row), or "same name"
	// (no mappings configured: the value matches a group directly).
	Source string `json:"source,omitempty"`
}

// apiGetSeenGroups is GET .../idp-groups-seen, with the mapping state of each value.
func (s *Server) apiGetSeenGroups(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	merged, _, err := s.mergedMappings(r, c.Workspace)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	names, err := s.mappingTargets(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	seen, err := s.store.ListSeenIdPGroups(r.Context(), c.Workspace.ID, seenGroupsShown)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	out := make([]seenGroupJSON, 0, len(seen))
	for _, g := range seen {
		to, src := seenTarget(merged, names, g.Value)
		out = append(out, seenGroupJSON{Value: g.Value, LastSeen: g.LastSeen.UTC(), Count: g.Count, MappedTo: to, Source: src})
	}
	writeJSON(w, http.StatusOK, map[string]any{"idpGroupsSeen": out})
}
