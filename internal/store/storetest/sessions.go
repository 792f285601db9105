package storetest

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func testSessions(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	c := mkSAMLConfig(t, s, w)
	mk := func(token, configID, nameID, index string) *store.Session {
		ss := &store.Session{TokenHash: hashOf(token), UserID: u.ID, WorkspaceID: w.ID, ConfigID: configID, NameID: nameID,
			NameIDFormat: "urn:persistent", SessionIndex: index, CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
		must(t, s.CreateSession(ctx(t), ss), "create "+token)
		return ss
	}
	pw := mk("password", "", "", "")
	sso1 := mk("sso1", c.ID, "n1", "idx1")
	mk("sso2", c.ID, "n1", "idx2")
	mk("sso3", c.ID, "n2", "idx1")
	wantErr(t, s.CreateSession(ctx(t), pw), store.ErrConflict, "same token twice")

	got, err := s.GetSession(ctx(t), hashOf("sso1"), t0)
	must(t, err, "get")
	if !bytes.Equal(got.TokenHash, sso1.TokenHash) || got.UserID != u.ID || got.WorkspaceID != w.ID || got.ConfigID != c.ID ||
		got.NameID != "n1" || got.NameIDFormat != "urn:persistent" || got.SessionIndex != "idx1" ||
		!got.CreatedAt.Equal(t0) || !got.ExpiresAt.Equal(sso1.ExpiresAt) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetSession(ctx(t), hashOf("sso1"), sso1.ExpiresAt)
	wantErr(t, err, store.ErrNotFound, "get at expiry")
	_, err = s.GetSession(ctx(t), hashOf("nope"), t0)
	wantErr(t, err, store.ErrNotFound, "unknown token")

	n, err := s.DeleteSSOSessions(ctx(t), c.ID, "n1", "idx2")
	must(t, err, "single logout by index")
	if n != 1 {
		t.Fatalf("deleted %d sessions for (n1, idx2), want 1", n)
	}
	n, err = s.DeleteSSOSessions(ctx(t), c.ID, "n1", "")
	must(t, err, "single logout by NameID")
	if n != 1 {
		t.Fatalf("deleted %d sessions for n1, want 1 (sso1)", n)
	}
	n, err = s.DeleteSSOSessions(ctx(t), "", "", "")
	must(t, err, "empty config")
	if n != 0 {
		t.Fatalf("an empty config ID deleted %d (password) sessions", n)
	}
	for token, alive := range map[string]bool{"password": true, "sso1": false, "sso2": false, "sso3": true} {
		_, err := s.GetSession(ctx(t), hashOf(token), t0)
		if alive {
			must(t, err, token+" should survive")
		} else {
			wantErr(t, err, store.ErrNotFound, token+" should be gone")
		}
	}

	must(t, s.DeleteSession(ctx(t), pw.TokenHash), "sign out")
	must(t, s.DeleteSession(ctx(t), pw.TokenHash), "sign out twice")
	_, err = s.GetSession(ctx(t), pw.TokenHash, t0)
	wantErr(t, err, store.ErrNotFound, "after sign out")
	wantErr(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("x"), UserID: "missing", ExpiresAt: t0}),
		store.ErrNotFound, "session of a missing user")
}

func testAPITokens(t *testing.T, s store.Store) {
	w, other, u := mkWorkspace(t, s), mkWorkspace(t, s), mkUser(t, s)
	a := &store.APIToken{WorkspaceID: w.ID, Name: "ci", TokenHash: hashOf("a"), CreatedBy: u.ID, CreatedAt: t0}
	b := &store.APIToken{WorkspaceID: w.ID, Name: "deploy", TokenHash: hashOf("b"), CreatedBy: u.ID, CreatedAt: t0.Add(time.Second), LastUsedAt: t0.Add(time.Hour)}
	must(t, s.CreateAPIToken(ctx(t), a), "create a")
	must(t, s.CreateAPIToken(ctx(t), b), "create b")
	must(t, s.CreateAPIToken(ctx(t), &store.APIToken{WorkspaceID: other.ID, Name: "x", TokenHash: hashOf("c")}), "create other")
	wantErr(t, s.CreateAPIToken(ctx(t), &store.APIToken{WorkspaceID: w.ID, TokenHash: hashOf("a")}), store.ErrConflict, "same hash")

	got, err := s.GetAPIToken(ctx(t), hashOf("b"))
	must(t, err, "get")
	if got.ID != b.ID || got.WorkspaceID != w.ID || got.Name != "deploy" || got.CreatedBy != u.ID ||
		!got.CreatedAt.Equal(b.CreatedAt) || !got.LastUsedAt.Equal(b.LastUsedAt) {
		t.Fatalf("got %+v", got)
	}
	first, err := s.GetAPIToken(ctx(t), hashOf("a"))
	must(t, err, "get a")
	if !first.LastUsedAt.IsZero() {
		t.Fatalf("never-used token has LastUsedAt %v", first.LastUsedAt)
	}
	_, err = s.GetAPIToken(ctx(t), hashOf("zzz"))
	wantErr(t, err, store.ErrNotFound, "unknown hash")

	list, err := s.ListAPITokens(ctx(t), w.ID)
	must(t, err, "list")
	if len(list) != 2 || list[0].Name != "ci" || list[1].Name != "deploy" {
		t.Fatalf("list = %+v", list)
	}
	wantErr(t, s.DeleteAPIToken(ctx(t), other.ID, a.ID), store.ErrNotFound, "delete through another workspace")
	must(t, s.DeleteAPIToken(ctx(t), w.ID, a.ID), "delete")
	wantErr(t, s.DeleteAPIToken(ctx(t), w.ID, a.ID), store.ErrNotFound, "delete twice")
	_, err = s.GetAPIToken(ctx(t), hashOf("a"))
	wantErr(t, err, store.ErrNotFound, "deleted token")
}
