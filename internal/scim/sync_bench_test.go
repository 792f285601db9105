package scim_test

import (
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// BenchmarkFullSync replays Entra's initial provisioning cycle against
// the real web handler on SQLite: for each of 10,000 users a lookup by
// userName and a create; then for each of 200 groups a lookup by
// displayName, a create, and PATCHes adding its members in batches of
// 100 (every user is in two groups: 20,000 memberships, each running
// group sync). Entra sends requests in parallel; so do syncWorkers
// clients here. Run it once:
//
//	go test ./internal/scim/ -run '^$' -bench FullSync -benchtime 1x
func BenchmarkFullSync(b *testing.B) { benchFullSync(b, openSQLite) }

// BenchmarkFullSyncPostgres is the same cycle on PostgreSQL
// (GATEHOUSE_TEST_DATABASE_URL; skipped loudly without it).
func BenchmarkFullSyncPostgres(b *testing.B) {
	benchFullSync(b, func(tb testing.TB) store.Store { return storetest.OpenPostgres(tb) })
}

// benchFullSync runs the cycle on the store open returns.
func benchFullSync(b *testing.B, open func(testing.TB) store.Store) {
	const users, groups, batch, syncWorkers = 10_000, 200, 100, 4
	for b.Loop() {
		b.StopTimer()
		e := newBenchEnv(b, open(b))
		b.StartTimer()
		start := time.Now()
		ids := make([]string, users)
		parallel(syncWorkers, users, func(i int) {
			name := fmt.Sprintf("user%05d@contoso.example", i)
			e.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), nil).want(e.t, 200, "lookup")
			ids[i] = e.do("POST", "/Users", entraUser(name, fmt.Sprintf("ext-%05d", i), name)).want(e.t, 201, "create").Body["id"].(string)
		})
		usersDone := time.Since(start)
		parallel(syncWorkers, groups, func(g int) {
			name := fmt.Sprintf("Group %03d", g)
			e.do("GET", "/Groups?excludedAttributes=members&filter="+url.QueryEscape(`displayName eq "`+name+`"`), nil).want(e.t, 200, "lookup group")
			id := e.do("POST", "/Groups", map[string]any{"displayName": name, "externalId": fmt.Sprintf("00000000-0000-0000-0000-%012d", g)}).
				want(e.t, 201, "create group").Body["id"].(string)
			var members []string
			for u := range users {
				if u%groups == g || (u*7+3)%groups == g {
					members = append(members, ids[u])
				}
			}
			for len(members) > 0 {
				n := min(batch, len(members))
				e.do("PATCH", "/Groups/"+id, patchMembers("Add", members[:n]...)).want(e.t, 204, "add members")
				members = members[n:]
			}
		})
		total := time.Since(start)
		b.ReportMetric(usersDone.Seconds(), "users-s")
		b.ReportMetric(total.Seconds(), "total-s")
		b.ReportMetric(float64(users)/usersDone.Seconds(), "users/s")
	}
}

// parallel runs fn(0..n-1) on workers goroutines.
func parallel(workers, n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// newBenchEnv is newEnv for a benchmark on st, with custom groups named
// like a tenth of the directory's groups (so sync has work to do) and a
// edit right on every other one of them.
func newBenchEnv(b *testing.B, st store.Store) *env {
	e := newEnv(b, st)
	for g := 0; g < 200; g += 10 {
		if _, err := e.Svc.CreateGroup(b.Context(), "", e.WS.ID, fmt.Sprintf("Group %03d", g), g%20 == 0); err != nil {
			b.Fatal(err)
		}
	}
	return e
}
