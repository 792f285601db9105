package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// checked reports whether a checkbox was ticked (browsers omit unticked
// boxes entirely).
func checked(r *http.Request, name string) bool { return r.PostFormValue(name) == "on" }

// samlInputFromForm reads the SAML form.
func samlInputFromForm(r *http.Request) ssoconfig.Input {
	return ssoconfig.Input{
		Enabled:             checked(r, "enabled"),
		Name:                r.PostFormValue("name"),
		MetadataXML:         r.PostFormValue("metadata_xml"),
		MetadataURL:         r.PostFormValue("metadata_url"),
		IdPInitiated:        r.PostFormValue("idp_initiated"),
		ClockSkew:           r.PostFormValue("clock_skew"),
		AllowSHA1:           checked(r, "allow_sha1"),
		GroupSync:           checked(r, "group_sync"),
		GroupAttribute:      r.PostFormValue("group_attribute"),
		AllowUnsignedLogout: checked(r, "allow_unsigned_logout"),
	}
}

// loginForm is the login settings form; AllowedDomains as typed.
type loginForm struct {
	PasswordLogin  bool
	Signup         bool
	AllowedDomains string
	AutoSSO        bool
}

// loginFormFromRequest reads the login settings form.
func loginFormFromRequest(r *http.Request) loginForm {
	return loginForm{
		PasswordLogin:  checked(r, "password_login"),
		Signup:         checked(r, "signup"),
		AllowedDomains: r.PostFormValue("allowed_domains"),
		AutoSSO:        checked(r, "auto_sso"),
	}
}

// loginFormFromSettings shows stored settings in the form.
func loginFormFromSettings(ls *store.LoginSettings) loginForm {
	return loginForm{
		PasswordLogin: ls.PasswordLogin, Signup: ls.Signup,
		AllowedDomains: strings.Join(ls.AllowedDomains, ", "), AutoSSO: ls.AutoSSO,
	}
}

// splitDomains splits "a.com, b.com" into its non-empty items; the
// service validates and lowercases them.
func splitDomains(v string) []string {
	var out []string
	for _, d := range strings.Split(v, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// mappingRowsFromForm pairs the repeated idp_group/workspace_group fields
// and returns the indexes ticked for removal.
func mappingRowsFromForm(r *http.Request) ([]mappingInput, map[int]bool) {
	idp, ws := r.PostForm["idp_group"], r.PostForm["workspace_group"]
	rows := make([]mappingInput, max(len(idp), len(ws)))
	for i := range rows {
		if i < len(idp) {
			rows[i].IdPGroup = idp[i]
		}
		if i < len(ws) {
			rows[i].WorkspaceGroup = ws[i]
		}
	}
	remove := map[int]bool{}
	for _, v := range r.PostForm["remove"] {
		if i, err := strconv.Atoi(v); err == nil {
			remove[i] = true
		}
	}
	return rows, remove
}

// submittedMappings shows the admin's rows back after an error: all but
// the last as editable rows, the last (the blank "new" row) as the new row.
func submittedMappings(rows []mappingInput) ([]mappingRow, mappingInput) {
	if len(rows) == 0 {
		return nil, mappingInput{}
	}
	out := make([]mappingRow, 0, len(rows)-1)
	for _, m := range rows[:len(rows)-1] {
		out = append(out, mappingRow{IdPGroup: m.IdPGroup, WorkspaceGroup: m.WorkspaceGroup, Source: sourceUI})
	}
	return out, rows[len(rows)-1]
}
