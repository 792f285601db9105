package store_test

import (
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

func TestPostgresConformance(t *testing.T) {
	storetest.PostgresServer(t) // one loud skip, not one per subtest
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}

func TestPostgresReplayTwoHandles(t *testing.T) {
	u := storetest.PostgresURL(t)
	storetest.ConcurrentReplay(t, storetest.Open(t, store.Options{DatabaseURL: u}), storetest.Open(t, store.Options{DatabaseURL: u}))
}

func TestPostgresReplayTwoProcesses(t *testing.T) {
	u := storetest.PostgresURL(t)
	raceTwoProcesses(t, storetest.Open(t, store.Options{DatabaseURL: u}), u, "")
}

func TestPostgresFirstLoginTwoHandles(t *testing.T) {
	u := storetest.PostgresURL(t)
	storetest.ConcurrentFirstLogin(t, storetest.Open(t, store.Options{DatabaseURL: u}), storetest.Open(t, store.Options{DatabaseURL: u}))
}
