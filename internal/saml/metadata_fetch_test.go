package saml

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// metadataServer is an https test server on loopback.
func metadataServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchIdPMetadata(t *testing.T) {
	doc := simpleMetadata(t, "https://idp.example.com")
	srv := metadataServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/md":
			w.Write([]byte(doc))
		case "/accept":
			// IdPs that serve several formats pick by Accept.
			if !strings.Contains(r.Header.Get("Accept"), "application/samlmetadata+xml") {
				http.Error(w, "wrong Accept", http.StatusNotAcceptable)
				return
			}
			w.Write([]byte(doc))
		case "/big":
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/big-chunked":
			w.(http.Flusher).Flush() // no Content-Length: the reader must cap
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/missing":
			http.NotFound(w, r)
		case "/to-http":
			http.Redirect(w, r, "http://"+r.Host+"/md", http.StatusFound)
		case "/to-https":
			http.Redirect(w, r, "/md", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/hang":
			<-r.Context().Done()
		}
	})
	ctx := context.Background()
	allow := FetchOptions{AllowPrivate: true, Client: srv.Client()}

	got, err := FetchIdPMetadata(ctx, srv.URL+"/md", allow)
	if err != nil || string(got) != doc {
		t.Fatalf("fetch: %v", err)
	}
	if _, err := ParseIdPMetadata(got, ""); err != nil {
		t.Errorf("fetched metadata does not parse: %v", err)
	}
	if got, err := FetchIdPMetadata(ctx, srv.URL+"/accept", allow); err != nil || string(got) != doc {
		t.Errorf("Accept header: %v", err)
	}
	if got, err := FetchIdPMetadata(ctx, srv.URL+"/to-https", allow); err != nil || string(got) != doc {
		t.Errorf("https redirect: %v", err)
	}

	refusals := []struct {
		name, url string
		o         FetchOptions
		want      string
	}{
		{"loopback by default", srv.URL + "/md", FetchOptions{Client: srv.Client()}, ErrPrivateAddress.Error()},
		{"plain http", "http://idp.example.com/md", FetchOptions{}, "only https"},
		{"credentials", "https://u:p@idp.example.com/md", FetchOptions{}, "credentials"},
		{"relative", "/md", FetchOptions{}, "absolute"},
		{"too large", srv.URL + "/big", FetchOptions{AllowPrivate: true, Client: srv.Client(), MaxBytes: 1024}, "larger than 1024"},
		{"too large, no length", srv.URL + "/big-chunked", FetchOptions{AllowPrivate: true, Client: srv.Client(), MaxBytes: 1024}, "larger than 1024"},
		{"HTTP 404", srv.URL + "/missing", allow, "HTTP 404"},
		{"redirect to http", srv.URL + "/to-http", allow, "non-https"},
		{"redirect loop", srv.URL + "/loop", allow, "redirects"},
		{"timeout", srv.URL + "/hang", FetchOptions{AllowPrivate: true, Client: srv.Client(), Timeout: 200 * time.Millisecond}, "no complete answer"},
		{"untrusted certificate", srv.URL + "/md", FetchOptions{AllowPrivate: true}, "certificate"},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			_, err := FetchIdPMetadata(ctx, c.url, c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	odd := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") })}
	if _, err := FetchIdPMetadata(ctx, srv.URL+"/md", FetchOptions{AllowPrivate: true, Client: odd}); err == nil || !strings.Contains(err.Error(), "*http.Transport") {
		t.Errorf("custom RoundTripper accepted: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
