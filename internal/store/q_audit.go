package store

import (
	"context"
	"database/sql"
	"unicode/utf8"
)

const auditCols = `workspace_id, user_id, actor_id, kind, trace_id, reason, message, details, redacted_response, created_at`

// AppendAudit appends e and sets its ID.
func (q *queries) AppendAudit(ctx context.Context, e *AuditEvent) error {
	stamp(&e.CreatedAt)
	// INSERT ... RETURNING is a write that returns a row: run it on the writer.
	err := q.w.QueryRowContext(ctx, `INSERT INTO audit_events (`+auditCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.WorkspaceID, e.UserID, e.ActorID, e.Kind, e.TraceID, e.Reason, e.Message, e.Details,
		e.RedactedResponse, toDB(e.CreatedAt)).Scan(&e.ID)
	return mapErr(err)
}

// ListAudit lists events newest first. An empty WorkspaceID lists every
// workspace's events (instance administration); Kind matches as a prefix.
func (q *queries) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	query := `SELECT id, ` + auditCols + ` FROM audit_events WHERE 1 = 1`
	var args []any
	add := func(cond string, arg any) {
		query += ` AND ` + cond
		args = append(args, arg)
	}
	if f.WorkspaceID != "" {
		add(`workspace_id = ?`, f.WorkspaceID)
	}
	if f.UserID != "" {
		add(`user_id = ?`, f.UserID)
	}
	if f.Kind != "" {
		// substr, not LIKE: no wildcard escaping, and case-sensitive on both backends.
		query += ` AND substr(kind, 1, ?) = ?`
		args = append(args, utf8.RuneCountInString(f.Kind), f.Kind)
	}
	if f.BeforeID > 0 {
		add(`id < ?`, f.BeforeID)
	}
	if f.TraceID != "" {
		add(`trace_id = ?`, f.TraceID)
	}
	if !f.Since.IsZero() {
		add(`created_at >= ?`, toDB(f.Since))
	}
	if !f.Until.IsZero() {
		add(`created_at < ?`, toDB(f.Until))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := q.rows(ctx, query, args...)
	return collect(rows, err, scanAudit)
}

func scanAudit(r *sql.Rows) (AuditEvent, error) {
	var e AuditEvent
	var created int64
	err := r.Scan(&e.ID, &e.WorkspaceID, &e.UserID, &e.ActorID, &e.Kind, &e.TraceID, &e.Reason, &e.Message,
		&e.Details, &e.RedactedResponse, &created)
	e.CreatedAt = fromDB(created)
	return e, err
}
