package scim_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

const adminsGUID = "0b6c1f2e-5a4d-4c3b-9e8f-7d6a5b4c9a87"

// mkUser provisions a user by SCIM and returns its id.
func (e *env) mkUser(local string) string {
	e.t.Helper()
	r := e.do("POST", "/Users", entraUser(local+"@contoso.example", "ext-"+local, local+"@contoso.example")).want(e.t, 201, "create "+local)
	return r.Body["id"].(string)
}

// role reads a member's role and custom groups.
func (e *env) role(userID string) (string, []string) {
	e.t.Helper()
	m, err := e.Store.GetMembership(e.t.Context(), e.WS.ID, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	gs, err := e.Store.MemberGroups(e.t.Context(), e.WS.ID, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return m.Role, names
}

func members(ids ...string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"value": id}
	}
	return out
}

func patchMembers(op string, ids ...string) map[string]any {
	return map[string]any{"schemas": []any{patchOp}, "Operations": []any{map[string]any{"op": op, "path": "members", "value": members(ids...)}}}
}

// TestGroupPushRules: directory groups go through the group sync rules:
// mappings by Object ID (externalId) or display name, highest role wins,
// custom groups with edit rights make a builder, the last admin is kept.
func TestGroupPushRules(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		if _, err := e.Svc.CreateGroup(ctx, "", e.WS.ID, "Engineering", true); err != nil {
			t.Fatal(err)
		}
		e.Mappings = map[string]string{adminsGUID: "admin", "Eng Team": "Engineering"}
		alice, bob := e.mkUser("alice"), e.mkUser("bob")

		e.do("POST", "/Groups", map[string]any{"displayName": "Gatehouse Admins", "externalId": adminsGUID, "members": members(alice)}).want(t, 201, "admins group")
		if r, _ := e.role(alice); r != workspace.RoleAdmin {
			t.Fatalf("alice: role %s after the admins group push, want admin (mapped by Object ID)", r)
		}
		eng := e.do("POST", "/Groups", map[string]any{"displayName": "Eng Team", "externalId": "5e8f0000-1111-2222-3333-444455554a5b"}).want(t, 201, "eng group").Body["id"].(string)
		e.do("PATCH", "/Groups/"+eng, patchMembers("Add", alice, bob)).want(t, 204, "add to eng")
		if r, gs := e.role(bob); r != workspace.RoleBuilder || strings.Join(gs, ",") != "Engineering" {
			t.Fatalf("bob: %s %v, want builder in Engineering (mapped by display name)", r, gs)
		}
		if r, gs := e.role(alice); r != workspace.RoleAdmin || strings.Join(gs, ",") != "Engineering" {
			t.Fatalf("alice: %s %v, want admin (highest role wins) in Engineering", r, gs)
		}
		aliceToken, _, err := e.Svc.CreateAPIToken(ctx, alice, e.WS.ID, "alice's script")
		if err != nil {
			t.Fatal(err)
		}
		admins := e.do("GET", "/Groups?filter="+strings.ReplaceAll(`externalId eq "`+adminsGUID+`"`, " ", "%20"), nil).want(t, 200, "find admins").Body
		adminsID := admins["Resources"].([]any)[0].(map[string]any)["id"].(string)
		e.do("PATCH", "/Groups/"+adminsID, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Remove", "path": `members[value eq "` + alice + `"]`}}}).want(t, 204, "remove alice from admins")
		if r, _ := e.role(alice); r != workspace.RoleBuilder {
			t.Fatalf("alice: %s after leaving the admins group, want builder", r)
		}
		if _, err := e.Svc.AuthenticateAPIToken(ctx, aliceToken); err == nil {
			t.Fatal("alice's API token survived her demotion by the directory")
		}
		wantAudit(t, e, alice, workspace.KindGroupSync, "PATCH")

		// The last active admin is never demoted by a push, nor deactivated.
		adm := e.do("POST", "/Users", entraUser("admin@acme.example", "ext-admin", "admin@acme.example")).want(t, 201, "link the existing admin").Body["id"].(string)
		if adm != e.Admin.ID {
			t.Fatalf("the existing admin was not matched by email: %s vs %s", adm, e.Admin.ID)
		}
		e.do("PATCH", "/Groups/"+eng, patchMembers("add", adm)).want(t, 204, "add the admin to eng")
		if r, _ := e.role(adm); r != workspace.RoleAdmin {
			t.Fatalf("last admin demoted to %s", r)
		}
		e.do("PATCH", "/Users/"+adm, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "replace", "value": map[string]any{"active": "False"}}}}).scimError(t, 400, "invalidValue", "deactivate the last admin")
		if m, _ := e.Store.GetMembership(ctx, e.WS.ID, adm); m.Status != store.StatusActive {
			t.Fatalf("last admin status %s", m.Status)
		}
		e.do("DELETE", "/Users/"+adm, nil).scimError(t, 400, "invalidValue", "delete the last admin")

		// Deleting a group re-runs sync for its members.
		e.do("DELETE", "/Groups/"+eng, nil).want(t, 204, "delete eng")
		if r, gs := e.role(bob); r != workspace.RoleBuilder || len(gs) != 0 {
			t.Fatalf("bob after the group's deletion: %s %v, want builder (nothing matched: role kept) without groups", r, gs)
		}
	})
}

