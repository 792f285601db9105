package workspace

import (
	"context"
	"sync"
	"time"
)

// SeenGroupsInterval is how often at most one process records the same
// (workspace, IdP group value) as seen. The "IdP groups seen recently"
// list may lag by this much (its "last seen" time and its count are
// per interval, not per login), which is fine for a list that helps an
// admin write mappings. Recording every login would make every login of a
// workspace upsert the same rows, which serializes them on PostgreSQL row
// locks and lengthens SQLite's single-writer transaction.
const SeenGroupsInterval = time.Minute

// seenGroupsCap bounds the throttle's memory. When it is full, entries
// older than the interval are dropped; if none are, it starts over (the
// worst case is a few extra writes, never a missing one).
const seenGroupsCap = 4096

// seenKey is one (workspace, value) pair.
type seenKey struct{ workspaceID, value string }

// seenThrottle remembers when this process last wrote each pair. The zero
// value is ready to use.
type seenThrottle struct {
	mu   sync.Mutex
	last map[seenKey]time.Time
}

// due returns the values of workspaceID not written within the interval
// before now, and marks them written at now.
func (t *seenThrottle) due(workspaceID string, values []string, now time.Time) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = make(map[seenKey]time.Time)
	}
	var out []string
	for _, v := range values {
		k := seenKey{workspaceID, v}
		if at, ok := t.last[k]; ok && now.Sub(at) < SeenGroupsInterval && !now.Before(at) {
			continue
		}
		t.makeRoom(now)
		t.last[k] = now
		out = append(out, v)
	}
	return out
}

// forget unmarks values whose write failed, so the next login retries.
func (t *seenThrottle) forget(workspaceID string, values []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range values {
		delete(t.last, seenKey{workspaceID, v})
	}
}

// makeRoom keeps the map under seenGroupsCap; the caller holds mu.
func (t *seenThrottle) makeRoom(now time.Time) {
	if len(t.last) < seenGroupsCap {
		return
	}
	for k, at := range t.last {
		if now.Sub(at) >= SeenGroupsInterval || now.Before(at) {
			delete(t.last, k)
		}
	}
	if len(t.last) >= seenGroupsCap {
		clear(t.last)
	}
}

// recordSeenGroups notes the login's IdP group values as seen, after the
// login committed and outside its transaction: best effort, throttled per
// process. A failure is logged and never fails the login.
func (s *Service) recordSeenGroups(ctx context.Context, in SAMLLogin) {
	values := listableValues(in.Identity.Groups)
	if len(values) == 0 {
		return
	}
	now := s.now()
	due := s.seen.due(in.Workspace.ID, values, now)
	if len(due) == 0 {
		return
	}
	// The login's request may be cancelled once the response is out; the
	// note is still worth keeping.
	ctx = context.WithoutCancel(ctx)
	err := s.Store.RecordSeenIdPGroups(ctx, in.Workspace.ID, due, now)
	if err == nil {
		_, err = s.Store.TrimSeenIdPGroups(ctx, in.Workspace.ID, MaxSeenIdPGroups)
	}
	if err != nil {
		s.seen.forget(in.Workspace.ID, due)
		s.log().Warn("workspace: recording the IdP groups seen failed", "workspace_id", in.Workspace.ID,
			"trace_id", in.TraceID, "err", err)
	}
}

// listableValues are the login's group values worth listing: cleaned,
// short enough, and no more than the list keeps.
func listableValues(groups []string) []string {
	values := cleanValues(groups)
	out := values[:0]
	for _, v := range values {
		if len(v) <= maxSeenValueBytes && len(out) < MaxSeenIdPGroups {
			out = append(out, v)
		}
	}
	return out
}

// Bounds on "IdP groups seen" (issue 11): the IdP decides the values, and
// the list only helps an admin write mappings.
const (
	// MaxSeenIdPGroups is how many values a workspace keeps; beyond it the
	// least recently seen are dropped (the list is about what the IdP
	// sends now).
	MaxSeenIdPGroups = 1000
	// maxSeenValueBytes: longer values are not listed (sync still uses
	// them); no directory's group names or IDs come near it.
	maxSeenValueBytes = 1024
)
