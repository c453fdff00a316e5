#!/usr/bin/env bash
# Stops the demo Prometheus and exporter started by start-prometheus.sh (by their pid files).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEMO="$(cd "$HERE/../.." && pwd)/.demo"
quiet=""
[[ "${1:-}" == "--quiet" ]] && quiet=1
say() { [[ -n "$quiet" ]] || echo "$@"; }

stop() { # name, pid file, expected command fragment
  local name="$1" file="$2" match="$3" pid
  [[ -f "$file" ]] || { say "$name: not running (no pid file)"; return 0; }
  pid="$(cat "$file")"
  if ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$match"; then
    say "$name: not running (stale pid $pid)"; rm -f "$file"; return 0
  fi
  kill "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; say "$name: killed (pid $pid)"; else say "$name: stopped (pid $pid)"; fi
  rm -f "$file"
}

stop prometheus "$DEMO/prometheus.pid" "$DEMO/prometheus.yml"
stop exporter "$DEMO/exporter.pid" "exporter.mjs"
