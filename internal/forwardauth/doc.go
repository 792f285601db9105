// Package forwardauth answers forward-authentication checks for reverse
// proxies (nginx auth_request, Caddy forward_auth, Traefik ForwardAuth):
// is the browser behind this request signed in to the workspace, who is
// it, and does it pass the check's group/role rule. It also owns the
// workspace's protected sites, the only hosts a return URL may point to.
//
// A check costs at most one indexed database read (store.SessionIdentity)
// and its answer may be reused for a short, configured time; the bound is
// documented in docs/forward-auth.md. It sits between internal/web (the
// HTTP handlers) and internal/store, and knows nothing about HTTP
// handlers or cookies: the web layer passes it the session token.
package forwardauth
