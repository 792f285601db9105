package storetest

import (
	"bytes"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// mkOIDCClient registers an application in w.
func mkOIDCClient(t *testing.T, s store.Queries, w *store.Workspace) *store.OIDCClient {
	t.Helper()
	c := &store.OIDCClient{ID: uniq("client"), WorkspaceID: w.ID, Name: "App", SecretHash: hashOf("secret"),
		RedirectURIs: []string{"https://app.example/cb", "https://app.example/cb2"}, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateOIDCClient(ctx(t), c), "CreateOIDCClient")
	return c
}

func testOIDCClients(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	c := mkOIDCClient(t, s, w)
	c.PostLogoutRedirectURIs, c.AllowedGroups, c.MinRole, c.BackChannelLogoutURI = []string{"https://app.example/bye"}, []string{"eng", "a b"}, "builder", "https://app.example/bcl"
	c.UpdatedAt = t0.Add(time.Minute)
	must(t, s.UpdateOIDCClient(ctx(t), c), "update")
	wantErr(t, s.CreateOIDCClient(ctx(t), &store.OIDCClient{ID: c.ID, WorkspaceID: w.ID, Name: "dup"}), store.ErrConflict, "same ID")
	got, err := s.GetOIDCClient(ctx(t), w.ID, c.ID)
	must(t, err, "get")
	if got.Name != "App" || !bytes.Equal(got.SecretHash, hashOf("secret")) || got.Public ||
		!slices.Equal(got.RedirectURIs, c.RedirectURIs) || !slices.Equal(got.PostLogoutRedirectURIs, c.PostLogoutRedirectURIs) ||
		!slices.Equal(got.AllowedGroups, c.AllowedGroups) || got.MinRole != "builder" || got.BackChannelLogoutURI != c.BackChannelLogoutURI ||
		!got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetOIDCClient(ctx(t), other.ID, c.ID)
	wantErr(t, err, store.ErrNotFound, "get through another workspace")
	pub := &store.OIDCClient{ID: uniq("client"), WorkspaceID: w.ID, Name: "Another", Public: true, CreatedAt: t0}
	must(t, s.CreateOIDCClient(ctx(t), pub), "create public")
	list, err := s.ListOIDCClients(ctx(t), w.ID)
	must(t, err, "list")
	if len(list) != 2 || list[0].ID != pub.ID || !list[0].Public || list[0].SecretHash != nil || list[0].RedirectURIs != nil {
		t.Fatalf("list = %+v", list)
	}
	wantErr(t, s.DeleteOIDCClient(ctx(t), other.ID, c.ID), store.ErrNotFound, "delete through another workspace")
	must(t, s.DeleteOIDCClient(ctx(t), w.ID, c.ID), "delete")
	wantErr(t, s.UpdateOIDCClient(ctx(t), c), store.ErrNotFound, "update deleted")
}

func testOIDCAuthRequests(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	c := mkOIDCClient(t, s, w)
	r := &store.OIDCAuthRequest{WorkspaceID: w.ID, ClientID: c.ID, Data: []byte(`{"a":1}`), CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}
	must(t, s.CreateOIDCAuthRequest(ctx(t), r), "create")
	n, err := s.CountOIDCAuthRequests(ctx(t), w.ID, t0)
	must(t, err, "count")
	if n != 1 {
		t.Fatalf("count = %d", n)
	}
	must(t, s.UpdateOIDCAuthRequestData(ctx(t), w.ID, r.ID, []byte(`{"a":2}`)), "update")
	got, err := s.GetOIDCAuthRequest(ctx(t), w.ID, r.ID, t0)
	must(t, err, "get")
	if string(got.Data) != `{"a":2}` || got.ClientID != c.ID || !got.CreatedAt.Equal(t0) || !got.ExpiresAt.Equal(r.ExpiresAt) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetOIDCAuthRequest(ctx(t), w.ID, r.ID, r.ExpiresAt)
	wantErr(t, err, store.ErrNotFound, "get at expiry")
	must(t, s.SetOIDCAuthCode(ctx(t), w.ID, r.ID, hashOf("code")), "set code")
	wantErr(t, s.SetOIDCAuthCode(ctx(t), w.ID, r.ID, hashOf("code2")), store.ErrNotFound, "second code")
	wantErr(t, s.UpdateOIDCAuthRequestData(ctx(t), w.ID, r.ID, []byte(`{}`)), store.ErrNotFound, "update after code")
	_, err = s.ConsumeOIDCAuthCode(ctx(t), w.ID, hashOf("code"), r.ExpiresAt)
	wantErr(t, err, store.ErrNotFound, "consume expired")

	// Concurrent exchanges of one code: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, err := s.ConsumeOIDCAuthCode(ctx(t), w.ID, hashOf("code"), t0); err == nil && got.ID == r.ID {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent consumers got the code, want 1", wins)
	}
	must(t, s.DeleteOIDCAuthRequest(ctx(t), w.ID, r.ID), "delete gone (idempotent)")
}

