#!/usr/bin/env bash
set -euo pipefail
DIR="${NTHLAYER_TEST_PG_DIR:-/tmp/nthlayer-test-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
else "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true; fi
