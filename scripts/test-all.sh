#!/usr/bin/env bash
# Sets up everything on a fresh machine and runs every test: type check, lint, unit and
# integration tests (real Prometheus, SQLite and PostgreSQL), then the end-to-end tests in
# Debian's Chromium against the running demo app. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NTHLAYER_ROOT"
export CI="${CI:-1}"

step() { printf '\n==> %s (%ss)\n' "$1" "$SECONDS"; }

step "bootstrap"
bash scripts/bootstrap.sh

step "type check"
yarn tsc

step "lint (ESLint with Backstage's rules, every package)"
yarn backstage-cli repo lint

step "PostgreSQL for the store tests"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$(bash scripts/test/start-postgres.sh)"
export NTHLAYER_REQUIRE_POSTGRES=1
trap 'bash scripts/test/stop-postgres.sh; bash scripts/demo.sh --stop >/dev/null 2>&1 || true' EXIT

step "unit and integration tests"
yarn backstage-cli repo test

step "end-to-end tests (demo app + Chromium)"
bash scripts/demo.sh --background
yarn test:e2e

step "all tests passed"
