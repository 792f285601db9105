package scim

import (
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// getUser answers GET /Users/{id}.
func (h *Handler) getUser(c *call, id string) {
	su, err := h.o.Store.GetSCIMUser(c.r.Context(), c.ws.ID, id)
	if err != nil {
		h.failService(c, err, "User", id)
		return
	}
	h.writeUser(c, http.StatusOK, su)
}

// listUsers answers a query; no match is an empty list with
// totalResults 0 (never a 404).
func (h *Handler) listUsers(c *call) {
	attrs, excl := attrParams(c.r.URL.Query())
	list(h, c, userFilter, h.o.Store.ListSCIMUsers, func(su *store.SCIMUser) (any, error) {
		return project(userResource(c.base, su), attrs, excl), nil
	})
}

// readDoc reads a JSON object body, normalized.
func (h *Handler) readDoc(c *call) (map[string]any, *Error) {
	body, e := h.readBody(c)
	if e != nil {
		return nil, e
	}
	var doc map[string]any
	if err := decodeJSON(body, &doc); err != nil || doc == nil {
		return nil, badRequest(typeInvalidSyntax, "the body is not a JSON object")
	}
	return normalizeDoc(doc).(map[string]any), nil
}

// userBody reads a POST or PUT body as the service's user input.
func (h *Handler) userBody(c *call) (workspace.SCIMUserInput, *Error) {
	doc, e := h.readDoc(c)
	if e != nil {
		return workspace.SCIMUserInput{}, e
	}
	return userInput(doc)
}

// readPatch reads and checks a PATCH body (users and groups alike).
func (h *Handler) readPatch(c *call) (*patchRequest, *Error) {
	body, e := h.readBody(c)
	if e != nil {
		return nil, e
	}
	return decodePatch(body)
}

// createUser provisions a member (201, or 409 uniqueness when the
// userName is provisioned already).
func (h *Handler) createUser(c *call) {
	in, e := h.userBody(c)
	if e != nil {
		h.fail(c, e)
		return
	}
	su, err := h.o.Service.SCIMCreateUser(c.r.Context(), c.ws, c.request(h), in)
	if err != nil {
		h.failService(c, err, "User", "")
		return
	}
	c.w.Header().Set("Location", c.base+"/Users/"+su.User.ID)
	h.writeUser(c, http.StatusCreated, su)
}

// replaceUser is PUT: the body replaces the directory's record.
func (h *Handler) replaceUser(c *call, id string) {
	in, e := h.userBody(c)
	if e != nil {
		h.fail(c, e)
		return
	}
	h.updateUser(c, id, func(*store.SCIMUser) (workspace.SCIMUserInput, error) { return in, nil })
}

// patchUser applies PATCH operations to the current document, inside the
// service's transaction (so concurrent PATCHes of one user do not lose
// each other's changes).
func (h *Handler) patchUser(c *call, id string) {
	p, e := h.readPatch(c)
	if e != nil {
		h.fail(c, e)
		return
	}
	h.updateUser(c, id, func(cur *store.SCIMUser) (workspace.SCIMUserInput, error) {
		doc := userDoc(cur)
		if e := applyPatch(doc, SchemaUser, p.Operations); e != nil {
			return workspace.SCIMUserInput{}, e
		}
		in, e := userInput(doc)
		if e != nil {
			return in, e
		}
		return in, nil // not "return userInput(doc)": a nil *Error would be a non-nil error
	})
}

// updateUser changes user id to what next makes of its current record,
// inside the service's transaction, and writes the result (PUT and PATCH).
func (h *Handler) updateUser(c *call, id string, next func(*store.SCIMUser) (workspace.SCIMUserInput, error)) {
	su, err := h.o.Service.SCIMUpdateUser(c.r.Context(), c.ws, c.request(h), id, next)
	if err != nil {
		h.failService(c, err, "User", id)
		return
	}
	h.writeUser(c, http.StatusOK, su)
}

// writeUser writes one user, honouring attributes/excludedAttributes.
func (h *Handler) writeUser(c *call, status int, su *store.SCIMUser) {
	attrs, excl := attrParams(c.r.URL.Query())
	writeJSON(c.w, status, project(userResource(c.base, su), attrs, excl))
}
