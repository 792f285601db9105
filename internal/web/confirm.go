package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Confirmation pages for destructive actions (docs/access-rules.md, "Admin
// safety"). A destructive form posts as usual; without confirmed=yes the
// handler changes nothing and answers 303 to
// /settings/{slug}/confirm/{name}?<the form's fields>, a page that says what
// will happen and posts the same fields back with confirmed=yes. The page
// works without JavaScript, and a forged or replayed POST without the
// field never acts. Pages register their confirmable actions with
// registerConfirm (applications, tokens and groups alike).

// confirmedField is the form field the confirmation page adds.
const confirmedField = "confirmed"

// confirmation is what the confirmation page shows.
type confirmation struct {
	Workspace *store.Workspace
	Tab       string // the settings tab the action belongs to
	Title     string // "Archive ada@example.com?"
	// Consequences say, one sentence each, what will happen.
	Consequences []string
	Button       string // the label of the confirming button ("Archive")
	Action       string // where the confirmed form posts
	Fields       []confirmField
	Cancel       string // the page to go back to
}

// confirmField is one hidden field of the confirmed form.
type confirmField struct{ Name, Value string }

// confirmer builds the confirmation for a request whose query holds the
// action's form fields; a store.ErrNotFound error shows the 404 page.
type confirmer func(s *Server, r *http.Request, ws *store.Workspace) (*confirmation, error)

// confirmers are the registered confirmable actions by name.
var confirmers = map[string]confirmer{}

// registerConfirm adds a confirmable action; called from init.
func registerConfirm(name string, c confirmer) {
	if _, dup := confirmers[name]; dup {
		panic("web: duplicate confirmation " + name)
	}
	confirmers[name] = c
}

// confirmRoutes registers the confirmation page.
func (s *Server) confirmRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/{slug}/confirm/{name}", s.requireAdmin(s.handleConfirm))
}

// handleConfirm shows the confirmation page of {name}.
func (s *Server) handleConfirm(w http.ResponseWriter, r *http.Request) {
	c, ok := confirmers[r.PathValue("name")]
	if !ok {
		s.notFound(w, r)
		return
	}
	ws := requestWorkspace(r)
	page, err := c(s, r, ws)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace = ws
	s.render(w, r, http.StatusOK, "confirm.html", page)
}

// needsConfirmation sends an unconfirmed destructive POST to the
// confirmation page of name (with the given form fields) and reports true;
// a confirmed one reports false and the handler goes on.
func (s *Server) needsConfirmation(w http.ResponseWriter, r *http.Request, name string, fields ...string) bool {
	if r.PostFormValue(confirmedField) == "yes" {
		return false
	}
	q := url.Values{}
	for _, f := range fields {
		q.Set(f, r.PostFormValue(f))
	}
	http.Redirect(w, r, "/settings/"+pathEscape(requestWorkspace(r).Slug)+"/confirm/"+pathEscape(name)+"?"+q.Encode(), http.StatusSeeOther)
	return true
}

// fieldsOf lists the hidden fields of a confirmed form, from the query.
func fieldsOf(r *http.Request, names ...string) []confirmField {
	out := make([]confirmField, 0, len(names)+1)
	for _, n := range names {
		out = append(out, confirmField{n, r.URL.Query().Get(n)})
	}
	return append(out, confirmField{confirmedField, "yes"})
}
