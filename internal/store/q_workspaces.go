package store

import (
	"context"
	"database/sql"
)

const workspaceCols = `id, name, slug, created_at`

func scanWorkspace(sc interface{ Scan(...any) error }) (Workspace, error) {
	var w Workspace
	var created int64
	err := sc.Scan(&w.ID, &w.Name, &w.Slug, &created)
	w.CreatedAt = fromDB(created)
	return w, err
}

// CreateWorkspace inserts w, giving it an ID and creation time when unset.
func (q *queries) CreateWorkspace(ctx context.Context, w *Workspace) error {
	newID(&w.ID)
	stamp(&w.CreatedAt)
	return q.exec(ctx, `INSERT INTO workspaces (`+workspaceCols+`) VALUES (?, ?, ?, ?)`,
		w.ID, w.Name, w.Slug, toDB(w.CreatedAt))
}

// GetWorkspace finds a workspace by ID.
func (q *queries) GetWorkspace(ctx context.Context, id string) (*Workspace, error) {
	return q.getWorkspace(ctx, `id = ?`, id)
}

// GetWorkspaceBySlug finds a workspace by its slug.
func (q *queries) GetWorkspaceBySlug(ctx context.Context, slug string) (*Workspace, error) {
	return q.getWorkspace(ctx, `slug = ?`, slug)
}

func (q *queries) getWorkspace(ctx context.Context, where string, arg any) (*Workspace, error) {
	w, err := scanWorkspace(q.row(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE `+where, arg))
	if err != nil {
		return nil, notFound(err)
	}
	return &w, nil
}

// ListWorkspaces lists every workspace by name.
func (q *queries) ListWorkspaces(ctx context.Context) ([]Workspace, error) {
	rows, err := q.rows(ctx, `SELECT `+workspaceCols+` FROM workspaces ORDER BY name, slug`)
	return collect(rows, err, func(r *sql.Rows) (Workspace, error) { return scanWorkspace(r) })
}
