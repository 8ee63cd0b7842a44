#!/usr/bin/env bash
# Serves the release build on the given port with a fresh demo database, for
# the browser tests. Build first with `cargo leptos build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
data=target/e2e-data
rm -rf "$data"
export DATABASE_URL="sqlite://$data/gp-online.db"
./target/release/server seed-demo
DEFAULT_PRACTICE=Y12345 LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
  exec ./target/release/server serve
