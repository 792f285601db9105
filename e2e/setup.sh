#!/usr/bin/env bash
# Installs what the end-to-end tests need on a fresh Debian machine:
# SimpleSAMLphp (the IdP), PHP with the XML extension, Chromium, nginx and
# Caddy (forward-auth journeys), oauth2-proxy (its peer in the benchmark), the
# playwright-core npm package (never a downloaded browser). Idempotent and
# quick when everything is already there. Called by .ci/run; run it by hand
# with sudo (or as root) before `go test ./e2e/...`.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v php >/dev/null 2>&1 || need+=(php-cli)
php -r 'exit(class_exists("DOMDocument") ? 0 : 1);' >/dev/null 2>&1 || need+=(php-xml)
[ -f /usr/share/simplesamlphp/www/_include.php ] || need+=(simplesamlphp)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The reverse proxies of the forward-auth journeys (auth_request is in
# nginx-light too).
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v caddy >/dev/null 2>&1 || need+=(caddy)

if [ "${#need[@]}" -gt 0 ]; then
  echo "e2e/setup.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when the install cannot find a package.
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

# playwright-core needs node 20 or newer (Debian 12's own nodejs is 18).
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "e2e/setup.sh: node $(node -v) is too old; playwright-core needs node >= 20" >&2
  exit 1
fi

# npm ci only when node_modules does not match the lock file.
want=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'try { require("./node_modules/playwright-core/package.json").version } catch { "" }')
if [ "$want" != "$have" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# oauth2-proxy (a real OIDC client and forward-auth peer), built from its Go module.
if ! command -v oauth2-proxy >/dev/null 2>&1 && [ ! -x "$(go env GOPATH)/bin/oauth2-proxy" ]; then
  GOFLAGS=-buildvcs=false go install github.com/oauth2-proxy/oauth2-proxy/v7@v7.15.6
fi

# Mailpit (a real local SMTP server with an HTTP API) for the invitation and
# password reset delivery tests, built from its Go module like oauth2-proxy.
if ! command -v mailpit >/dev/null 2>&1 && [ ! -x "$(go env GOPATH)/bin/mailpit" ]; then
  GOFLAGS=-buildvcs=false go install github.com/axllent/mailpit@v1.33.1
fi

echo "e2e/setup.sh: ready (php $(php -r 'echo PHP_VERSION;'), $(/usr/bin/chromium --version 2>/dev/null), playwright-core $want)"