// TestSAMLClaimCannotUndoSCIM: once SCIM pushed a group, the groups claim
// of a SAML sign-in no longer changes roles or groups.
func TestSAMLClaimCannotUndoSCIM(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		cfg := &store.SAMLConfig{WorkspaceID: e.WS.ID, Enabled: true, GroupSync: true, GroupAttribute: "groups", IdPInitiated: store.IdPInitiatedAccept}
		if err := e.Store.SaveSAMLConfig(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		carol := e.mkUser("carol")
		login := func(n int, groups ...string) {
			t.Helper()
			_, err := e.Svc.CompleteSAMLLogin(ctx, workspace.SAMLLogin{Workspace: e.WS, Config: cfg,
				Identity:    workspace.SSOIdentity{NameID: "carol-nameid", Email: "carol@contoso.example", Groups: groups},
				AssertionID: fmt.Sprintf("assertion-%d", n), AssertionExpiresAt: time.Now().Add(5 * time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
		}
		login(1, "builder") // no SCIM group yet: the claim applies
		if r, _ := e.role(carol); r != workspace.RoleBuilder {
			t.Fatalf("before SCIM groups: role %s, want builder from the claim", r)
		}
		e.do("POST", "/Groups", map[string]any{"displayName": "end-user", "members": members(carol)}).want(t, 201, "push group")
		if r, _ := e.role(carol); r != workspace.RoleEndUser {
			t.Fatalf("after the push: role %s, want end-user", r)
		}
		login(2, "admin") // the claim says admin; SCIM is authoritative
		if r, _ := e.role(carol); r != workspace.RoleEndUser {
			t.Fatalf("a SAML sign-in undid the SCIM push: role %s", r)
		}
		evs, err := e.Store.ListAudit(ctx, store.AuditFilter{WorkspaceID: e.WS.ID, Kind: workspace.KindGroupSyncSkipped, Limit: 5})
		if err != nil || len(evs) == 0 || evs[0].Reason != workspace.ReasonSCIMAuthoritative {
			t.Fatalf("no groupsync.skipped scim_authoritative event: %+v %v", evs, err)
		}
		// Revoking the token turns provisioning off: the claim applies again.
		if err := e.Svc.RevokeSCIMToken(ctx, e.Admin.ID, e.WS.ID); err != nil {
			t.Fatal(err)
		}
		login(3, "admin")
		if r, _ := e.role(carol); r != workspace.RoleAdmin {
			t.Fatalf("after revoking the SCIM token: role %s, want admin from the claim", r)
		}
	})
}

// TestConcurrentRequests: Entra runs requests in parallel and retries.
func TestConcurrentRequests(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		const n = 8
		// The same create n times at once: one member, the rest 409.
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- e.do("POST", "/Users", entraUser("dup@contoso.example", "ext-dup", "dup@contoso.example")).Status
			}()
		}
		wg.Wait()
		close(statuses)
		created := 0
		for s := range statuses {
			switch s {
			case 201:
				created++
			case 409:
			default:
				t.Fatalf("concurrent create: status %d", s)
			}
		}
		if created != 1 {
			t.Fatalf("concurrent create: %d created, want 1", created)
		}
		list := e.do("GET", "/Users?filter="+strings.ReplaceAll(`userName eq "dup@contoso.example"`, " ", "%20"), nil).want(t, 200, "list dup")
		list.eq(t, "totalResults", float64(1), "list dup")

		// Concurrent PATCHes of one group lose no member.
		g := e.do("POST", "/Groups", map[string]any{"displayName": "Everyone"}).want(t, 201, "group").Body["id"].(string)
		ids := make([]string, n)
		for i := range ids {
			ids[i] = e.mkUser(fmt.Sprintf("member%d", i))
		}
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := e.do("PATCH", "/Groups/"+g, patchMembers("Add", id)); r.Status != 204 {
					t.Errorf("concurrent PATCH: %d %s", r.Status, r.Raw)
				}
			}()
		}
		wg.Wait()
		got := e.do("GET", "/Groups/"+g, nil).want(t, 200, "get group").Body["members"].([]any)
		if len(got) != n {
			t.Fatalf("%d members after %d concurrent PATCHes", len(got), n)
		}

		// Concurrent pushes of several groups with the same members, in
		// opposite orders (Entra's initial cycle): no deadlock, nothing lost.
		const k = 4
		gids := make([]string, k)
		for i := range gids {
			gids[i] = e.do("POST", "/Groups", map[string]any{"displayName": fmt.Sprintf("Team %d", i)}).want(t, 201, "team").Body["id"].(string)
		}
		for i, gid := range gids {
			order := slices.Clone(ids)
			if i%2 == 1 {
				slices.Reverse(order)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := e.do("PATCH", "/Groups/"+gid, patchMembers("Add", order...)); r.Status != 204 {
					t.Errorf("concurrent overlapping PATCH: %d %s", r.Status, r.Raw)
				}
			}()
		}
		wg.Wait()
		for _, gid := range gids {
			if got := e.do("GET", "/Groups/"+gid, nil).want(t, 200, "get team").Body["members"].([]any); len(got) != n {
				t.Fatalf("team %s: %d members, want %d", gid, len(got), n)
			}
		}
	})
}

