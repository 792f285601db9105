package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// auditPageSize is the number of events per page.
const auditPageSize = 50

// auditPage is the data of admin_audit.html.
type auditPage struct {
	Workspace  *store.Workspace
	Tab        string
	FilterUser string
	FilterKind string
	Kinds      []string
	Events     []auditRow
	NextPage   string
	Error      string
}

// handleAudit lists the audit log newest first, filtered by user email and
// kind (a prefix: "login" matches login.success and login.failure), paged
// by the ID of the last event shown.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	ws := requestWorkspace(r)
	user, kind, before, ok := auditQuery(r.URL.Query())
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	page := &auditPage{Workspace: ws, Tab: "audit", Kinds: auditKinds, FilterUser: user, FilterKind: kind}
	f := store.AuditFilter{WorkspaceID: ws.ID, Kind: kind, Limit: auditPageSize + 1, BeforeID: before}
	emails, err := s.memberEmails(r, ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if page.FilterUser != "" {
		// Only members of this workspace are looked up, so the filter
		// does not reveal which emails exist elsewhere in the instance.
		if f.UserID = memberByEmail(emails, page.FilterUser); f.UserID == "" {
			page.Error = "No member with the email " + quote(page.FilterUser) + "."
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
		page.NextPage = auditPageURL(ws.Slug, page.FilterUser, page.FilterKind, events[len(events)-1].ID)
	}
	page.Events = newAuditRows(events, emails)
	s.render(w, r, http.StatusOK, "admin_audit.html", page)
}

// auditQuery reads the filters and the paging position of the URL; ok is
// false for a malformed position.
func auditQuery(q url.Values) (user, kind string, before int64, ok bool) {
	user, kind = strings.TrimSpace(q.Get("user")), strings.TrimSpace(q.Get("kind"))
	if b := q.Get("before"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			return "", "", 0, false
		}
		before = id
	}
	return user, kind, before, true
}

// auditPageURL is the link to the events older than beforeID.
func auditPageURL(slug, user, kind string, beforeID int64) string {
	v := url.Values{}
	if user != "" {
		v.Set("user", user)
	}
	if kind != "" {
		v.Set("kind", kind)
	}
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
