#!/usr/bin/env bash
# Runs every test in phases, each under a time guard, and prints how long each
# took. A phase that passes its guard is stopped and named, so a hang fails the
# run with a message instead of waiting for CI's own limit.
#
# Guards (seconds) can be changed from the environment; the build guards allow
# a fresh clone to compile everything on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

GUARD_LINT=${GUARD_LINT:-1200}
GUARD_BUILD_TESTS=${GUARD_BUILD_TESTS:-2400}
GUARD_UNIT=${GUARD_UNIT:-300}
GUARD_INTEGRATION=${GUARD_INTEGRATION:-600}
GUARD_RELEASE_BUILD=${GUARD_RELEASE_BUILD:-2400}
GUARD_BROWSER=${GUARD_BROWSER:-900}

timings=()

# phase NAME GUARD COMMAND...: runs COMMAND, stopped after GUARD seconds.
phase() {
  local name=$1 guard=$2 started status
  shift 2
  printf '\n==> %s (stopped after %s s)\n' "$name" "$guard"
  started=$(date +%s)
  set +e
  timeout --foreground --kill-after=15 "$guard" "$@"
  status=$?
  set -e
  local took=$(($(date +%s) - started))
  timings+=("$(printf '%-22s %5d s' "$name" "$took")")
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    summary
    printf '\nFAILED: %s did not finish within %s s and was stopped. Something is stuck: run it alone to see where.\n' \
      "$name" "$guard" >&2
    exit 1
  fi
  if [ "$status" -ne 0 ]; then
    summary
    printf '\nFAILED: %s (exit %s)\n' "$name" "$status" >&2
    exit "$status"
  fi
}

summary() {
  printf '\nTime by phase:\n'
  printf '  %s\n' "${timings[@]}"
}

# Incremental compilation pays off only on a machine that builds again; a
# fresh clone in CI builds once, and the incremental cache would take gigabytes.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

# A full build from a fresh clone needs about 10 GB; say so up front rather
# than fail at the linker.
free_gb=$(df -Pk target 2>/dev/null | awk 'NR==2 {print int($4/1048576)}' || df -Pk . | awk 'NR==2 {print int($4/1048576)}')
if [ -n "${free_gb:-}" ] && [ "$free_gb" -lt 10 ]; then
  printf 'WARNING: only %s GB free here; a build from scratch needs about 10 GB.\n' "$free_gb" >&2
fi

run_started=$(date +%s)
# Formatting and clippy, warnings as errors, on the server side and on the
# browser crate for wasm32: first, as a mistake here is the quickest to find.
phase "lint" "$GUARD_LINT" bash -c 'cargo fmt --all --check \
  && cargo clippy --workspace --exclude frontend --all-targets --quiet -- -D warnings \
  && cargo clippy -p frontend --target wasm32-unknown-unknown --quiet -- -D warnings'
# `--exclude frontend`: the browser crate would switch on the server and browser features together.
phase "build tests" "$GUARD_BUILD_TESTS" cargo test --workspace --exclude frontend --no-run --quiet
phase "unit tests" "$GUARD_UNIT" cargo test --workspace --exclude frontend --quiet --lib --bins
# Eight at a time: most of a test's time is waiting on a database or a server,
# not a core. Same package selection as "build tests": `-p server` alone
# resolves features differently and would build the server a second time.
phase "integration tests" "$GUARD_INTEGRATION" cargo test --workspace --exclude frontend --test integration --quiet -- --test-threads 8
# Skipped when no source changed since the last release build (the Makefile's stamp).
phase "release build" "$GUARD_RELEASE_BUILD" make --no-print-directory site
GUARD_BUDGET=${GUARD_BUDGET:-120}
phase "bundle budget" "$GUARD_BUDGET" node scripts/size.mjs --check
phase "browser tests" "$GUARD_BROWSER" bash -c 'cd end2end && npx playwright test'
summary
printf '  %-22s %5d s\n' "total" "$(($(date +%s) - run_started))"
