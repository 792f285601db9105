package web

import "strings"

// maxRedirectLen bounds a stored redirect target.
const maxRedirectLen = 2048

// safeRedirect returns p when it is a same-origin relative path and ""
// otherwise (docs/saml.md, validation rule 5: redirect_to and RelayState only ever as same-origin
// relative paths). It must start with exactly one '/', must not start with
// "//" or "/\" (browsers treat both as scheme-relative), and must not
// contain control characters or backslashes anywhere (some browsers turn
// '\' into '/').
func safeRedirect(p string) string {
	if p == "" || len(p) > maxRedirectLen || p[0] != '/' {
		return ""
	}
	if len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
		return ""
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	// A scheme can only hide before the first '/', which is position 0
	// here; but "/%2F/evil" decodes to "//evil" in some routers, so reject
	// an encoded slash or backslash right after the first one too.
	low := strings.ToLower(p)
	if strings.HasPrefix(low, "/%2f") || strings.HasPrefix(low, "/%5c") {
		return ""
	}
	return p
}
