package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// membersPerPage is the page size of the members page and the default of
// the API; maxMembersPerPage bounds the API's perPage.
const (
	membersPerPage    = 50
	maxMembersPerPage = 500
	maxMemberQuery    = 200
)

// memberFilter is the search, filters and page of the members list, read
// from the URL (page) or the query string (API).
type memberFilter struct {
	Q      string // substring of email or name, case-insensitive
	Role   string // admin, builder, end-user
	Group  string // custom group name (exact)
	Status string // invited, active, archived
	Sync   string // "managed" or "manual"
	Page   int    // 1-based
	Per    int
}

// parseMemberFilter reads a filter; unknown values of the closed lists are
// ignored (the list shows everything rather than an error for a stale link).
func parseMemberFilter(q url.Values, maxPer int) memberFilter {
	f := memberFilter{Q: strings.TrimSpace(q.Get("q")), Group: strings.TrimSpace(q.Get("group")), Page: 1, Per: membersPerPage}
	if len(f.Q) > maxMemberQuery {
		f.Q = f.Q[:maxMemberQuery]
	}
	if len(f.Group) > maxMemberQuery {
		f.Group = ""
	}
	if v := q.Get("role"); v == "admin" || v == "builder" || v == "end-user" {
		f.Role = v
	}
	if v := q.Get("status"); v == store.StatusInvited || v == store.StatusActive || v == store.StatusArchived {
		f.Status = v
	}
	if v := q.Get("sync"); v == "managed" || v == "manual" {
		f.Sync = v
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 && n <= 1_000_000 {
		f.Page = n
	}
	if n, err := strconv.Atoi(q.Get("perPage")); err == nil && n > 0 {
		f.Per = min(n, maxPer)
	}
	return f
}

// query is the filter as a query string (without page unless withPage).
func (f memberFilter) query(page int) url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": f.Q, "role": f.Role, "group": f.Group, "status": f.Status, "sync": f.Sync} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if f.Per != membersPerPage && f.Per > 0 {
		v.Set("perPage", strconv.Itoa(f.Per))
	}
	return v
}

// Active reports whether any filter is set (the page then offers "clear").
func (f memberFilter) Active() bool {
	return f.Q != "" || f.Role != "" || f.Group != "" || f.Status != "" || f.Sync != ""
}

// match reports whether a member passes the filter.
func (f memberFilter) match(m *store.Member, managed bool, lowerQ string) bool {
	if f.Role != "" && m.Membership.Role != f.Role || f.Status != "" && m.Membership.Status != f.Status {
		return false
	}
	if f.Sync == "managed" && !managed || f.Sync == "manual" && managed {
		return false
	}
	if f.Group != "" && !hasGroup(m.Groups, f.Group) {
		return false
	}
	return lowerQ == "" || strings.Contains(strings.ToLower(m.User.Email), lowerQ) || strings.Contains(strings.ToLower(m.User.Name), lowerQ)
}

// hasGroup reports whether groups holds one named name.
func hasGroup(groups []store.Group, name string) bool {
	for _, g := range groups {
		if g.Name == name {
			return true
		}
	}
	return false
}

// memberPaging describes the shown page of the filtered list.
type memberPaging struct {
	Total, Page, Pages, From, To int
	Prev, Next                   string // links ("" when none)
}

// memberListResult is the filtered, paged list with what the page needs.
type memberListResult struct {
	rows    []memberRow
	total   int
	filter  memberFilter
	paging  memberPaging
	groups  []store.Group
	syncOn  bool
	syncVia string
}

// memberList loads, filters and pages the members of ws for the page.
func (s *Server) memberList(r *http.Request, ws *store.Workspace) (*memberListResult, error) {
	return s.filteredMembers(r.Context(), ws, parseMemberFilter(r.URL.Query(), membersPerPage), "/settings/"+pathEscape(ws.Slug)+"/members")
}

