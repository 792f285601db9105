package scim_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// TestDeactivationEndsAccess: active:false archives the membership at
// once: the member's session and API token stop working on the next
// request; the audit log names the identity provider; reactivation works.
func TestDeactivationEndsAccess(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		dana := e.mkUser("dana")
		if err := e.Svc.SetMemberRole(ctx, e.Admin.ID, e.WS.ID, dana, workspace.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		const sessionToken = "dana-session-token-0123456789abcdef0123456789"
		now := time.Now()
		if err := e.Store.CreateSession(ctx, &store.Session{TokenHash: workspace.HashToken(sessionToken), UserID: dana, WorkspaceID: e.WS.ID,
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		apiToken, _, err := e.Svc.CreateAPIToken(ctx, dana, e.WS.ID, "dana's script")
		if err != nil {
			t.Fatal(err)
		}
		api := func() int {
			req, _ := http.NewRequestWithContext(ctx, "GET", e.URL+"/api/v1/workspaces/acme/members", nil)
			req.Header.Set("Authorization", "Bearer "+apiToken)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if _, err := e.Svc.Authenticate(ctx, sessionToken); err != nil {
			t.Fatalf("session before: %v", err)
		}
		if s := api(); s != 200 {
			t.Fatalf("API token before: %d", s)
		}

		e.do("PATCH", "/Users/"+dana, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "Replace", "path": "active", "value": "False"}}}).want(t, 200, "deactivate").eq(t, "active", false, "deactivate")
		if _, err := e.Svc.Authenticate(ctx, sessionToken); err == nil {
			t.Fatal("the session still works after active:false")
		}
		if s := api(); s == 200 {
			t.Fatal("the API token still works after active:false")
		}
		evs, err := e.Store.ListAudit(ctx, store.AuditFilter{WorkspaceID: e.WS.ID, UserID: dana, Kind: workspace.KindMembershipStatus, Limit: 5})
		if err != nil || len(evs) == 0 || evs[0].ActorID != "" {
			t.Fatalf("archive audit: %+v %v (want an event whose actor is the IdP, \"\")", evs, err)
		}
		wantAudit(t, e, dana, workspace.KindSCIMUser, "PATCH")

		e.do("PATCH", "/Users/"+dana, map[string]any{"schemas": []any{patchOp}, "Operations": []any{
			map[string]any{"op": "replace", "value": map[string]any{"active": true}}}}).want(t, 200, "reactivate").eq(t, "active", true, "reactivate")
		if m, _ := e.Store.GetMembership(ctx, e.WS.ID, dana); m.Status != store.StatusActive {
			t.Fatalf("after reactivation: %s", m.Status)
		}
		// The archive path deleted them: reactivation revives neither.
		if s := api(); s == 200 {
			t.Fatal("the API token came back with the reactivation")
		}
		if _, err := e.Svc.Authenticate(ctx, sessionToken); err == nil {
			t.Fatal("the session came back with the reactivation")
		}
		// PUT with active false archives too.
		body := entraUser("dana@contoso.example", "ext-dana", "dana@contoso.example")
		body["active"] = false
		e.do("PUT", "/Users/"+dana, body).want(t, 200, "put inactive").eq(t, "active", false, "put inactive")
	})
}
