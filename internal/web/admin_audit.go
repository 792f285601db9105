package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// auditPageSize is the number of events per page.
const auditPageSize = 50

// auditTimeLayout is the format of the time filters (the value of an
// <input type="datetime-local">), read as UTC like the times shown.
const auditTimeLayout = "2006-01-02T15:04"

// auditPage is the data of admin_audit.html.
type auditPage struct {
	Workspace *store.Workspace
	Tab       string
	Filter    auditFilterForm
	Kinds     []string
	Events    []auditRow
	NextPage  string
	Error     string
}

// auditFilterForm is the filter form as typed.
type auditFilterForm struct {
	User, Kind, Trace, Since, Until string
}

// values is the form as a query string (for the "older events" link).
func (f auditFilterForm) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"user": f.User, "kind": f.Kind, "trace": f.Trace, "since": f.Since, "until": f.Until} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// handleAudit lists the audit log newest first, filtered by user email,
// kind (a prefix: "login" matches login.success and login.failure), trace
// ID (exact) and time (UTC), paged by the ID of the last event shown.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	ws := requestWorkspace(r)
	form, before, ok := auditQuery(r.URL.Query())
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	page := &auditPage{Workspace: ws, Tab: "audit", Kinds: auditKinds, Filter: form}
	f := store.AuditFilter{WorkspaceID: ws.ID, Kind: form.Kind, TraceID: form.Trace, Limit: auditPageSize + 1, BeforeID: before}
	var msg string
	if f.Since, msg = parseAuditTime(form.Since, "From"); msg == "" {
		f.Until, msg = parseAuditTime(form.Until, "To")
	}
	if msg != "" {
		page.Error = msg
		s.render(w, r, http.StatusUnprocessableEntity, "admin_audit.html", page)
		return
	}
	emails, err := s.memberEmails(r, ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if form.User != "" {
		// Only members of this workspace are looked up, so the filter
		// does not reveal which emails exist elsewhere in the instance.
		if f.UserID = memberByEmail(emails, form.User); f.UserID == "" {
			page.Error = "No member with the email " + quote(form.User) + "."
			s.render(w, r, http.StatusOK, "admin_audit.html", page)
			return
		}
	}
	events, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(events) > auditPageSize {
		events = events[:auditPageSize]
		page.NextPage = auditPageURL(ws.Slug, form, events[len(events)-1].ID)
	}
	page.Events = newAuditRows(events, emails)
	s.render(w, r, http.StatusOK, "admin_audit.html", page)
}

// auditQuery reads the filters and the paging position of the URL; ok is
// false for a malformed position. Values are bounded: nothing longer than
// an email or a trace ID is looked up.
func auditQuery(q url.Values) (f auditFilterForm, before int64, ok bool) {
	get := func(k string) string {
		v := strings.TrimSpace(q.Get(k))
		if len(v) > 320 {
			v = v[:320]
		}
		return v
	}
	f = auditFilterForm{User: get("user"), Kind: get("kind"), Trace: get("trace"), Since: get("since"), Until: get("until")}
	if b := q.Get("before"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			return f, 0, false
		}
		before = id
	}
	return f, before, true
}

// parseAuditTime reads a time filter (UTC); "" is unbounded. The message
// is for the page ("" when fine).
func parseAuditTime(v, label string) (time.Time, string) {
	if v == "" {
		return time.Time{}, ""
	}
	for _, layout := range []string{auditTimeLayout, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, ""
		}
	}
	return time.Time{}, label + ": " + quote(v) + " is not a date and time; write it like 2026-11-29T08:00 (UTC)."
}

// auditPageURL is the link to the events older than beforeID.
func auditPageURL(slug string, f auditFilterForm, beforeID int64) string {
	v := f.values()
	v.Set("before", strconv.FormatInt(beforeID, 10))
	return "/settings/" + pathEscape(slug) + "/audit?" + v.Encode()
}

// memberByEmail finds the user ID of a member by email (case-insensitive);
// "" when none.
func memberByEmail(emails map[string]string, email string) string {
	for id, e := range emails {
		if strings.EqualFold(e, email) {
			return id
		}
	}
	return ""
}

// memberEmails maps user IDs of the workspace's members to their emails.
func (s *Server) memberEmails(r *http.Request, workspaceID string) (map[string]string, error) {
	members, err := s.store.ListMembers(r.Context(), workspaceID)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(members))
	for _, mb := range members {
		m[mb.User.ID] = mb.User.Email
	}
	return m, nil
}
