package scim

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// SchemaListResponse is the URN of list bodies (RFC 7644 §3.4.2).
const SchemaListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

// MaxResourceBytes bounds the stored document of one user.
const MaxResourceBytes = 64 << 10

// ours are the attributes Gatehouse computes; a client's values for them
// are not stored. "password" is never accepted: provisioned users sign in
// with SSO, and a directory must not set a password that would reach the
// account's other workspaces.
var ours = []string{"id", "meta", "schemas", "active", "password", "groups"}

// userDoc is the document of a member: the directory's record, or for a
// member it never provisioned, what Gatehouse knows (the account's email
// as userName and work email, its name).
func userDoc(su *store.SCIMUser) map[string]any {
	doc := map[string]any{}
	if su.Record != nil && len(su.Record.Resource) > 0 {
		var m map[string]any
		if decodeJSON(su.Record.Resource, &m) == nil && m != nil {
			doc = m
		}
	}
	if su.Record == nil {
		doc["userName"] = su.User.Email
		doc["displayName"] = su.User.Name
		doc["emails"] = []any{map[string]any{"value": su.User.Email, "type": "work", "primary": true}}
	} else {
		doc["userName"] = su.Record.UserName
		if su.Record.ExternalID != "" {
			doc["externalId"] = su.Record.ExternalID
		}
	}
	doc["active"] = su.Membership.Status != store.StatusArchived && !su.User.Archived
	return doc
}

// userResource is the JSON of a member: its document with id, schemas
// and meta.
func userResource(base string, su *store.SCIMUser) map[string]any {
	doc := userDoc(su)
	schemas := []any{SchemaUser}
	if _, ok := doc[SchemaEnterprise]; ok {
		schemas = append(schemas, SchemaEnterprise)
	}
	doc["schemas"], doc["id"] = schemas, su.User.ID
	created, modified := su.Membership.CreatedAt, su.Membership.UpdatedAt
	if su.Record != nil && su.Record.UpdatedAt.After(modified) {
		modified = su.Record.UpdatedAt
	}
	doc["meta"] = meta("User", base+"/Users/"+url.PathEscape(su.User.ID), created, modified)
	return doc
}

// meta is a resource's meta attribute.
func meta(resourceType, location string, created, modified time.Time) map[string]any {
	return map[string]any{"resourceType": resourceType, "created": created.UTC().Format(time.RFC3339),
		"lastModified": modified.UTC().Format(time.RFC3339), "location": location,
		"version": fmt.Sprintf(`W/"%d"`, modified.UnixNano())}
}

// userInput turns a document (POST, PUT, or after PATCH) into the
// service's input, refusing what cannot be stored.
func userInput(doc map[string]any) (workspace.SCIMUserInput, *Error) {
	doc = normalizeDoc(doc).(map[string]any)
	in := workspace.SCIMUserInput{UserName: str(doc["userName"]), ExternalID: str(doc["externalId"])}
	if in.UserName == "" {
		return in, badRequest(typeInvalidValue, "userName is required")
	}
	active, ok := boolish(doc["active"], true)
	if !ok {
		return in, badRequest(typeInvalidValue, "active must be a boolean")
	}
	in.Active = active
	in.Email = pickEmail(doc["emails"])
	if in.Email == "" {
		in.Email = in.UserName
	}
	in.DisplayName = str(doc["displayName"])
	if in.DisplayName == "" {
		if n, ok := doc["name"].(map[string]any); ok {
			in.DisplayName = str(n["formatted"])
			if in.DisplayName == "" {
				in.DisplayName = strings.TrimSpace(str(n["givenName"]) + " " + str(n["familyName"]))
			}
		}
	}
	keep := maps.Clone(doc)
	for _, k := range ours {
		delete(keep, k)
	}
	raw, err := json.Marshal(keep)
	if err != nil {
		return in, badRequest(typeInvalidValue, "the resource cannot be stored")
	}
	if len(raw) > MaxResourceBytes {
		return in, &Error{Status: 413, SCIMType: typeTooMany, Detail: fmt.Sprintf("the user resource is larger than %d bytes", MaxResourceBytes)}
	}
	in.Resource = raw
	return in, nil
}

// pickEmail chooses the account email among a user's emails: the work
// one, else the primary one, else the first.
func pickEmail(v any) string {
	list, _ := v.([]any)
	var work, primary, first string
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		val := str(m["value"])
		if val == "" {
			continue
		}
		if first == "" {
			first = val
		}
		if p, _ := boolish(m["primary"], false); p && primary == "" {
			primary = val
		}
		if strings.EqualFold(str(m["type"]), "work") && work == "" {
			work = val
		}
	}
	for _, c := range []string{work, primary, first} {
		if c != "" {
			return c
		}
	}
	return ""
}

// groupResource is the JSON of a directory group; members is nil when
// excluded (excludedAttributes=members).
func groupResource(base string, g *store.SCIMGroup, members []store.SCIMGroupMember, withMembers bool) map[string]any {
	doc := map[string]any{"schemas": []any{SchemaGroup}, "id": g.ID, "displayName": g.DisplayName,
		"meta": meta("Group", base+"/Groups/"+url.PathEscape(g.ID), g.CreatedAt, g.UpdatedAt)}
	if g.ExternalID != "" {
		doc["externalId"] = g.ExternalID
	}
	if withMembers {
		list := make([]any, 0, len(members))
		for _, m := range members {
			list = append(list, map[string]any{"value": m.UserID, "display": m.Email, "type": "User",
				"$ref": base + "/Users/" + url.PathEscape(m.UserID)})
		}
		doc["members"] = list
	}
	return doc
}

// project applies the attributes and excludedAttributes parameters to
// top-level attributes (id, schemas and meta are always returned).
func project(doc map[string]any, attributes, excluded []string) map[string]any {
	always := map[string]bool{"id": true, "schemas": true, "meta": true}
	if len(attributes) > 0 {
		out := map[string]any{}
		for k, v := range doc {
			if always[k] || containsFold(attributes, k) {
				out[k] = v
			}
		}
		return out
	}
	for k := range doc {
		if !always[k] && containsFold(excluded, k) {
			delete(doc, k)
		}
	}
	return doc
}

// containsFold reports whether list holds s in any case.
func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

// listResponse is a ListResponse body.
func listResponse(total, start int, resources []any) map[string]any {
	if resources == nil {
		resources = []any{}
	}
	return map[string]any{"schemas": []any{SchemaListResponse}, "totalResults": total, "startIndex": start,
		"itemsPerPage": len(resources), "Resources": resources}
}
