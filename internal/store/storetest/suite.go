// Package storetest is the conformance suite every store.Store
// implementation must pass. Backends call Run from their own tests with a
// function that opens a fresh, empty, migrated store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Opener opens a fresh, empty, migrated store for one test; it registers
// its own cleanup with t.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite; each subtest gets its own store.
func Run(t *testing.T, open Opener) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Workspaces", testWorkspaces},
		{"Users", testUsers},
		{"Memberships", testMemberships},
		{"ListMembers", testListMembers},
		{"Groups", testGroups},
		{"SetMemberGroups", testSetMemberGroups},
		{"LoginSettings", testLoginSettings},
		{"SAMLConfig", testSAMLConfig},
		{"GroupMappings", testGroupMappings},
		{"SeenIdPGroups", testSeenIdPGroups},
		{"TrimSeenIdPGroups", testTrimSeenIdPGroups},
		{"SSOLinks", testSSOLinks},
		{"Requests", testRequests},
		{"Replay", testReplay},
		{"Sessions", testSessions},
		{"ProtectedSites", testProtectedSites},
		{"SessionIdentity", testSessionIdentity},
		{"ForwardSessionIdentity", testForwardSessionIdentity},
		{"APITokens", testAPITokens},
		{"OIDCClients", testOIDCClients},
		{"OIDCAuthRequests", testOIDCAuthRequests},
		{"OIDCRefreshTokens", testOIDCRefreshTokens},
		{"OIDCKeysAndSecrets", testOIDCKeysAndSecrets},
		{"OIDCLogoutGrants", testOIDCLogoutGrants},
		{"Audit", testAudit},
		{"AuditPaging", testAuditPaging},
		{"DeleteExpired", testDeleteExpired},
		{"DeleteExpiredMany", testDeleteExpiredMany},
		{"CascadeDeletes", testCascadeDeletes},
		{"TxCommit", testTxCommit},
		{"TxRollback", testTxRollback},
		{"TxPanic", testTxPanic},
		{"ConcurrentFirstLogin", testConcurrentFirstLogin},
		{"ConcurrentConsumeRequest", testConcurrentConsumeRequest},
		{"ConcurrentReplaySameHandle", testConcurrentReplaySameHandle},
		{"ConcurrentSetMemberGroups", testConcurrentSetMemberGroups},
		{"ConcurrentConflictingGroupSync", testConcurrentConflictingGroupSync},
		{"EndAccess", testEndAccess},
		{"ProbeWrite", testProbeWrite},
		{"APITokenExpiryAndUse", testAPITokenExpiryAndUse},
		{"SSOLinkedUsers", testSSOLinkedUsers},
		{"AuditFilters", testAuditFilters},
		{"UserLinks", testUserLinks},
		{"SCIMTokens", testSCIMTokens},
		{"SCIMUsers", testSCIMUsers},
		{"SCIMGroups", testSCIMGroups},
		{"SCIMConcurrentGroupAdds", testSCIMConcurrentGroupAdds},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			c.fn(t, s)
		})
	}
}

// t0 is the suite's frozen clock: times are injected, never read.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

func ctx(t *testing.T) context.Context { return t.Context() }

// must fails the test on err.
func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantErr fails unless errors.Is(err, target).
func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// seq makes distinct readable names within one test.
var seqN atomic.Int64

func uniq(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, seqN.Add(1))
}

func mkWorkspace(t *testing.T, s store.Queries) *store.Workspace {
	t.Helper()
	w := &store.Workspace{Name: "Acme", Slug: uniq("acme"), CreatedAt: t0}
	must(t, s.CreateWorkspace(ctx(t), w), "CreateWorkspace")
	return w
}

func mkUser(t *testing.T, s store.Queries) *store.User {
	t.Helper()
	u := &store.User{Email: uniq("user") + "@example.com", Name: "User", CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateUser(ctx(t), u), "CreateUser")
	return u
}

func mkMember(t *testing.T, s store.Queries, w *store.Workspace, u *store.User, role string) {
	t.Helper()
	m := &store.Membership{WorkspaceID: w.ID, UserID: u.ID, Status: store.StatusActive, Role: role, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateMembership(ctx(t), m), "CreateMembership")
}

func mkSAMLConfig(t *testing.T, s store.Queries, w *store.Workspace) *store.SAMLConfig {
	t.Helper()
	c := &store.SAMLConfig{WorkspaceID: w.ID, Enabled: true, IdPInitiated: store.IdPInitiatedBounce, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.SaveSAMLConfig(ctx(t), c), "SaveSAMLConfig")
	return c
}
