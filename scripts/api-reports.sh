#!/usr/bin/env bash
# API reports of the public packages (report.api.md, report-alpha.api.md, cli-report.md) with
# Backstage's repo-tools. `--ci` fails when a report differs from the committed one.
# One package per run: with several, the order in which repo-tools' parallel scan lists them
# changes the compiler's type order, and with it the order of union members in the reports.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NTHLAYER_ROOT"
# From a clean, full compile: an incremental one can emit inferred unions in another order.
rm -rf dist-types
yarn tsc --incremental false
for dir in plugins/nthlayer plugins/nthlayer-backend plugins/nthlayer-common \
  plugins/nthlayer-generators plugins/tech-insights-backend-module-nthlayer plugins/scaffolder-backend-module-nthlayer packages/nthlayer-cli; do
  yarn backstage-repo-tools api-reports -o ae-wrong-input-file-type,ae-undocumented \
    --validate-release-tags "$@" "$dir"
done
