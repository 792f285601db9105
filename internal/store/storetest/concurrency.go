package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Workers is how many goroutines the concurrency tests run at once.
const Workers = 50

// FirstLogin is what the workspace service does on a user's first SAML
// login: in one transaction, find or create the user and the membership.
// It retries on ErrConflict (a concurrent login created a row first).
func FirstLogin(s store.Store, email, workspaceID string) error {
	ctx := context.Background()
	for attempt := 0; attempt < 20; attempt++ {
		err := s.InTx(ctx, func(q store.Queries) error {
			u, err := q.GetUserByEmail(ctx, email)
			if errors.Is(err, store.ErrNotFound) {
				u = &store.User{Email: email, Name: "First Login"}
				err = q.CreateUser(ctx, u)
			}
			if err != nil {
				return err
			}
			_, err = q.GetMembership(ctx, workspaceID, u.ID)
			if errors.Is(err, store.ErrNotFound) {
				err = q.CreateMembership(ctx, &store.Membership{WorkspaceID: workspaceID, UserID: u.ID,
					Status: store.StatusActive, Role: "end-user"})
			}
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return errors.New("first login: still conflicting after 20 attempts")
}

// parallel runs fn(i) for i in [0, n) at once and collects the errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func testConcurrentFirstLogin(t *testing.T, s store.Store) {
	ConcurrentFirstLogin(t, s)
}

// ConcurrentFirstLogin runs Workers first logins of one new user at once,
// spread over the given handles of one database, and checks that exactly
// one user and one membership exist afterwards.
func ConcurrentFirstLogin(t *testing.T, handles ...store.Store) {
	s := handles[0]
	w := mkWorkspace(t, s)
	email := uniq("new.user") + "@example.com"
	before, err := s.CountUsers(ctx(t))
	must(t, err, "count users before")
	errs := parallel(Workers, func(i int) error {
		// The IdP may send the address in any case.
		e := email
		if i%2 == 1 {
			e = strings.ToUpper(email)
		}
		return FirstLogin(handles[i%len(handles)], e, w.ID)
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("login %d: %v", i, err)
		}
	}
	u, err := s.GetUserByEmail(ctx(t), strings.ToUpper(email))
	must(t, err, "the user exists")
	members, err := s.ListMembers(ctx(t), w.ID)
	must(t, err, "list members")
	n, err := s.CountUsers(ctx(t))
	must(t, err, "count users")
	if len(members) != 1 || members[0].User.ID != u.ID || n != before+1 {
		t.Fatalf("after %d concurrent first logins: %d members, %d users; want exactly one new user and one membership", Workers, len(members), n)
	}
}

func testConcurrentConsumeRequest(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	c := mkSAMLConfig(t, s, w)
	for r := range 5 {
		id := fmt.Sprintf("_req-%d", r)
		must(t, s.SaveRequest(ctx(t), &store.OutstandingRequest{ID: id, ConfigID: c.ID, RedirectTo: "/", ExpiresAt: t0.Add(10 * time.Minute)}), "save")
		errs := parallel(Workers, func(int) error {
			_, err := s.ConsumeRequest(ctx(t), c.ID, id, t0)
			return err
		})
		if wins := countWins(t, errs, store.ErrNotFound); wins != 1 {
			t.Fatalf("request %s consumed %d times by %d concurrent consumers, want once", id, wins, Workers)
		}
	}
}

func testConcurrentReplaySameHandle(t *testing.T, s store.Store) {
	ConcurrentReplay(t, s)
}

// ConcurrentReplay marks the same assertion IDs from Workers goroutines
// spread over the given handles (two handles of one database act like two
// replicas): each ID must be accepted exactly once.
func ConcurrentReplay(t *testing.T, handles ...store.Store) {
	for a := range 5 {
		id := fmt.Sprintf("_assertion-%d-%d", a, seqN.Add(1))
		errs := parallel(Workers, func(i int) error {
			return handles[i%len(handles)].MarkAssertionUsed(ctx(t), id, t0.Add(time.Hour))
		})
		if wins := countWins(t, errs, store.ErrReplay); wins != 1 {
			t.Fatalf("assertion %s accepted %d times, want once", id, wins)
		}
	}
}

// countWins counts nil errors; every other error must be loser.
func countWins(t *testing.T, errs []error, loser error) int {
	t.Helper()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, loser):
			t.Fatalf("unexpected error (want nil or %v): %v", loser, err)
		}
	}
	return wins
}
