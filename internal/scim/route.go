package scim

import (
	"context"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// resource holds what differs between /Users and /Groups; route does the
// rest, so both answer methods, 405s and deletes the same way.
type resource struct {
	name                string // "User" or "Group", as in error details
	list, create        func(h *Handler, c *call)
	get, replace, patch func(h *Handler, c *call, id string)
	remove              func(s *workspace.Service, ctx context.Context, ws *store.Workspace, req workspace.SCIMRequest, id string) error
}

var (
	users = resource{name: "User",
		list: (*Handler).listUsers, create: (*Handler).createUser,
		get: (*Handler).getUser, replace: (*Handler).replaceUser, patch: (*Handler).patchUser,
		remove: (*workspace.Service).SCIMDeleteUser}
	groups = resource{name: "Group",
		list: (*Handler).listGroups, create: (*Handler).createGroup,
		get: (*Handler).getGroup, replace: (*Handler).replaceGroup, patch: (*Handler).patchGroup,
		remove: (*workspace.Service).SCIMDeleteGroup}
)

// route serves a collection (GET lists, POST creates) or one member of it
// (GET, PUT, PATCH, DELETE); other methods get 405.
func (h *Handler) route(c *call, id string, rs resource) {
	if id == "" {
		if !h.method(c, http.MethodGet, http.MethodPost) {
			return
		}
		if c.r.Method == http.MethodPost {
			rs.create(h, c)
			return
		}
		rs.list(h, c)
		return
	}
	if !h.method(c, http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete) {
		return
	}
	switch c.r.Method {
	case http.MethodPut:
		rs.replace(h, c, id)
	case http.MethodPatch:
		rs.patch(h, c, id)
	case http.MethodDelete:
		if err := rs.remove(h.o.Service, c.r.Context(), c.ws, c.request(h), id); err != nil {
			h.failService(c, err, rs.name, id)
			return
		}
		c.w.WriteHeader(http.StatusNoContent)
	default:
		rs.get(h, c, id)
	}
}

// list answers a collection query for either resource: parse the filter,
// page, fetch from the store and render each result. A bad filter or page
// is a SCIM 400; a store or render failure is a 500.
func list[F, R any](h *Handler, c *call, parse func(string) (F, *Error),
	fetch func(ctx context.Context, workspaceID string, f F, offset, limit int) ([]R, int, error),
	render func(*R) (any, error)) {
	q := c.r.URL.Query()
	f, e := parse(q.Get("filter"))
	if e != nil {
		h.fail(c, e)
		return
	}
	offset, count, start, e := page(q)
	if e != nil {
		h.fail(c, e)
		return
	}
	rows, total, err := fetch(c.r.Context(), c.ws.ID, f, offset, count)
	if err != nil {
		h.internal(c.w, c.r, err)
		return
	}
	out := make([]any, 0, len(rows))
	for i := range rows {
		doc, err := render(&rows[i])
		if err != nil {
			h.internal(c.w, c.r, err)
			return
		}
		out = append(out, doc)
	}
	writeJSON(c.w, http.StatusOK, listResponse(total, start, out))
}