// filteredMembers is the members list behind the page and the API. The
// whole membership is read in two queries and filtered in memory: 10,000
// members take milliseconds (BenchmarkMembersPage), simpler and as fast as
// one SQL query per filter combination.
func (s *Server) filteredMembers(ctx context.Context, ws *store.Workspace, f memberFilter, base string) (*memberListResult, error) {
	members, err := s.store.ListMembers(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	groups, err := s.store.ListGroups(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	sync, err := s.syncState(ctx, ws)
	if err != nil {
		return nil, err
	}
	res := &memberListResult{filter: f, groups: groups, syncOn: sync.on, syncVia: sync.via}
	lowerQ := strings.ToLower(f.Q)
	skip := (f.Page - 1) * f.Per
	for i := range members {
		m := &members[i]
		managed := sync.manages(m.User.ID)
		if !f.match(m, managed, lowerQ) {
			continue
		}
		res.total++
		if res.total > skip && len(res.rows) < f.Per {
			res.rows = append(res.rows, memberRow{Member: *m, Managed: managed})
		}
	}
	res.paging = newMemberPaging(f, res.total, len(res.rows), base)
	return res, nil
}

// newMemberPaging computes the page numbers and links.
func newMemberPaging(f memberFilter, total, shown int, base string) memberPaging {
	p := memberPaging{Total: total, Page: f.Page, Pages: (total + f.Per - 1) / f.Per}
	if shown > 0 {
		p.From = (f.Page-1)*f.Per + 1
		p.To = p.From + shown - 1
	}
	link := func(page int) string {
		if q := f.query(page).Encode(); q != "" {
			return base + "?" + q
		}
		return base
	}
	if f.Page > 1 {
		p.Prev = link(min(f.Page-1, max(p.Pages, 1)))
	}
	if f.Page < p.Pages {
		p.Next = link(f.Page + 1)
	}
	return p
}

// membersURL is the members page with the filters of back (a query
// string the form carried), re-encoded from the parsed filter so that
// nothing but known fields can come through.
func membersURL(slug, back string) string {
	base := "/settings/" + pathEscape(slug) + "/members"
	q, err := url.ParseQuery(back)
	if err != nil {
		return base
	}
	f := parseMemberFilter(q, membersPerPage)
	if enc := f.query(f.Page).Encode(); enc != "" {
		return base + "?" + enc
	}
	return base
}

// syncInfo is whether group sync runs for a workspace, and for whom.
type syncInfo struct {
	on     bool
	via    string          // the SSO's name
	linked map[string]bool // users with an SSO link to the config
}

// manages reports whether group sync sets this user's role and groups.
func (i syncInfo) manages(userID string) bool { return i.on && i.linked[userID] }

// syncState loads whether group sync is on for ws (config enabled, sync
// on, environment mapping valid: otherwise sync does not run) and which
// users it manages: those who sign in through that SSO.
func (s *Server) syncState(ctx context.Context, ws *store.Workspace) (syncInfo, error) {
	cfg, err := s.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	if errors.Is(err, store.ErrNotFound) {
		return syncInfo{}, nil
	}
	if err != nil {
		return syncInfo{}, err
	}
	if _, envErr := s.envMappings(ws.Slug); !cfg.Enabled || !cfg.GroupSync || envErr != nil {
		return syncInfo{}, nil
	}
	// Once SCIM is authoritative for groups the SAML claim changes nothing
	// (docs/scim.md), so no sign-in undoes an admin's change either.
	if st, err := s.svc.GetSCIMStatus(ctx, ws.ID); err != nil || st.Authoritative {
		return syncInfo{}, err
	}
	ids, err := s.store.SSOLinkedUsers(ctx, cfg.ID)
	if err != nil {
		return syncInfo{}, err
	}
	info := syncInfo{on: true, via: cfg.Name, linked: make(map[string]bool, len(ids))}
	if info.via == "" {
		info.via = "SAML"
	}
	for _, id := range ids {
		info.linked[id] = true
	}
	return info, nil
}

// syncWarning is the warning shown after an admin changed the role or
// groups of a member that group sync manages ("" otherwise).
func (s *Server) syncWarning(r *http.Request, ws *store.Workspace, userID string) string {
	info, err := s.syncState(r.Context(), ws)
	if err != nil || !info.manages(userID) {
		return ""
	}
	who := userID
	if u, err := s.store.GetUser(r.Context(), userID); err == nil {
		who = u.Email
	}
	return "Group sync is on: " + who + "'s role and groups are set again from the identity provider's groups at their next " +
		info.via + " sign-in. To make this change last, change their groups in the identity provider or the group mappings."
}

// QueryString is the filter and page as a query string, which the row
// forms carry so that the page after an action shows the same list.
func (f memberFilter) QueryString(page int) string { return f.query(page).Encode() }
