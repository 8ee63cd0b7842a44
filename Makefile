# GP Online: `make run` and `make test` do all the set-up themselves.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

RELEASE_BIN := target/release/server
DEMO_DB ?= sqlite://data/gp-online.db
TEST_POSTGRES_URL ?= postgres://postgres:postgres@127.0.0.1:5432/postgres
export TEST_POSTGRES_URL

.PHONY: run test setup test-setup build size lighthouse check bench-rush bench-soak bench-live

## run: install what is missing, build, load the demo practice, serve on http://127.0.0.1:3000
run: build
	DATABASE_URL=$(DEMO_DB) $(RELEASE_BIN) seed-demo
	DATABASE_URL=$(DEMO_DB) DEFAULT_PRACTICE=Y12345 LEPTOS_ENV=PROD $(RELEASE_BIN) serve

## test: install what is missing, then run every test (unit, integration on SQLite and PostgreSQL, browser),
## each phase under a time guard, and print how long each took
test: setup test-setup
	./scripts/ensure-postgres.sh
	./scripts/test.sh

setup:
	./scripts/ensure-tools.sh

test-setup:
	./scripts/ensure-test-tools.sh

build: setup site

# The release build (site and server), made again only when a source file is
# newer than the last build: a second `make run` with nothing changed serves
# at once instead of rebuilding the same WebAssembly.
SOURCES := $(shell find app domain storage fhir server frontend style migrations public -type f 2>/dev/null) \
	Cargo.toml Cargo.lock package.json package-lock.json
SITE_STAMP := target/.release-build

.PHONY: site
site: $(SITE_STAMP)

$(SITE_STAMP): $(SOURCES)
	cargo leptos build --release --precompress
	node scripts/build-staff-css.mjs
	@touch $@

## size: each page's first load as served (patients and staff), the budgets, and the WebAssembly's largest parts
size: build
	command -v twiggy >/dev/null || cargo install twiggy --locked
	node scripts/size.mjs

## lighthouse: performance and accessibility of /, /sign-in and /appointments/book (signed in) on an emulated phone
lighthouse: build test-setup
	cd scripts/lighthouse && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	node scripts/lighthouse.mjs

## bench-rush: the 08:00 rush (2,000 patients, 200 slots released at once) on SQLite, then PostgreSQL
bench-rush: build test-setup
	./scripts/ensure-postgres.sh
	# Each patient's session holds a connection open: 2,050 of them, client and server.
	ulimit -n 8192 2>/dev/null || true; node scripts/bench-rush.mjs sqlite && node scripts/bench-rush.mjs postgres

## bench-soak: every patient and staff page at random from 64 clients for 60 s (BENCH_CLIENTS, BENCH_SECONDS),
## on SQLite then PostgreSQL; fails on any stall or 5xx answer
bench-soak: build test-setup
	./scripts/ensure-postgres.sh
	node scripts/bench-soak.mjs sqlite && node scripts/bench-soak.mjs postgres

## bench-live: how soon a booking through one server reaches a list watched on another (PostgreSQL)
bench-live: build test-setup
	./scripts/ensure-postgres.sh
	node scripts/bench-live.mjs

## check: fast compile check of both targets
check:
	cargo check --workspace --exclude frontend
	cargo check -p frontend --target wasm32-unknown-unknown
