package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// lookupWorkspace finds a workspace by slug, with a message that names it.
func lookupWorkspace(ctx context.Context, st store.Store, slug string) (*store.Workspace, error) {
	ws, err := st.GetWorkspaceBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no workspace with slug %q", slug)
	}
	return ws, err
}

// lookupUser finds a user by email, with a message that names it.
func lookupUser(ctx context.Context, st store.Store, email string) (*store.User, error) {
	norm, err := workspace.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u, err := st.GetUserByEmail(ctx, norm)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no user with email %q", norm)
	}
	return u, err
}

// readPasswordLine reads the password from the first line of r (so that
// it never appears in the process list or the shell history). The line
// end is removed; nothing else is trimmed, since spaces may be part of it.
func readPasswordLine(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("--password-stdin: no standard input")
	}
	line, err := bufio.NewReader(io.LimitReader(r, workspace.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("--password-stdin: standard input is empty")
	}
	return line, nil
}
