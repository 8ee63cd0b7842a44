#!/usr/bin/env bash
# Installs what the tests need beyond the build: Debian's Chromium for the
# browser tests, PostgreSQL for the second storage engine, and the end2end npm
# packages (Playwright drives the installed Chromium; it downloads no browser).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt.sh

# The lint phase of make test.
for component in clippy rustfmt; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    echo "==> adding the Rust component $component"
    rustup component add "$component"
  fi
done

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  echo "==> installing end2end npm packages"
  (cd end2end && npm ci --no-audit --no-fund)
fi
