package web

import (
	"fmt"
	"net/http"
	"testing"
)

// TestMadeUpMethodsLeaveBoundedSeries is issue 11 item 4: the HTTP
// request counter's labels take only known values, so 1,000 requests with
// made-up methods (and paths) add a handful of series, not 1,000.
func TestMadeUpMethodsLeaveBoundedSeries(t *testing.T) {
	e := newTestEnv(t, testOptions{})
	for i := range 1000 {
		req, _ := http.NewRequest(fmt.Sprintf("M%03d", i), fmt.Sprintf("%s/nothing-%d", e.srv.URL, i), nil)
		resp, err := e.client.Do(req)
		must(t, err)
		body(t, resp)
	}
	body(t, e.get(e.client, "/healthz"))
	families, err := e.web.opts.Registry.Gather()
	must(t, err)
	series, healthz := 0, false
	for _, f := range families {
		if f.GetName() != "gatehouse_http_requests_total" {
			continue
		}
		series = len(f.GetMetric())
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
				if l.GetName() == "method" && l.GetValue() != "other" && !knownMethods[l.GetValue()] {
					t.Errorf("method label %q is not a known method", l.GetValue())
				}
			}
			healthz = healthz || (labels["method"] == "GET" && labels["route"] == "GET /healthz" && labels["code"] == "200")
		}
	}
	if !healthz {
		t.Error("no series for GET /healthz with its route pattern")
	}
	if series == 0 || series > 10 {
		t.Errorf("gatehouse_http_requests_total has %d series after 1,000 made-up methods, want between 1 and 10", series)
	}
}
