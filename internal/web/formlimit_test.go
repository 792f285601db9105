package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
)

// zeros is an io.Reader of n zero bytes that allocates nothing per read.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

// headerCSRFPost posts body to path with the CSRF token in the header, as
// a script on our origin could, bypassing the form field path.
func (e *testEnv) headerCSRFPost(path, token, contentType string, body io.Reader) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(csrfHeader, token)
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// TestBigMultipartLoginRefusedWithoutTempFiles is issue 11 item 2: a large
// multipart upload to a form route through the CSRF header path is refused
// before anything reads it and leaves nothing in the temp directory.
func TestBigMultipartLoginRefusedWithoutTempFiles(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	token := e.csrfFrom(e.client, "/login/acme")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("email", "someone@example.com")
		f, _ := mw.CreateFormFile("upload", "big.bin")
		_, err := io.Copy(f, &zeros{n: 48 << 20}) // beyond the 32 MiB kept in memory
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp := e.headerCSRFPost("/login/acme", token, mw.FormDataContentType(), pr)
	body(t, resp)
	pr.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType && resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("multipart upload to /login/acme: status %d, want 415 or 413", resp.StatusCode)
	}
	left, err := os.ReadDir(tmp)
	must(t, err)
	for _, f := range left {
		t.Errorf("temp file left behind: %s", f.Name())
	}
}

// TestBigFormBodyRefusedOnHeaderPath: a urlencoded body above the form
// limit is refused with 413 also when the token came in the header.
func TestBigFormBodyRefusedOnHeaderPath(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	token := e.csrfFrom(e.client, "/login/acme")
	big := "email=a%40example.com&pad=" + strings.Repeat("a", maxFormBytes+1)
	resp := e.headerCSRFPost("/login/acme", token, "application/x-www-form-urlencoded", strings.NewReader(big))
	body(t, resp)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form through the header path: status %d, want 413", resp.StatusCode)
	}
}

// TestMultipartRefusedEverywhere: no route takes multipart bodies; the
// JSON API answers in JSON.
func TestMultipartRefusedEverywhere(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	token := e.csrfFrom(e.client, "/login/acme")
	for _, path := range []string{"/login/acme", "/setup", "/logout/acme", "/api/sso/saml/" + e.cfg.ID, "/api/v1/workspaces/acme/saml"} {
		var buf strings.Builder
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("SAMLResponse", "x")
		_ = mw.Close()
		resp := e.headerCSRFPost(path, token, mw.FormDataContentType(), strings.NewReader(buf.String()))
		page := body(t, resp)
		if resp.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("multipart POST %s: status %d, want 415", path, resp.StatusCode)
		}
		if strings.HasPrefix(path, "/api/v1/") && !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			t.Errorf("API refusal is not JSON: %s", page)
		}
	}
}
