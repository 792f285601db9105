// Package entra builds Microsoft Entra ID-shaped SAML material for the
// benchmarks and the load generator: a test IdP (RSA-2048 key and a
// self-signed certificate), its federation metadata, and signed login
// responses with Entra's default claims. Signing goes through goxmldsig so
// the signatures are the real thing every contender has to verify.
package entra
