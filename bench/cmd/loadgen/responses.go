package main

import (
	"encoding/base64"
	"net/url"
	"runtime"
	"sync"
	"time"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// presign signs n unsolicited responses for acsURL (which is also the SP
// entity ID), each with fresh response and assertion IDs, for users
// 0..users-1 in turn, and returns them as ready-to-post form bodies. It
// uses every core: this happens before the timed phase, so the
// generator's RSA signing is never measured.
func presign(idp *entra.IdP, acsURL string, n, users int, groups []string, now time.Time) ([]string, error) {
	bodies := make([]string, n)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				raw, err := idp.Response(entra.ResponseOptions{
					ResponseID: entra.NewID(), AssertionID: entra.NewID(), TenantID: entra.TenantID,
					SPEntityID: acsURL, ACSURL: acsURL, IssueInstant: now,
					User: entra.SampleUser(i%users, groups),
				})
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				bodies[i] = url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(raw)}}.Encode()
			}
		})
	}
	wg.Wait()
	return bodies, firstErr
}
