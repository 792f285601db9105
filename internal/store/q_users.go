package store

import (
	"context"
	"strings"
)

const userCols = `id, email, name, password_hash, super_admin, archived, created_at, updated_at, password_workspace_id`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, updated int64
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.SuperAdmin, &u.Archived, &created, &updated, &u.PasswordWorkspaceID)
	u.CreatedAt, u.UpdatedAt = fromDB(created), fromDB(updated)
	return u, err
}

// CreateUser inserts u with its email lowercased (ErrConflict when taken).
func (q *queries) CreateUser(ctx context.Context, u *User) error {
	newID(&u.ID)
	u.Email = strings.ToLower(u.Email)
	stamp(&u.CreatedAt)
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	return q.exec(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.PasswordHash, u.SuperAdmin, u.Archived, toDB(u.CreatedAt), toDB(u.UpdatedAt), u.PasswordWorkspaceID)
}

// GetUser finds a user by ID.
func (q *queries) GetUser(ctx context.Context, id string) (*User, error) {
	return q.getUser(ctx, `id = ?`, id)
}

// GetUserByEmail finds a user by email, compared case-insensitively
// (emails are stored lowercased).
func (q *queries) GetUserByEmail(ctx context.Context, email string) (*User, error) {
	return q.getUser(ctx, `email = ?`, strings.ToLower(email))
}

func (q *queries) getUser(ctx context.Context, where string, arg any) (*User, error) {
	u, err := scanUser(q.row(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// UpdateUser saves every field of u except ID and CreatedAt.
func (q *queries) UpdateUser(ctx context.Context, u *User) error {
	u.Email = strings.ToLower(u.Email)
	u.UpdatedAt = time0(u.UpdatedAt)
	return q.execOne(ctx, `UPDATE users SET email = ?, name = ?, password_hash = ?, super_admin = ?, archived = ?, updated_at = ?, password_workspace_id = ? WHERE id = ?`,
		u.Email, u.Name, u.PasswordHash, u.SuperAdmin, u.Archived, toDB(u.UpdatedAt), u.PasswordWorkspaceID, u.ID)
}

// CountUsers counts every user of the instance (0 means first-run setup).
func (q *queries) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, mapErr(err)
}
