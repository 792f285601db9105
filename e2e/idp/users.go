package idp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// User is one account at the IdP. Empty attributes are not released, so a
// test can model an IdP that omits, say, the display name.
type User struct {
	Username    string
	Password    string
	UID         string // stable identifier; the persistent NameID is made from it
	Email       string
	GivenName   string
	Surname     string
	DisplayName string
	Groups      []string // multi-valued `groups` attribute (names or GUIDs)
	// Extra attributes released as they are, e.g. Entra's group overage
	// claim http://schemas.microsoft.com/claims/groups.link.
	Extra map[string][]string
}

// attributes is the user's attribute statement as SimpleSAMLphp's
// exampleauth:UserPass wants it: every attribute a list of values.
func (u User) attributes() map[string][]string {
	a := map[string][]string{}
	add := func(name, v string) {
		if v != "" {
			a[name] = []string{v}
		}
	}
	uid := u.UID
	if uid == "" {
		uid = u.Username
	}
	add("uid", uid)
	add("email", u.Email)
	add("givenName", u.GivenName)
	add("sn", u.Surname)
	add("displayName", u.DisplayName)
	if len(u.Groups) > 0 {
		a["groups"] = append([]string(nil), u.Groups...)
	}
	for name, values := range u.Extra {
		a[name] = append([]string(nil), values...)
	}
	return a
}

// writeUsers replaces users.json; exampleauth:UserPass keys its users by
// "username:password".
func writeUsers(dir string, users []User) error {
	m := map[string]map[string][]string{}
	for _, u := range users {
		if u.Username == "" || u.Password == "" || strings.Contains(u.Username, ":") {
			return fmt.Errorf("idp user %q: need a username without ':' and a password", u.Username)
		}
		m[u.Username+":"+u.Password] = u.attributes()
	}
	return writeJSON(filepath.Join(dir, usersFile), m)
}

// SetUsers replaces the IdP's users; the next login sees the change (the PHP
// config reads users.json on every request).
func (p *IdP) SetUsers(users []User) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return writeUsers(p.Dir, users)
}

// writeJSON writes v to path atomically (temp file and rename), so a
// request that races with a rewrite reads the old or the new file, never
// half of one.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