// TestBoundsAndAuth: bodies, filters, members per PATCH and page sizes are
// bounded; tokens are per workspace, rotatable and revocable; wrong
// tokens are rate-limited.
func TestBoundsAndAuth(t *testing.T) {
	e := newEnv(t, storeForSingleTests(t))
	ctx := t.Context()
	e.do("POST", "/Users", `{"userName":"`+strings.Repeat("a", 2<<20)+`"}`).scimError(t, 413, "tooMany", "huge body")
	e.do("GET", "/Users?filter="+strings.Repeat("a", 2000), nil).scimError(t, 400, "invalidFilter", "long filter")
	e.do("GET", "/Users?filter=userName%20co%20%22a%22", nil).scimError(t, 400, "invalidFilter", "unsupported filter")
	g := e.do("POST", "/Groups", map[string]any{"displayName": "Big"}).want(t, 201, "group").Body["id"].(string)
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("u%d", i)
	}
	e.do("PATCH", "/Groups/"+g, patchMembers("add", many...)).scimError(t, 413, "tooMany", "too many members")
	e.do("PATCH", "/Groups/"+g, patchMembers("add", "not-a-member")).scimError(t, 400, "invalidValue", "unknown member")
	e.do("GET", "/Users?count=100000", nil).want(t, 200, "big count")

	// Pagination, projections and the other user filters over HTTP.
	var ids []string
	for _, n := range []string{"p1", "p2", "p3"} {
		ids = append(ids, e.mkUser(n))
	}
	r := e.do("GET", "/Users?startIndex=3&count=1", nil).want(t, 200, "page")
	r.eq(t, "totalResults", float64(4), "page")
	r.eq(t, "startIndex", float64(3), "page")
	r.eq(t, "itemsPerPage", float64(1), "page")
	r.eq(t, "Resources.0.id", ids[1], "page") // the admin is first (oldest membership)
	e.do("GET", "/Users?count=0", nil).want(t, 200, "count 0").eq(t, "itemsPerPage", float64(0), "count 0")
	e.do("GET", "/Users?startIndex=x", nil).scimError(t, 400, "invalidValue", "bad startIndex")
	r = e.do("GET", "/Users/"+ids[0]+"?attributes=userName", nil).want(t, 200, "attributes")
	if _, has := r.Body["emails"]; has || r.Body["userName"] != "p1@contoso.example" || r.Body["id"] != ids[0] {
		t.Fatalf("attributes=userName: %s", r.Raw)
	}
	for _, f := range []string{`externalId eq "ext-p2"`, `emails[type eq "work"].value eq "P2@contoso.example"`, `emails.value eq "p2@contoso.example"`} {
		e.do("GET", "/Users?filter="+url.QueryEscape(f), nil).want(t, 200, f).eq(t, "Resources.0.id", ids[1], f)
	}
	e.do("GET", "/Users/"+e.Admin.ID, nil).want(t, 200, "admin as a user").eq(t, "userName", "admin@acme.example", "admin as a user")
	e.do("GET", "/Users/nope", nil).scimError(t, 404, "", "unknown user")
	e.do("GET", "/Groups/nope", nil).scimError(t, 404, "", "unknown group")
	e.do("GET", "/ServiceProviderConfig", nil).want(t, 200, "spc").eq(t, "patch.supported", true, "spc")
	e.do("GET", "/ResourceTypes", nil).want(t, 200, "resource types").eq(t, "totalResults", float64(2), "resource types")
	e.do("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", nil).want(t, 200, "user schema")

	// Another workspace: its token does not open acme, acme's ids are 404 there.
	other, err := e.Svc.CreateWorkspace(ctx, "", "Other", "other")
	if err != nil {
		t.Fatal(err)
	}
	otherTok, err := e.Svc.CreateSCIMToken(ctx, "", other.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.doToken(otherTok, "GET", "/Users", nil).scimError(t, 401, "", "other workspace's token")
	req, _ := http.NewRequestWithContext(ctx, "DELETE", e.URL+"/scim/v2/other/Users/"+e.Admin.ID, nil)
	req.Header.Set("Authorization", "Bearer "+otherTok)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 404 {
		t.Fatalf("deleting acme's member through other: %v %v", res.StatusCode, err)
	}
	if _, err := e.Store.GetMembership(ctx, e.WS.ID, e.Admin.ID); err != nil {
		t.Fatalf("acme's member was touched: %v", err)
	}

	// Rotation and revocation take effect at once.
	old := e.Token
	newTok, err := e.Svc.CreateSCIMToken(ctx, e.Admin.ID, e.WS.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.doToken(old, "GET", "/Users", nil).scimError(t, 401, "", "rotated token")
	e.doToken(newTok, "GET", "/Users", nil).want(t, 200, "new token")
	if err := e.Svc.RevokeSCIMToken(ctx, e.Admin.ID, e.WS.ID); err != nil {
		t.Fatal(err)
	}
	e.doToken(newTok, "GET", "/Users", nil).scimError(t, 401, "", "revoked token")

	// Wrong tokens: after the burst, 429 even for the right token.
	for range 12 {
		e.doToken("gtscim_wrong", "GET", "/Users", nil)
	}
	e.doToken(otherTok, "GET", "/Users", nil).scimError(t, 429, "", "rate-limited")

	// Metrics: bounded labels (resource, method, code), never a slug or an id.
	res, err := http.Get(e.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{`gatehouse_scim_requests_total{code="201",method="POST",resource="Groups"} 1`,
		`gatehouse_scim_requests_total{code="429",method="GET",resource="Users"} `,
		`gatehouse_scim_requests_total{code="404",method="GET",resource="Groups"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(string(body), e.Admin.ID) {
		t.Error("a metric label carries an id")
	}
}

// storeForSingleTests is SQLite: tests that exercise the protocol rather
// than the store run once.
func storeForSingleTests(t *testing.T) store.Store { return openSQLite(t) }
