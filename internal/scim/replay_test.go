package scim_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// The request sequence of Microsoft's "Develop a SCIM endpoint" tutorial
// (its user and group operations), with our own test data, replayed
// against the real web handler; each step checks the response the
// tutorial shows.

const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// entraUser is the create-user body Entra sends (the tutorial's shape).
func entraUser(userName, externalID, email string) map[string]any {
	return map[string]any{
		"schemas":    []any{"urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
		"externalId": externalID,
		"userName":   userName,
		"active":     true,
		"emails":     []any{map[string]any{"primary": true, "type": "work", "value": email}},
		"meta":       map[string]any{"resourceType": "User"},
		"name":       map[string]any{"formatted": "Grace Hopper", "familyName": "Hopper", "givenName": "Grace"},
		"roles":      []any{},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "Research"},
	}
}

func filterQ(f string) string { return "?filter=" + url.QueryEscape(f) }

func TestReplayUsers(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		const userName = "Test_User_7f3c2a10@contoso.example"
		// Create User: 201 with the resource, its id and meta.
		r := e.do("POST", "/Users", entraUser(userName, "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "grace.hopper@contoso.example")).want(t, 201, "create user")
		id, _ := r.Body["id"].(string)
		if id == "" || r.Header.Get("Location") != e.base()+"/Users/"+id {
			t.Fatalf("create user: id %q, Location %q", id, r.Header.Get("Location"))
		}
		r.eq(t, "userName", userName, "create user")
		r.eq(t, "active", true, "create user")
		r.eq(t, "externalId", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "create user")
		r.eq(t, "emails.0.value", "grace.hopper@contoso.example", "create user")
		r.eq(t, "name.givenName", "Grace", "create user")
		r.eq(t, "meta.resourceType", "User", "create user")
		r.eq(t, "meta.location", e.base()+"/Users/"+id, "create user")
		if ext, _ := r.Body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any); ext["department"] != "Research" {
			t.Fatalf("create user: enterprise extension %v", ext)
		}
		m, err := e.Store.GetMembership(t.Context(), e.WS.ID, id)
		if err != nil || m.Status != store.StatusActive || m.Role != workspace.RoleEndUser {
			t.Fatalf("create user: membership %+v, %v; want active end-user", m, err)
		}

		// The same create again (Entra retries): one member, then 409 uniqueness.
		e.do("POST", "/Users", entraUser(userName, "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "grace.hopper@contoso.example")).
			scimError(t, 409, "uniqueness", "create user again")

		// Get User.
		r = e.do("GET", "/Users/"+id, nil).want(t, 200, "get user")
		r.eq(t, "id", id, "get user")
		r.eq(t, "userName", userName, "get user")
		r.eq(t, "name.familyName", "Hopper", "get user")

		// Get User by query.
		r = e.do("GET", "/Users"+filterQ(`userName eq "`+userName+`"`), nil).want(t, 200, "get user by query")
		r.eq(t, "schemas.0", "urn:ietf:params:scim:api:messages:2.0:ListResponse", "get user by query")
		r.eq(t, "totalResults", float64(1), "get user by query")
		r.eq(t, "Resources.0.id", id, "get user by query")
		r.eq(t, "Resources.0.userName", userName, "get user by query")

		// Get User by query - zero results: 200 with an empty list.
		r = e.do("GET", "/Users"+filterQ(`userName eq "non-existent user"`), nil).want(t, 200, "get user by query, zero results")
		r.eq(t, "totalResults", float64(0), "zero results")
		if res, ok := r.Body["Resources"].([]any); !ok || len(res) != 0 {
			t.Fatalf("zero results: Resources = %#v, want []", r.Body["Resources"])
		}

		// Update User [multi-valued properties].
		r = e.do("PATCH", "/Users/"+id, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Replace", "path": `emails[type eq "work"].value`, "value": "updated.email@contoso.example"},
			map[string]any{"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
		}}).want(t, 200, "update multi-valued")
		r.eq(t, "emails.0.value", "updated.email@contoso.example", "update multi-valued")
		r.eq(t, "emails.0.type", "work", "update multi-valued")
		r.eq(t, "name.familyName", "updatedFamilyName", "update multi-valued")
		r.eq(t, "name.givenName", "Grace", "update multi-valued")

		// Update User [single-valued properties].
		const newName = "5b50642d-79fc-4410-9e90-4c077cdd1a59@contoso.example"
		r = e.do("PATCH", "/Users/"+id, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Replace", "path": "userName", "value": newName},
		}}).want(t, 200, "update single-valued")
		r.eq(t, "userName", newName, "update single-valued")
		e.do("GET", "/Users"+filterQ(`userName eq "`+newName+`"`), nil).want(t, 200, "query new userName").eq(t, "totalResults", float64(1), "query new userName")

		// Disable User: the membership is archived at once, by the IdP.
		r = e.do("PATCH", "/Users/"+id, map[string]any{"Operations": []any{
			map[string]any{"op": "Replace", "path": "active", "value": false},
		}, "schemas": []any{patchOp}}).want(t, 200, "disable user")
		r.eq(t, "active", false, "disable user")
		if m, err := e.Store.GetMembership(t.Context(), e.WS.ID, id); err != nil || m.Status != store.StatusArchived {
			t.Fatalf("disable user: membership %+v %v, want archived", m, err)
		}
		wantAudit(t, e, id, workspace.KindMembershipStatus, "")

		// Delete User.
		e.do("DELETE", "/Users/"+id, nil).want(t, 204, "delete user")
		e.do("GET", "/Users/"+id, nil).scimError(t, 404, "", "get deleted user")
		if _, err := e.Store.GetMembership(t.Context(), e.WS.ID, id); err == nil {
			t.Fatal("delete user: the membership is still there")
		}
		if _, err := e.Store.GetUser(t.Context(), id); err != nil {
			t.Fatalf("delete user removed the instance account: %v", err)
		}
		wantAudit(t, e, id, workspace.KindSCIMUser, "DELETE")
	})
}

