package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus series served on /metrics. Each Server has
// its own registry so that tests can run several servers in one process.
type metrics struct {
	logins  *prometheus.CounterVec // outcome: success|failure, method: saml|password, reason
	acs     prometheus.Histogram   // ACS handling time
	http    *prometheus.CounterVec // method, route, code (known values only: see requestLabels)
	scim    *prometheus.CounterVec // resource, method, code (bounded: scim.Options.Observe)
	handler http.Handler
}

// newMetrics registers the series on reg; runtime adds the Go and process
// collectors (only on a registry we created, so a caller's registry that
// already has them does not panic).
func newMetrics(reg *prometheus.Registry, runtime bool) *metrics {
	m := &metrics{
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_logins_total",
			Help: "Sign-in attempts by method, outcome and reason code.",
		}, []string{"method", "outcome", "reason"}),
		acs: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gatehouse_acs_duration_seconds",
			Help:    "Time to handle a POST to the SAML ACS (validation, provisioning, session).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_http_requests_total",
			Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
	}
	m.scim = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatehouse_scim_requests_total",
		Help: "SCIM provisioning requests by resource (Users, Groups, discovery, other), method and status code.",
	}, []string{"resource", "method", "code"})
	reg.MustRegister(m.logins, m.acs, m.http, m.scim)
	if runtime {
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

// login counts one sign-in attempt.
func (m *metrics) login(method, outcome, reason string) {
	m.logins.WithLabelValues(method, outcome, reason).Inc()
}

// knownMethods are the HTTP methods that get their own metric label; any
// other token a client sends is counted as "other", so clients cannot
// create series (issue 11).
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// requestLabels are the method and route labels of r after routing: a
// known method or "other", and the route pattern that served it (the
// ServeMux sets r.Pattern) or "other" when none did (405, or a response
// written before routing). Paths themselves are never labels.
func requestLabels(r *http.Request) (method, route string) {
	method, route = r.Method, r.Pattern
	if !knownMethods[method] {
		method = "other"
	}
	if route == "" || route == "/" {
		route = "other" // "/" is the catch-all 404 handler
	}
	return method, route
}
