#!/usr/bin/env bash
# Prints the release WebAssembly's size (raw, gzip, brotli) and the compressed
# bytes a phone downloads on its first visit to / (HTML + CSS + JS + WASM, as
# brotli, which every current phone browser accepts). Needs `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."

pkg=target/site/pkg
wasm=$(ls "$pkg"/*.wasm 2>/dev/null | head -n 1)
if [ -z "$wasm" ] || [ ! -f "$wasm.br" ]; then
  echo "no pre-compressed release build in $pkg: run make build first" >&2
  exit 1
fi
size() { stat -c %s "$1"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

# The home page, served by the release server on a scratch demo database.
data=$(mktemp -d)
port=3390
DATABASE_URL="sqlite://$data/size.db" ./target/release/server seed-demo >/dev/null
DATABASE_URL="sqlite://$data/size.db" DEFAULT_PRACTICE=Y12345 LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  ./target/release/server serve >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
html=$(curl -s -H 'Accept-Encoding: br' "http://127.0.0.1:$port/" | wc -c)

css=$(ls "$pkg"/*.css | head -n 1)
js=$(ls "$pkg"/*.js | head -n 1)
total=$((html + $(size "$css.br") + $(size "$js.br") + $(size "$wasm.br")))

printf 'WASM              raw %s   gzip %s   brotli %s\n' "$(kb "$(size "$wasm")")" "$(kb "$(size "$wasm.gz")")" "$(kb "$(size "$wasm.br")")"
printf 'First load of /   HTML %s + CSS %s + JS %s + WASM %s (brotli)\n' \
  "$(kb "$html")" "$(kb "$(size "$css.br")")" "$(kb "$(size "$js.br")")" "$(kb "$(size "$wasm.br")")"
printf 'First load total  %s (target 300.0 KB)\n' "$(kb "$total")"