func TestReplayGroups(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		u := e.do("POST", "/Users", entraUser("Test_User_member@contoso.example", "ext-member", "member@contoso.example")).want(t, 201, "create member")
		userID := u.Body["id"].(string)

		// Create Group: 201 with no members.
		r := e.do("POST", "/Groups", map[string]any{
			"schemas":     []any{"urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"},
			"externalId":  "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
			"displayName": "displayName",
			"meta":        map[string]any{"resourceType": "Group"},
		}).want(t, 201, "create group")
		id, _ := r.Body["id"].(string)
		r.eq(t, "displayName", "displayName", "create group")
		r.eq(t, "externalId", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "create group")
		r.eq(t, "meta.resourceType", "Group", "create group")
		if ms, ok := r.Body["members"].([]any); !ok || len(ms) != 0 {
			t.Fatalf("create group: members %#v, want []", r.Body["members"])
		}
		e.do("POST", "/Groups", map[string]any{"displayName": "displayName"}).scimError(t, 409, "uniqueness", "create group again")

		// Get Group, without members.
		r = e.do("GET", "/Groups/"+id+"?excludedAttributes=members", nil).want(t, 200, "get group")
		r.eq(t, "id", id, "get group")
		if _, has := r.Body["members"]; has {
			t.Fatalf("get group: members present despite excludedAttributes=members: %s", r.Raw)
		}

		// Get Group by displayName.
		r = e.do("GET", "/Groups?excludedAttributes=members&"+filterQ(`displayName eq "displayName"`)[1:], nil).want(t, 200, "get group by displayName")
		r.eq(t, "totalResults", float64(1), "get group by displayName")
		r.eq(t, "Resources.0.id", id, "get group by displayName")

		// Update Group [non-member attributes]: 204.
		const renamed = "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
		e.do("PATCH", "/Groups/"+id, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Replace", "path": "displayName", "value": renamed},
		}}).want(t, 204, "update group")
		e.do("GET", "/Groups/"+id, nil).want(t, 200, "get renamed group").eq(t, "displayName", renamed, "get renamed group")

		// Update Group [add members]: 204.
		e.do("PATCH", "/Groups/"+id, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Add", "path": "members", "value": []any{map[string]any{"$ref": nil, "value": userID}}},
		}}).want(t, 204, "add members")
		r = e.do("GET", "/Groups/"+id, nil).want(t, 200, "get group with member")
		r.eq(t, "members.0.value", userID, "get group with member")

		// Update Group [remove members]: 204.
		e.do("PATCH", "/Groups/"+id, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Remove", "path": "members", "value": []any{map[string]any{"$ref": nil, "value": userID}}},
		}}).want(t, 204, "remove members")
		r = e.do("GET", "/Groups/"+id, nil).want(t, 200, "get group after removal")
		if ms, _ := r.Body["members"].([]any); len(ms) != 0 {
			t.Fatalf("remove members: still %v", ms)
		}

		// Delete Group.
		e.do("DELETE", "/Groups/"+id, nil).want(t, 204, "delete group")
		e.do("GET", "/Groups/"+id, nil).scimError(t, 404, "", "get deleted group")
		wantAudit(t, e, "", workspace.KindSCIMGroup, "DELETE")
	})
}

// wantAudit fails unless the workspace's audit log has an event of kind
// (for userID when not "") whose details name the verb (when not "").
func wantAudit(t *testing.T, e *env, userID, kind, verb string) {
	t.Helper()
	evs, err := e.Store.ListAudit(t.Context(), store.AuditFilter{WorkspaceID: e.WS.ID, UserID: userID, Kind: kind, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Kind == kind && (verb == "" || containsJSON(ev.Details, `"verb":"`+verb+`"`)) {
			return
		}
	}
	t.Fatalf("no %s audit event (verb %q) for %q among %d events", kind, verb, userID, len(evs))
}

func containsJSON(b []byte, s string) bool { return strings.Contains(string(b), s) }
