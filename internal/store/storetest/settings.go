package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testLoginSettings(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	def, err := s.GetLoginSettings(ctx(t), w.ID)
	must(t, err, "defaults")
	if def.WorkspaceID != w.ID || !def.PasswordLogin || def.Signup || def.AutoSSO || len(def.AllowedDomains) != 0 {
		t.Fatalf("defaults = %+v, want password login only", def)
	}
	in := &store.LoginSettings{WorkspaceID: w.ID, PasswordLogin: false, Signup: true,
		AllowedDomains: []string{"Example.com", "corp.example.org"}, AutoSSO: true, UpdatedAt: t0}
	must(t, s.SaveLoginSettings(ctx(t), in), "save")
	got, err := s.GetLoginSettings(ctx(t), w.ID)
	must(t, err, "get")
	if got.PasswordLogin || !got.Signup || !got.AutoSSO || !got.UpdatedAt.Equal(t0) ||
		!sameStrings(got.AllowedDomains, []string{"example.com", "corp.example.org"}) {
		t.Fatalf("got %+v", got)
	}
	in = &store.LoginSettings{WorkspaceID: w.ID, PasswordLogin: true, UpdatedAt: t0.Add(time.Hour)}
	must(t, s.SaveLoginSettings(ctx(t), in), "save again")
	got, err = s.GetLoginSettings(ctx(t), w.ID)
	must(t, err, "get again")
	if !got.PasswordLogin || got.Signup || got.AutoSSO || len(got.AllowedDomains) != 0 || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after second save %+v", got)
	}
	wantErr(t, s.SaveLoginSettings(ctx(t), &store.LoginSettings{WorkspaceID: "missing"}), store.ErrNotFound, "missing workspace")
}

func testSAMLConfig(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	_, err := s.GetSAMLConfigByWorkspace(ctx(t), w.ID)
	wantErr(t, err, store.ErrNotFound, "none yet")
	c := &store.SAMLConfig{WorkspaceID: w.ID, Enabled: true, Name: "Entra", MetadataXML: "<md/>", MetadataURL: "https://idp.example/md",
		IdPEntityID: "https://sts.windows.net/x/", IdPInitiated: store.IdPInitiatedReject, ClockSkew: 90 * time.Second,
		AllowSHA1: true, GroupSync: true, GroupAttribute: "groups", NameIDFormat: "urn:persistent", SignRequests: true, AllowUnsignedLogout: true,
		SPSigningKeyPEM: "sk", SPSigningCertPEM: "sc", SPEncryptionKeyPEM: "ek", SPEncryptionCertPEM: "ec", CreatedAt: t0, UpdatedAt: t0,
		SPSigningPrevCertPEM: "psc", SPEncryptionPrevKeyPEM: "pek", SPEncryptionPrevCertPEM: "pec"}
	must(t, s.SaveSAMLConfig(ctx(t), c), "insert")
	if c.ID == "" {
		t.Fatal("no ID assigned")
	}
	got, err := s.GetSAMLConfig(ctx(t), c.ID)
	must(t, err, "get")
	if *got != *c {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, c)
	}
	byWS, err := s.GetSAMLConfigByWorkspace(ctx(t), w.ID)
	must(t, err, "get by workspace")
	if byWS.ID != c.ID {
		t.Fatalf("by workspace: ID %q, want %q", byWS.ID, c.ID)
	}

	got.Enabled, got.Name, got.ClockSkew, got.AllowSHA1, got.SPSigningKeyPEM, got.UpdatedAt = false, "", 0, false, "", t0.Add(time.Hour)
	got.AllowUnsignedLogout = false
	must(t, s.SaveSAMLConfig(ctx(t), got), "update")
	again, err := s.GetSAMLConfig(ctx(t), c.ID)
	must(t, err, "get updated")
	if *again != *got || !again.CreatedAt.Equal(t0) {
		t.Fatalf("after update:\n got %+v\nwant %+v", again, got)
	}

	wantErr(t, s.SaveSAMLConfig(ctx(t), &store.SAMLConfig{WorkspaceID: w.ID}), store.ErrConflict, "second config for the workspace")
	moved := *again
	moved.WorkspaceID = mkWorkspace(t, s).ID
	wantErr(t, s.SaveSAMLConfig(ctx(t), &moved), store.ErrConflict, "moving a config to another workspace")
	_, err = s.GetSAMLConfig(ctx(t), "missing")
	wantErr(t, err, store.ErrNotFound, "get missing")
}

func testGroupMappings(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	list, err := s.ListGroupMappings(ctx(t), w.ID)
	must(t, err, "empty list")
	if len(list) != 0 {
		t.Fatalf("new workspace has mappings %v", list)
	}
	want := []store.GroupMapping{{IdPGroup: "zz-guid", WorkspaceGroup: "admin"}, {IdPGroup: "aa-guid", WorkspaceGroup: "Support"}, {IdPGroup: "zz-guid", WorkspaceGroup: "Helpdesk"}}
	must(t, s.ReplaceGroupMappings(ctx(t), w.ID, want), "replace")
	must(t, s.ReplaceGroupMappings(ctx(t), other.ID, []store.GroupMapping{{IdPGroup: "x", WorkspaceGroup: "builder"}}), "replace other")
	list, err = s.ListGroupMappings(ctx(t), w.ID)
	must(t, err, "list")
	if len(list) != 3 || list[0] != want[0] || list[1] != want[1] || list[2] != want[2] {
		t.Fatalf("mappings = %v, want %v in order", list, want)
	}
	must(t, s.ReplaceGroupMappings(ctx(t), w.ID, want[1:2]), "replace with one")
	list, err = s.ListGroupMappings(ctx(t), w.ID)
	must(t, err, "list after replace")
	if len(list) != 1 || list[0] != want[1] {
		t.Fatalf("after replace: %v", list)
	}
	theirs, err := s.ListGroupMappings(ctx(t), other.ID)
	must(t, err, "list other")
	if len(theirs) != 1 || theirs[0].IdPGroup != "x" {
		t.Fatalf("other workspace's mappings: %v", theirs)
	}
}

func testSeenIdPGroups(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	must(t, s.RecordSeenIdPGroups(ctx(t), w.ID, []string{"g1", "g2", "g1"}, t0), "first login")
	must(t, s.RecordSeenIdPGroups(ctx(t), w.ID, []string{"g2", "g3"}, t0.Add(time.Minute)), "second login")
	must(t, s.RecordSeenIdPGroups(ctx(t), w.ID, nil, t0.Add(time.Hour)), "no groups")
	list, err := s.ListSeenIdPGroups(ctx(t), w.ID, 0)
	must(t, err, "list")
	if len(list) != 3 {
		t.Fatalf("seen = %+v, want 3 values", list)
	}
	// Most recent first; ties by value.
	if list[0].Value != "g2" || list[0].Count != 2 || !list[0].LastSeen.Equal(t0.Add(time.Minute)) {
		t.Fatalf("first = %+v, want g2 seen twice at t0+1m", list[0])
	}
	if list[1].Value != "g3" || list[1].Count != 1 || list[2].Value != "g1" || list[2].Count != 1 || !list[2].LastSeen.Equal(t0) {
		t.Fatalf("rest = %+v", list[1:])
	}
	limited, err := s.ListSeenIdPGroups(ctx(t), w.ID, 1)
	must(t, err, "limit")
	if len(limited) != 1 || limited[0].Value != "g2" {
		t.Fatalf("limit 1: %+v", limited)
	}
}
