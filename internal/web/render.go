package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageSet holds one parsed template per page: the shared layout and
// partials (files starting with "_" or named layout.html) plus the page.
// Each page defines "content" (and optionally "title").
type pageSet struct {
	pages map[string]*template.Template
}

// templateFuncs are available in every template.
var templateFuncs = template.FuncMap{
	"join": strings.Join,
	// pathEscape makes a value safe inside one URL path segment.
	"pathEscape": pathEscape,
}

func loadPages() (*pageSet, error) {
	base, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	partials, _ := fs.Glob(templateFS, "templates/_*.html")
	if len(partials) > 0 {
		if base, err = base.ParseFS(templateFS, partials...); err != nil {
			return nil, fmt.Errorf("web: partials: %w", err)
		}
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	ps := &pageSet{pages: map[string]*template.Template{}}
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		ps.pages[name] = t
	}
	return ps, nil
}

// view is what every page template receives: the page's own Data plus what
// the layout needs. Templates use {{.CSRF}} in forms and {{.Data.X}} for
// the page's fields.
type view struct {
	Data any
	// CSRF is the token for the hidden "csrf" field of every POST form.
	CSRF string
	// Principal is the signed-in user (nil when signed out).
	Principal *workspace.Principal
	// Workspace is the workspace of the page (nil when none).
	Workspace *workspaceInfo
}

// workspaceInfo is what the layout shows about the current workspace.
type workspaceInfo struct {
	Name, Slug string
	IsAdmin    bool
}

// render executes page into a buffer (so a template error becomes a clean
// 500, not half a page) and writes it with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages.pages[page]
	if !ok {
		s.log.Error("unknown template", "trace_id", traceID(r), "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{Data: data, CSRF: s.csrfToken(w, r)}
	if a := authFrom(r); a != nil {
		v.Principal = a.Principal
		s.allowSLOForm(w, r, a.Principal)
		if a.Workspace != nil {
			v.Workspace = &workspaceInfo{Name: a.Workspace.Name, Slug: a.Workspace.Slug,
				IsAdmin: isAdmin(a.Principal)}
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("template", "trace_id", traceID(r), "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		// Pages show personal data and CSRF tokens: never cache them.
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// staticHandler serves the embedded static files (CSS and the two small
// scripts the pages use; no inline scripts, so the CSP stays strict).
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}
