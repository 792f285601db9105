package web

import (
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// loginSettingsJSON is the body of GET/PUT .../login-settings. In a PUT,
// omitted fields keep their stored value.
type loginSettingsJSON struct {
	PasswordLogin  *bool    `json:"passwordLogin"`
	Signup         *bool    `json:"signup"`
	AllowedDomains []string `json:"allowedDomains"`
	AutoSSO        *bool    `json:"autoSSO"`
}

// newLoginSettingsJSON is the GET body; allowedDomains is [] rather than null.
func newLoginSettingsJSON(ls *store.LoginSettings) loginSettingsJSON {
	domains := ls.AllowedDomains
	if domains == nil {
		domains = []string{}
	}
	return loginSettingsJSON{PasswordLogin: &ls.PasswordLogin, Signup: &ls.Signup, AllowedDomains: domains, AutoSSO: &ls.AutoSSO}
}

// apiGetLoginSettings is GET .../login-settings.
func (s *Server) apiGetLoginSettings(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	ls, err := s.store.GetLoginSettings(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newLoginSettingsJSON(ls))
}

// apiPutLoginSettings is PUT .../login-settings: the stored settings
// changed by the fields given, saved through the same path as the page.
func (s *Server) apiPutLoginSettings(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in loginSettingsJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	ls, err := s.store.GetLoginSettings(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	f := loginFormFromSettings(ls)
	setIf(&f.PasswordLogin, in.PasswordLogin)
	setIf(&f.Signup, in.Signup)
	setIf(&f.AutoSSO, in.AutoSSO)
	if in.AllowedDomains != nil {
		f.AllowedDomains = strings.Join(in.AllowedDomains, ",")
	}
	if err := s.saveLoginSettings(r.Context(), c.Workspace, c.actorID(), f); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiGetLoginSettings(w, r, c)
}

// setIf copies *src into *dst when the JSON field was present.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