func testOIDCRefreshTokens(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	c := mkOIDCClient(t, s, w)
	mk := func(token, family, sid, cfg, nameID, index string) *store.OIDCRefreshToken {
		r := &store.OIDCRefreshToken{TokenHash: hashOf(token), FamilyID: family, WorkspaceID: w.ID, ClientID: c.ID, UserID: u.ID,
			SessionID: sid, ConfigID: cfg, NameID: nameID, SessionIndex: index, Scopes: []string{"openid", "groups"}, AMR: []string{"ext"},
			AuthTime: t0, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		must(t, s.CreateOIDCRefreshToken(ctx(t), r), "create "+token)
		return r
	}
	a := mk("a", "", "sid1", "cfg", "n1", "i1")
	if a.FamilyID != a.ID {
		t.Fatalf("first token's family = %q, want its ID", a.FamilyID)
	}
	mk("b", a.FamilyID, "sid1", "cfg", "n1", "i1")
	mk("c", "", "sid2", "cfg", "n1", "i2")
	mk("d", "", "sid3", "", "", "")
	got, err := s.GetOIDCRefreshToken(ctx(t), w.ID, hashOf("a"))
	must(t, err, "get")
	if got.ID != a.ID || got.UserID != u.ID || got.SessionID != "sid1" || !slices.Equal(got.Scopes, a.Scopes) ||
		!slices.Equal(got.AMR, []string{"ext"}) || !got.AuthTime.Equal(t0) || !got.UsedAt.IsZero() || got.Revoked {
		t.Fatalf("got %+v", got)
	}
	must(t, s.MarkOIDCRefreshTokenUsed(ctx(t), hashOf("a"), t0), "mark used")
	wantErr(t, s.MarkOIDCRefreshTokenUsed(ctx(t), hashOf("a"), t0), store.ErrNotFound, "mark used twice")
	wantErr(t, s.MarkOIDCRefreshTokenUsed(ctx(t), hashOf("b"), t0.Add(time.Hour)), store.ErrNotFound, "mark expired")
	if got, _ := s.GetOIDCRefreshToken(ctx(t), w.ID, hashOf("a")); !got.UsedAt.Equal(t0) {
		t.Fatalf("used_at = %v", got.UsedAt)
	}
	_, err = s.RevokeOIDCRefreshTokens(ctx(t), store.OIDCTokenFilter{})
	if err == nil {
		t.Fatal("an empty filter revoked tokens")
	}
	grants, err := s.RevokeOIDCRefreshTokens(ctx(t), store.OIDCTokenFilter{ConfigID: "cfg", NameID: "n1", SessionIndex: "i2"})
	must(t, err, "revoke by SSO session")
	if len(grants) != 1 || grants[0].SessionID != "sid2" || grants[0].ClientID != c.ID || grants[0].UserID != u.ID {
		t.Fatalf("grants = %+v", grants)
	}
	grants, err = s.RevokeOIDCRefreshTokens(ctx(t), store.OIDCTokenFilter{WorkspaceID: w.ID, FamilyID: a.FamilyID})
	must(t, err, "revoke family")
	if len(grants) != 1 || grants[0].SessionID != "sid1" {
		t.Fatalf("family grants = %+v", grants)
	}
	grants, err = s.RevokeOIDCRefreshTokens(ctx(t), store.OIDCTokenFilter{WorkspaceID: w.ID, UserID: u.ID})
	must(t, err, "revoke member")
	if len(grants) != 1 || grants[0].SessionID != "sid3" {
		t.Fatalf("member grants = %+v (already revoked ones must not repeat)", grants)
	}
	if got, _ := s.GetOIDCRefreshToken(ctx(t), w.ID, hashOf("b")); !got.Revoked {
		t.Fatal("family member b not revoked")
	}
	wantErr(t, s.MarkOIDCRefreshTokenUsed(ctx(t), hashOf("d"), t0), store.ErrNotFound, "mark revoked")
	n, err := s.DeleteExpired(ctx(t), t0.Add(time.Hour), time.Hour)
	must(t, err, "DeleteExpired")
	if n < 4 {
		t.Fatalf("DeleteExpired removed %d rows, want the 4 expired refresh tokens", n)
	}
	_, err = s.GetOIDCRefreshToken(ctx(t), w.ID, hashOf("a"))
	wantErr(t, err, store.ErrNotFound, "expired token swept")
}

func testOIDCKeysAndSecrets(t *testing.T, s store.Store) {
	k1 := &store.OIDCSigningKey{ID: uniq("k"), Algorithm: "RS256", PrivatePEM: "pem1", CreatedAt: t0, SignFrom: t0}
	k2 := &store.OIDCSigningKey{ID: uniq("k"), Algorithm: "RS256", PrivatePEM: "pem2", CreatedAt: t0, SignFrom: t0.Add(time.Minute)}
	must(t, s.CreateOIDCSigningKey(ctx(t), k1), "create k1")
	must(t, s.CreateOIDCSigningKey(ctx(t), k2), "create k2")
	must(t, s.RetireOIDCSigningKeys(ctx(t), k2.SignFrom, k2.SignFrom.Add(time.Hour)), "retire")
	keys, err := s.ListOIDCSigningKeys(ctx(t), t0)
	must(t, err, "list")
	if len(keys) != 2 || keys[0].ID != k1.ID || !keys[0].RetireAt.Equal(k2.SignFrom.Add(time.Hour)) || !keys[1].RetireAt.IsZero() || keys[1].PrivatePEM != "pem2" {
		t.Fatalf("keys = %+v", keys)
	}
	keys, err = s.ListOIDCSigningKeys(ctx(t), k2.SignFrom.Add(time.Hour))
	must(t, err, "list after retirement")
	if len(keys) != 1 || keys[0].ID != k2.ID {
		t.Fatalf("keys after retirement = %+v", keys)
	}
	if _, err := s.DeleteExpired(ctx(t), k2.SignFrom.Add(time.Hour), time.Hour); err != nil {
		t.Fatal(err)
	}
	v, err := s.EnsureOIDCSecret(ctx(t), "x", []byte("first"), t0)
	must(t, err, "ensure first")
	v2, err := s.EnsureOIDCSecret(ctx(t), "x", []byte("second"), t0)
	must(t, err, "ensure second")
	if string(v) != "first" || string(v2) != "first" {
		t.Fatalf("secret = %q, %q; want the first value kept", v, v2)
	}
}

func testOIDCLogoutGrants(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	c := mkOIDCClient(t, s, w)
	g := &store.OIDCLogoutGrant{OIDCGrant: store.OIDCGrant{WorkspaceID: w.ID, ClientID: c.ID, UserID: u.ID, SessionID: "sid1"},
		ConfigID: "cfg", NameID: "n1", SessionIndex: "i1", ExpiresAt: t0.Add(time.Hour)}
	must(t, s.SaveOIDCLogoutGrant(ctx(t), g), "save")
	must(t, s.SaveOIDCLogoutGrant(ctx(t), g), "save again (idempotent)")
	g2 := *g
	g2.SessionID, g2.SessionIndex = "sid2", "i2"
	must(t, s.SaveOIDCLogoutGrant(ctx(t), &g2), "save second")
	got, err := s.TakeOIDCLogoutGrants(ctx(t), store.OIDCTokenFilter{ConfigID: "cfg", NameID: "n1", SessionIndex: "i2"})
	must(t, err, "take by SSO session")
	if len(got) != 1 || got[0] != g2.OIDCGrant {
		t.Fatalf("taken = %+v", got)
	}
	got, err = s.TakeOIDCLogoutGrants(ctx(t), store.OIDCTokenFilter{WorkspaceID: w.ID, UserID: u.ID})
	must(t, err, "take by member")
	if len(got) != 1 || got[0] != g.OIDCGrant {
		t.Fatalf("taken = %+v", got)
	}
	got, err = s.TakeOIDCLogoutGrants(ctx(t), store.OIDCTokenFilter{WorkspaceID: w.ID, UserID: u.ID})
	must(t, err, "take again")
	if len(got) != 0 {
		t.Fatalf("grants taken twice: %+v", got)
	}
	must(t, s.SaveOIDCLogoutGrant(ctx(t), g), "save for expiry")
	if _, err := s.DeleteExpired(ctx(t), g.ExpiresAt, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TakeOIDCLogoutGrants(ctx(t), store.OIDCTokenFilter{SessionID: "sid1"}); len(got) != 0 {
		t.Fatalf("expired grant not swept: %+v", got)
	}
}
