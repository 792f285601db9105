// Package e2e holds Gatehouse's end-to-end tests: the real gatehouse
// binary, a real SAML IdP (SimpleSAMLphp, see package idp) and real
// headless Chromium driven by playwright-core scripts in journeys/. The
// tests are in the _test.go files; docs/e2e.md says how to run and debug
// them. Missing dependencies skip the tests locally and fail them under
// CI=true (e2e/setup.sh installs everything).
package e2e
