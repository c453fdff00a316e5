#!/usr/bin/env bash
# Sets up everything on a fresh machine and runs every test: type check, package metadata and
# API reports, lint, unit and integration tests (real Prometheus and promtool, SQLite and
# PostgreSQL), the end-to-end tests in Debian's Chromium against the running demo app, and the
# install test (the packed packages in a brand-new create-app app). Exits non-zero on any
# failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NTHLAYER_ROOT"
export CI="${CI:-1}"

step() { printf '\n==> %s (%ss)\n' "$1" "$SECONDS"; }

step "bootstrap"
bash scripts/bootstrap.sh

step "required tools: promtool and PostgreSQL (the test command never passes without them)"
PROMTOOL="${PROMTOOL:-promtool}"
export PROMTOOL
"$PROMTOOL" --version 2>&1 | head -n1 || { echo "promtool not found ($PROMTOOL)" >&2; exit 1; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null || { echo "PostgreSQL (initdb) not found" >&2; exit 1; }

# PagerDuty's published OpenAPI may not be copied into this repository; where it lies beside
# the checkout, the contract tests also cross-check our own schemas against it.
PD_OPENAPI="$NTHLAYER_ROOT/../shared/reference/pagerduty-openapi/rest-openapiv3.json"
if [ -z "${NTHLAYER_PAGERDUTY_OPENAPI:-}" ] && [ -f "$PD_OPENAPI" ]; then
  NTHLAYER_PAGERDUTY_OPENAPI="$(cd "$(dirname "$PD_OPENAPI")" && pwd)/$(basename "$PD_OPENAPI")"
  export NTHLAYER_PAGERDUTY_OPENAPI
fi
if [ -n "${NTHLAYER_PAGERDUTY_OPENAPI:-}" ]; then
  echo "PagerDuty OpenAPI cross-check: runs against $NTHLAYER_PAGERDUTY_OPENAPI"
else
  echo "PagerDuty OpenAPI cross-check: not run (no ../shared/reference/pagerduty-openapi/rest-openapiv3.json; our own schemas still run)"
fi

step "type check"
yarn tsc

step "package metadata (backstage-cli repo fix --publish --check) and API reports"
yarn backstage-cli repo fix --publish --check
node scripts/check-scripts.mjs
yarn test:api-reports

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
bash scripts/demo.sh --stop >/dev/null 2>&1 || true

step "install into a brand-new create-app app (scripts/test-install.sh)"
bash scripts/test-install.sh

step "all tests passed"
