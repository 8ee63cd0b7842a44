#!/usr/bin/env bash
# Installs what building GP Online needs, skipping whatever is already there:
# the wasm target, cargo-leptos, wasm-bindgen-cli at the version Cargo.lock pins,
# and the npm build packages (wasm-opt, Sass, the NHS design system).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10

say() { printf '==> %s\n' "$*"; }

# shellcheck source=scripts/apt.sh
source scripts/apt.sh

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup first (https://rustup.rs)" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes on 2 cores)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

# cargo-leptos would otherwise download wasm-bindgen itself. Not --locked: the
# CLI's own lockfile pins crates the registry may no longer serve.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi

if ! command -v npm >/dev/null; then
  say "installing Node.js and npm"
  apt_install nodejs npm
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm build packages"
  npm ci --no-audit --no-fund
fi

# The NHS design system's icons and images, served by the app from /assets/.
if [ ! -d public/assets/images ] || [ node_modules/nhsuk-frontend/package.json -nt public/assets/images ]; then
  mkdir -p public/assets
  rm -rf public/assets/images
  cp -R node_modules/nhsuk-frontend/dist/nhsuk/assets/images public/assets/images
  touch public/assets/images
fi
