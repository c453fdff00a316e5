#!/usr/bin/env bash
# (Re)generates the demo history and starts the demo exporter and Prometheus in the background.
#   NTHLAYER_PROMETHEUS_PORT (9099)  NTHLAYER_DEMO_EXPORTER_PORT (9464)  PROMETHEUS (prometheus)
# The old data under .demo/ is wiped: the history always ends "now". Stop with stop-prometheus.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../env.sh
source "$ROOT/scripts/env.sh"
DEMO="$ROOT/.demo"
PROM_PORT="${NTHLAYER_PROMETHEUS_PORT:-9099}"
EXPORTER_PORT="${NTHLAYER_DEMO_EXPORTER_PORT:-9464}"
PROMETHEUS="${PROMETHEUS:-prometheus}"
PROM_URL="http://127.0.0.1:$PROM_PORT"
EXPORTER_URL="http://127.0.0.1:$EXPORTER_PORT"

command -v "$PROMETHEUS" >/dev/null || { echo "start-prometheus: $PROMETHEUS not found" >&2; exit 1; }
command -v promtool >/dev/null || { echo "start-prometheus: promtool not found" >&2; exit 1; }

"$HERE/stop-prometheus.sh" --quiet || true
for url in "$PROM_URL" "$EXPORTER_URL"; do
  if curl -s -o /dev/null --max-time 2 "$url/"; then
    echo "start-prometheus: something else already listens on $url (not started by these scripts)" >&2
    exit 1
  fi
done

started=$(date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

rm -rf "$DEMO/prometheus-data" "$DEMO/backfill.om"
mkdir -p "$DEMO/rules"
node "$HERE/backfill.mjs" --data "$DEMO/prometheus-data"

NTHLAYER_DEMO_EXPORTER_PORT="$EXPORTER_PORT" nohup node "$HERE/exporter.mjs" >"$DEMO/exporter.log" 2>&1 &
echo $! >"$DEMO/exporter.pid"
for _ in $(seq 50); do
  curl -sf -o /dev/null --max-time 1 "$EXPORTER_URL/-/healthy" && break
  sleep 0.1
done
curl -sf -o /dev/null --max-time 1 "$EXPORTER_URL/-/healthy" || {
  echo "start-prometheus: the exporter did not start, see $DEMO/exporter.log" >&2; cat "$DEMO/exporter.log" >&2; exit 1; }

sed -e "s#127.0.0.1:9464#127.0.0.1:$EXPORTER_PORT#" -e "s#\.\./\.demo/rules/#$DEMO/rules/#" \
  "$HERE/prometheus.yml" >"$DEMO/prometheus.yml"

prom_started=$(date +%s%N)
nohup "$PROMETHEUS" \
  --config.file="$DEMO/prometheus.yml" \
  --storage.tsdb.path="$DEMO/prometheus-data" \
  --storage.tsdb.retention.time=90d \
  --web.listen-address="127.0.0.1:$PROM_PORT" \
  --web.enable-lifecycle \
  >"$DEMO/prometheus.log" 2>&1 &
echo $! >"$DEMO/prometheus.pid"

ready=""
for _ in $(seq 600); do
  if curl -sf -o /dev/null --max-time 1 "$PROM_URL/-/ready"; then ready=1; break; fi
  kill -0 "$(cat "$DEMO/prometheus.pid")" 2>/dev/null || break
  sleep 0.2
done
if [[ -z "$ready" ]]; then
  echo "start-prometheus: Prometheus did not become ready, see $DEMO/prometheus.log" >&2
  tail -20 "$DEMO/prometheus.log" >&2
  exit 1
fi
ready_ms=$(ms_since "$prom_started")

# Wait for the first successful scrape, so the history and the live data are joined.
scraped=""
for _ in $(seq 100); do
  if curl -sf --max-time 2 "$PROM_URL/api/v1/query" --data-urlencode 'query=up{job="nthlayer-demo"} == 1' \
    | grep -q '"value"'; then scraped=1; break; fi
  sleep 0.3
done

cat <<SUMMARY

NthLayer demo Prometheus
  Prometheus   $PROM_URL   (pid $(cat "$DEMO/prometheus.pid"), ready ${ready_ms} ms after launch, log .demo/prometheus.log)
  exporter     $EXPORTER_URL/metrics   (pid $(cat "$DEMO/exporter.pid"), log .demo/exporter.log)
  scenario     T0 $(node -p "require('$DEMO/scenario.json').t0"), history from 31 days before; first scrape $([[ -n "$scraped" ]] && echo ok || echo "not yet")
  rules        drop *.yml files into .demo/rules/ and: curl -X POST $PROM_URL/-/reload
  total        $(( $(ms_since "$started") / 1000 )) s
  expected     node scripts/demo/expected-budgets.mjs            (closed-form budgets)
  check        node scripts/demo/expected-budgets.mjs --check $PROM_URL
  stop         scripts/demo/stop-prometheus.sh
SUMMARY
