// Package oidc makes every workspace an OpenID Connect provider at
// {public URL}/oidc/{slug} (docs/oidc.md). The protocol (authorization
// code flow with PKCE, token, userinfo, revocation, end-session, discovery
// and JWKS, JWT signing) is zitadel/oidc's op package; this package is its
// storage over internal/store, the per-workspace provider cache, the
// shared signing keys, the applications (clients) service, and the rules
// Gatehouse adds: claims from the current membership, per-application
// access rules, refresh-token rotation with reuse detection, and
// revocation plus back-channel logout when a Gatehouse session ends.
//
// It sits between web and workspace: web mounts the handler and hands
// over the signed-in principal; the provider reads and writes the store
// and never renders pages.
package oidc
