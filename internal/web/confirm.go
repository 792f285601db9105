package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Confirmation pages for destructive actions (docs/access-rules.md, "Admin
// safety"). A destructive form posts as usual; without confirmed=yes the
// handler changes nothing and answers 303 to
// /settings/{slug}/confirm/{name}?<the action's fields>&sig=..., a page
// that says what will happen and posts the same fields back with
// confirmed=yes. The page works without JavaScript, and a forged or
// replayed POST without the field never acts. Pages register their
// confirmable actions with registerConfirm.
//
// The page must never do something other than what it says (security
// review, docs/decisions.md): each registered action fixes the fields
// that decide what happens (action, section) itself, never from the
// query, and the link carries sig, an HMAC keyed by the admin's session
// over the page's name and all its fields. The page refuses a link
// without a valid sig (a crafted link), and the confirmed POST acts only
// with a valid sig over the fields it carries; otherwise it is sent to a
// freshly signed confirmation page, which shows what the POST would do.

const (
	// confirmedField is the form field the confirmation page adds.
	confirmedField = "confirmed"
	// confirmSigField carries the signature of the page and its fields.
	confirmSigField = "sig"
)

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

// confirmer builds the confirmation from the action's (verified) fields;
// a store.ErrNotFound error shows the 404 page.
type confirmer func(s *Server, r *http.Request, ws *store.Workspace, f url.Values) (*confirmation, error)

// confirmable is one registered confirmable action.
type confirmable struct {
	// fixed are the fields that say what the action is ("action":
	// "archive"); the page always posts these values.
	fixed []confirmField
	// fields name the action's other form fields (its target: user_id,
	// group_id, ...), carried from the form through the signed link.
	fields []string
	build  confirmer
}

// confirmers are the registered confirmable actions by name.
var confirmers = map[string]*confirmable{}

// registerConfirm adds a confirmable action; called from init. fixed
// holds name/value pairs ("action", "archive"); fields the other fields.
func registerConfirm(name string, fixed []string, fields []string, c confirmer) {
	if _, dup := confirmers[name]; dup || len(fixed)%2 != 0 {
		panic("web: duplicate or malformed confirmation " + name)
	}
	p := &confirmable{fields: fields, build: c}
	for i := 0; i < len(fixed); i += 2 {
		p.fixed = append(p.fixed, confirmField{fixed[i], fixed[i+1]})
	}
	confirmers[name] = p
}

// values are the action's fields: the fixed ones from the registration,
// the others from src (the posted form or the link's query).
func (p *confirmable) values(src url.Values) url.Values {
	v := url.Values{}
	for _, f := range p.fixed {
		v.Set(f.Name, f.Value)
	}
	for _, n := range p.fields {
		v.Set(n, src.Get(n))
	}
	return v
}

// confirmSig signs name and its fields with the browser's session at the
// request's workspace (like the CSRF token, so a link made for one admin's
// session is worthless in another's). "" when there is no session.
func (s *Server) confirmSig(r *http.Request, name string, v url.Values) string {
	tok := s.sessionToken(r, requestWorkspace(r).Slug)
	if tok == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(tok))
	m.Write([]byte("gatehouse confirm v1\n" + name + "\n" + v.Encode()))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validConfirmSig reports whether sig signs name with v for this session.
func (s *Server) validConfirmSig(r *http.Request, name string, v url.Values, sig string) bool {
	want := s.confirmSig(r, name, v)
	return want != "" && sig != "" && hmac.Equal([]byte(sig), []byte(want))
}

// confirmRoutes registers the confirmation page.
func (s *Server) confirmRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/{slug}/confirm/{name}", s.requireAdmin(s.handleConfirm))
}

// handleConfirm shows the confirmation page of {name} for a signed link.
func (s *Server) handleConfirm(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	p, ok := confirmers[name]
	if !ok {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	v := p.values(q)
	sig := q.Get(confirmSigField)
	if !s.validConfirmSig(r, name, v, sig) {
		s.log.Warn("confirmation link not signed for this session", "trace_id", traceID(r), "confirmation", name)
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	ws := requestWorkspace(r)
	page, err := p.build(s, r, ws, v)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace = ws
	page.Fields = append([]confirmField(nil), p.fixed...)
	for _, n := range p.fields {
		page.Fields = append(page.Fields, confirmField{n, v.Get(n)})
	}
	page.Fields = append(page.Fields, confirmField{confirmedField, "yes"}, confirmField{confirmSigField, sig})
	s.render(w, r, http.StatusOK, "confirm.html", page)
}

// needsConfirmation sends an unconfirmed destructive POST to the signed
// confirmation page of name and reports true; a confirmed one whose
// signature covers exactly the fields it carries reports false and the
// handler goes on. A POST whose fixed fields are not name's is refused
// (the handler chose the wrong page: a bug, never acted on).
func (s *Server) needsConfirmation(w http.ResponseWriter, r *http.Request, name string) bool {
	p, ok := confirmers[name]
	if !ok {
		panic("web: unregistered confirmation " + name)
	}
	for _, f := range p.fixed {
		if r.PostFormValue(f.Name) != f.Value {
			s.errorPage(w, r, http.StatusBadRequest)
			return true
		}
	}
	v := p.values(r.PostForm)
	if r.PostFormValue(confirmedField) == "yes" {
		if s.validConfirmSig(r, name, v, r.PostFormValue(confirmSigField)) {
			return false
		}
		s.log.Warn("confirmed form without a valid signature: asking again", "trace_id", traceID(r), "confirmation", name)
	}
	q := url.Values{}
	for k, vs := range v {
		q[k] = vs
	}
	q.Set(confirmSigField, s.confirmSig(r, name, v))
	http.Redirect(w, r, "/settings/"+pathEscape(requestWorkspace(r).Slug)+"/confirm/"+pathEscape(name)+"?"+q.Encode(), http.StatusSeeOther)
	return true
}
