package scim

import (
	"net/http"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// getGroup answers GET /Groups/{id}.
func (h *Handler) getGroup(c *call, id string) {
	g, err := h.o.Store.GetSCIMGroup(c.r.Context(), c.ws.ID, id)
	if err != nil {
		h.failService(c, err, "Group", id)
		return
	}
	h.writeGroup(c, http.StatusOK, g)
}

// wantMembers reports whether the response includes members (Entra asks
// for excludedAttributes=members; a group may have thousands).
func wantMembers(attrs, excl []string) bool {
	return !containsFold(excl, "members") && (len(attrs) == 0 || containsFold(attrs, "members"))
}

// groupJSON renders a group, loading its members only when wanted.
func (h *Handler) groupJSON(c *call, g *store.SCIMGroup) (map[string]any, error) {
	attrs, excl := attrParams(c.r.URL.Query())
	var members []store.SCIMGroupMember
	with := wantMembers(attrs, excl)
	if with {
		var err error
		if members, err = h.o.Store.ListSCIMGroupMembers(c.r.Context(), g.ID); err != nil {
			return nil, err
		}
	}
	return project(groupResource(c.base, g, members, with), attrs, excl), nil
}

// writeGroup writes one group.
func (h *Handler) writeGroup(c *call, status int, g *store.SCIMGroup) {
	doc, err := h.groupJSON(c, g)
	if err != nil {
		h.internal(c.w, c.r, err)
		return
	}
	writeJSON(c.w, status, doc)
}

// listGroups answers a query (displayName eq ...).
func (h *Handler) listGroups(c *call) {
	list(h, c, groupFilter, h.o.Store.ListSCIMGroups, func(g *store.SCIMGroup) (any, error) {
		return h.groupJSON(c, g)
	})
}

// groupBody reads a POST or PUT body: displayName, externalId, members.
func (h *Handler) groupBody(c *call) (name, externalID string, members []string, e *Error) {
	doc, e := h.readDoc(c)
	if e != nil {
		return "", "", nil, e
	}
	name, externalID = str(doc["displayName"]), str(doc["externalId"])
	if name == "" {
		return "", "", nil, badRequest(typeInvalidValue, "displayName is required")
	}
	members, e = memberValues(doc["members"])
	return name, externalID, members, e
}

// createGroup stores a directory group (201; 409 when the name is taken).
func (h *Handler) createGroup(c *call) {
	name, ext, members, e := h.groupBody(c)
	if e != nil {
		h.fail(c, e)
		return
	}
	g, err := h.o.Service.SCIMCreateGroup(c.r.Context(), c.ws, c.request(h), name, ext, members)
	if err != nil {
		h.failService(c, err, "Group", "")
		return
	}
	c.w.Header().Set("Location", c.base+"/Groups/"+g.ID)
	h.writeGroup(c, http.StatusCreated, g)
}

// replaceGroup is PUT: name, external ID and exactly the given members.
func (h *Handler) replaceGroup(c *call, id string) {
	name, ext, members, e := h.groupBody(c)
	if e != nil {
		h.fail(c, e)
		return
	}
	g, err := h.o.Service.SCIMChangeGroup(c.r.Context(), c.ws, c.request(h), id,
		workspace.SCIMGroupChange{DisplayName: &name, ExternalID: &ext, ReplaceMembers: true, Members: members})
	if err != nil {
		h.failService(c, err, "Group", id)
		return
	}
	h.writeGroup(c, http.StatusOK, g)
}

// patchGroup applies PATCH operations; 204 as in Microsoft's reference
// sequence (RFC 7644 §3.5.2 allows it).
func (h *Handler) patchGroup(c *call, id string) {
	p, e := h.readPatch(c)
	if e != nil {
		h.fail(c, e)
		return
	}
	ch, e := groupChange(p.Operations)
	if e != nil {
		h.fail(c, e)
		return
	}
	if _, err := h.o.Service.SCIMChangeGroup(c.r.Context(), c.ws, c.request(h), id, ch); err != nil {
		h.failService(c, err, "Group", id)
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// memberSet accumulates member operations in order: after a replace,
// adds and removes edit the new list; otherwise they are row changes.
type memberSet struct {
	replace            bool
	members, add, drop []string
}

func without(list []string, v string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func (m *memberSet) addID(id string) {
	if m.replace {
		m.members = append(without(m.members, id), id)
		return
	}
	m.drop, m.add = without(m.drop, id), append(without(m.add, id), id)
}

func (m *memberSet) removeID(id string) {
	if m.replace {
		m.members = without(m.members, id)
		return
	}
	m.add, m.drop = without(m.add, id), append(without(m.drop, id), id)
}

// groupChange turns PATCH operations into one change.
func groupChange(ops []patchOp) (workspace.SCIMGroupChange, *Error) {
	var ch workspace.SCIMGroupChange
	ms := &memberSet{}
	for _, o := range ops {
		v, e := o.value()
		if e != nil {
			return ch, e
		}
		if o.Path == "" {
			m, ok := v.(map[string]any)
			if !ok || o.Op == "remove" {
				return ch, badRequest(typeNoTarget, "an operation without a path needs an object value (and cannot be a remove)")
			}
			for _, k := range sortedKeys(m) {
				if e := groupAttr(&ch, ms, o.Op, k, m[k]); e != nil {
					return ch, e
				}
			}
			continue
		}
		if e := groupPath(&ch, ms, o.Op, o.Path, v); e != nil {
			return ch, e
		}
	}
	ch.ReplaceMembers, ch.Members, ch.Add, ch.Remove = ms.replace, ms.members, ms.add, ms.drop
	if n := len(ch.Members) + len(ch.Add) + len(ch.Remove); n > workspace.MaxSCIMGroupMembers {
		return ch, tooManyMembers()
	}
	return ch, nil
}

// groupPath applies an operation with a path to the change.
func groupPath(ch *workspace.SCIMGroupChange, ms *memberSet, op, raw string, v any) *Error {
	if e := checkPathBounds(raw); e != nil {
		return e
	}
	p, err := filter.ParsePath([]byte(raw))
	if err != nil || !coreURI(p.AttributePath.URI(), SchemaGroup) {
		return badRequest(typeInvalidPath, "path %q is not a Group attribute path", raw)
	}
	if p.ValueExpression == nil {
		return groupAttr(ch, ms, op, p.AttributePath.AttributeName, v)
	}
	if !strings.EqualFold(p.AttributePath.AttributeName, "members") || op != "remove" || p.SubAttribute != nil {
		return badRequest(typeInvalidPath, `only "remove" accepts a value filter, on members (members[value eq "id"])`)
	}
	ids, ok := filterValues(p.ValueExpression)
	if !ok {
		return badRequest(typeInvalidFilter, `members filters are value eq "id", joined by or`)
	}
	for _, id := range ids {
		ms.removeID(id)
	}
	return nil
}

// groupAttr applies an operation on one Group attribute.
func groupAttr(ch *workspace.SCIMGroupChange, ms *memberSet, op, attr string, v any) *Error {
	switch canonical(attr) {
	case "displayName":
		s, ok := v.(string)
		if op == "remove" || !ok {
			return badRequest(typeInvalidValue, "displayName is required and must be a string")
		}
		ch.DisplayName = &s
	case "externalId":
		s, _ := v.(string)
		ch.ExternalID = &s
	case "members":
		ids, e := memberValues(v)
		if e != nil {
			return e
		}
		switch {
		case op == "replace" || (op == "remove" && v == nil):
			ms.replace, ms.members, ms.add, ms.drop = true, nil, nil, nil
			for _, id := range ids {
				ms.addID(id)
			}
		case op == "add":
			for _, id := range ids {
				ms.addID(id)
			}
		default:
			for _, id := range ids {
				ms.removeID(id)
			}
		}
	case "id", "schemas", "meta":
		// Entra repeats the id in a path-less replace; ours are not changeable.
	default:
		return badRequest(typeInvalidPath, "Group has no writable attribute %q", attr)
	}
	return nil
}

// memberValues reads the "value" of each member object.
func memberValues(v any) ([]string, *Error) {
	var ids []string
	for _, e := range asList(v) {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, badRequest(typeInvalidValue, `members are objects with a "value" (the user id)`)
		}
		val, _ := lookup(m, "value")
		id := str(val)
		if id == "" {
			return nil, badRequest(typeInvalidValue, `a member has no "value"`)
		}
		ids = append(ids, id)
		if len(ids) > workspace.MaxSCIMGroupMembers {
			return nil, tooManyMembers()
		}
	}
	return ids, nil
}

// tooManyMembers refuses a request naming more than
// workspace.MaxSCIMGroupMembers members (the bound the service enforces).
func tooManyMembers() *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, SCIMType: typeTooMany,
		Detail: "too many member values in one request (at most " + strconv.Itoa(workspace.MaxSCIMGroupMembers) + ")"}
}

// filterValues extracts the ids of `value eq "a" or value eq "b"`.
func filterValues(e filter.Expression) ([]string, bool) {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		if x.Operator != filter.OR {
			return nil, false
		}
		l, lok := filterValues(x.Left)
		r, rok := filterValues(x.Right)
		return append(l, r...), lok && rok
	case *filter.AttributeExpression:
		v, ok := x.CompareValue.(string)
		return []string{v}, ok && x.Operator == filter.EQ && strings.EqualFold(x.AttributePath.AttributeName, "value") && x.AttributePath.SubAttribute == nil
	}
	return nil, false
}
