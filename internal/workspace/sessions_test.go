package workspace

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestSessionsAuthenticateAndSignOut(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com"))
		f.must(err)
		for _, bad := range []string{"", "nope", res.SessionToken + "x", string(make([]byte, 1000))} {
			if _, err := f.svc.Authenticate(f.ctx, bad); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Authenticate(%.10q) = %v, want ErrNotFound", bad, err)
			}
		}
		// Expiry is server-side.
		f.now = t0.Add(time.Hour + time.Second)
		if _, err := f.svc.Authenticate(f.ctx, res.SessionToken); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		f.now = t0
		// Archiving ends the session at the next request.
		f.member("keeper@example.com", RoleAdmin)
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, res.User.ID, store.StatusArchived))
		if _, err := f.svc.Authenticate(f.ctx, res.SessionToken); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("archived member still authenticated: %v", err)
		}
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, res.User.ID, store.StatusActive))
		// Archiving ended the session for good (TestArchiveEndsAccess).
		res, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com"))
		f.must(err)
		sess, err := f.svc.SignOut(f.ctx, res.SessionToken)
		f.must(err)
		if sess.NameID != "oid" || sess.ConfigID != f.cfg.ID {
			t.Errorf("signed-out session: %+v", sess)
		}
		if _, err := f.svc.Authenticate(f.ctx, res.SessionToken); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after sign-out: %v", err)
		}
		if _, err := f.svc.SignOut(f.ctx, res.SessionToken); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second sign-out: %v", err)
		}
	})
}

func TestSetup(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		svc := &Service{Store: st, Now: func() time.Time { return t0 }}
		ctx := t.Context()
		need, err := svc.NeedsSetup(ctx)
		if err != nil || !need {
			t.Fatalf("NeedsSetup on an empty store = %v, %v", need, err)
		}
		if _, err := svc.Setup(ctx, "root@example.com", "Root", "short", "Acme", "acme"); !IsValidation(err) {
			t.Errorf("short password: %v", err)
		}
		if _, err := svc.Setup(ctx, "root@example.com", "Root", "long enough", "Acme", "Acme!"); !IsValidation(err) {
			t.Errorf("bad slug: %v", err)
		}
		if need, _ := svc.NeedsSetup(ctx); !need {
			t.Fatal("a refused setup wrote something")
		}
		res, err := svc.Setup(ctx, "Root@Example.com", "Root", "long enough", "Acme", "acme")
		if err != nil {
			t.Fatal(err)
		}
		if !res.User.SuperAdmin || res.User.Email != "root@example.com" || res.Membership.Role != RoleAdmin || res.Membership.Status != store.StatusActive {
			t.Errorf("setup result: %+v", res)
		}
		p, err := svc.Authenticate(ctx, res.SessionToken)
		if err != nil || p.Workspace.Slug != "acme" {
			t.Fatalf("setup session: %v", err)
		}
		if _, err := svc.PasswordLogin(ctx, &p.Workspace, "root@example.com", "long enough", "t"); err != nil {
			t.Errorf("password login after setup: %v", err)
		}
		if _, err := svc.Setup(ctx, "other@example.com", "", "long enough", "B", "b"); !errors.Is(err, ErrSetupDone) || !errors.Is(err, store.ErrConflict) {
			t.Errorf("second setup: %v", err)
		}
		if need, _ := svc.NeedsSetup(ctx); need {
			t.Error("NeedsSetup after setup")
		}
	})
}

// TestSetupConcurrent: of many setups at once, exactly one succeeds.
func TestSetupConcurrent(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		svc := &Service{Store: st, Now: func() time.Time { return t0 }}
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = svc.Setup(t.Context(), fmt.Sprintf("root%d@example.com", i), "", "long enough", "WS", fmt.Sprintf("ws-%d", i))
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		if users, _ := st.CountUsers(t.Context()); ok != 1 || users != 1 {
			t.Errorf("%d setups succeeded, %d users; want exactly 1 (errors: %v)", ok, users, errs)
		}
	})
}

func TestSetupAfterCLIWorkspace(t *testing.T) {
	st := openSQLite(t)
	svc := &Service{Store: st, Now: func() time.Time { return t0 }}
	if _, err := svc.CreateWorkspace(t.Context(), "", "Acme", "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Setup(t.Context(), "root@example.com", "", "long enough", "Acme 2", "acme"); !IsValidation(err) {
		t.Errorf("setup with a taken slug: %v, want a ValidationError", err)
	}
	res, err := svc.Setup(t.Context(), "root@example.com", "", "long enough", "Main", "main")
	if err != nil || res.Membership.WorkspaceID == "" {
		t.Fatalf("setup next to a CLI-created workspace: %v", err)
	}
}
