package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("user show", "print a user's membership in a workspace as JSON (--email E --workspace SLUG)", runUserShow)
}

// userView is the JSON "user show" prints.
type userView struct {
	Email      string   `json:"email"`
	Name       string   `json:"name"`
	Status     string   `json:"status"` // membership status; "archived" also when archived instance-wide
	Role       string   `json:"role"`
	Groups     []string `json:"groups"` // custom groups, sorted by the store
	SuperAdmin bool     `json:"superAdmin"`
	// ArchivedInstance: archived instance-wide (signs in nowhere).
	ArchivedInstance bool `json:"archivedInstance"`
	HasPassword      bool `json:"hasPassword"`
}

// runUserShow prints the user's status, role and custom groups in one
// workspace. Not a member is a refusal (exit 1), so scripts can test it.
func runUserShow(env *Env) int {
	const cmd = "user show"
	var email, slug string
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&email, "email", "", "email address (required)")
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	if err := parseCmdFlags(fs, env, "email", "workspace"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withAdminService(env, cmd, func(ctx context.Context, st store.Store, _ *workspace.Service) int {
		v, code, err := showUser(ctx, st, email, slug)
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %v\n", cmd, err)
			return code
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return exitRefused(env, cmd, err)
		}
		return ExitOK
	})
}

// showUser loads what "user show" prints, with the exit code for errors.
func showUser(ctx context.Context, st store.Store, email, slug string) (*userView, int, error) {
	ws, err := lookupWorkspace(ctx, st, slug)
	if err != nil {
		return nil, ExitUsage, err
	}
	u, err := lookupUser(ctx, st, email)
	if err != nil {
		return nil, ExitRejected, err
	}
	m, err := st.GetMembership(ctx, ws.ID, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ExitRejected, fmt.Errorf("%s is not a member of workspace %s", u.Email, ws.Slug)
	}
	if err != nil {
		return nil, ExitRejected, err
	}
	groups, err := st.MemberGroups(ctx, ws.ID, u.ID)
	if err != nil {
		return nil, ExitRejected, err
	}
	v := &userView{Email: u.Email, Name: u.Name, Status: m.Status, Role: m.Role, Groups: []string{},
		SuperAdmin: u.SuperAdmin, ArchivedInstance: u.Archived, HasPassword: u.PasswordHash != ""}
	if u.Archived {
		v.Status = store.StatusArchived
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, g.Name)
	}
	return v, ExitOK, nil
}
