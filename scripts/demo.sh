#!/usr/bin/env bash
# Sets up everything on a fresh machine and starts the demo: Prometheus with 30 days of
# synthetic history (and a live exporter continuing it), the backend on :7007 and the
# frontend on http://localhost:3000, signed in as guest.
#   scripts/demo.sh               run in the foreground (Ctrl-C stops everything)
#   scripts/demo.sh --background  start, wait until ready, return (used by the e2e tests)
#   scripts/demo.sh --stop        stop a background demo
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NTHLAYER_ROOT"
mkdir -p .demo

stop_all() {
  if [ -f .demo/app.pid ]; then
    kill -- -"$(cat .demo/app.pid)" 2>/dev/null || kill "$(cat .demo/app.pid)" 2>/dev/null || true
    rm -f .demo/app.pid
  fi
  bash scripts/demo/stop-prometheus.sh || true
}

if [ "${1:-}" = "--stop" ]; then stop_all; exit 0; fi

bash scripts/bootstrap.sh
bash scripts/demo/start-prometheus.sh

wait_for() { # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -fs -o /dev/null "$1"; do
    if [ $SECONDS -ge $deadline ]; then echo "demo: $1 did not come up" >&2; return 1; fi
    sleep 2
  done
}

if [ "${1:-}" = "--background" ]; then
  setsid yarn start > .demo/app.log 2>&1 < /dev/null &
  echo $! > .demo/app.pid
  if ! wait_for http://localhost:7007/api/nthlayer/health 240 || ! wait_for http://localhost:3000 240; then
    tail -50 .demo/app.log >&2; exit 1
  fi
  # The catalog ingests catalog-info/ asynchronously; wait until the demo services exist.
  token=$(curl -fs -H 'X-Requested-With: XMLHttpRequest' \
    'http://localhost:7007/api/auth/guest/refresh?env=development' |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).backstageIdentity.token))')
  deadline=$((SECONDS + 300))
  until [ "$(curl -fs -H "Authorization: Bearer $token" \
      'http://localhost:7007/api/catalog/entities/by-query?filter=metadata.annotations.nthlayer.dev/tier&limit=1000&fields=metadata.name' |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).items.length)}catch{console.log(0)}})')" -ge 16 ]; do
    if [ $SECONDS -ge $deadline ]; then echo "demo: the catalog did not ingest catalog-info/" >&2; exit 1; fi
    sleep 2
  done
  node scripts/demo/record-deployments.mjs
  node scripts/demo/record-incidents.mjs
  node scripts/demo/load-rules.mjs
  echo "demo: up — frontend http://localhost:3000, backend http://localhost:7007 (logs: .demo/app.log)"
else
  trap stop_all EXIT
  echo "demo: starting Backstage — open http://localhost:3000 once it says it is ready"
  # The deployments of the story, once the backend and the catalog are up.
  (node scripts/demo/record-deployments.mjs && node scripts/demo/record-incidents.mjs && node scripts/demo/load-rules.mjs) &
  yarn start
fi
