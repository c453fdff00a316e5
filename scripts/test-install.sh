#!/usr/bin/env bash
# Proves that NthLayer installs into a Backstage app nobody here wrote, with exactly the
# README's "Install into your Backstage app" lines:
#   1. build and pack every public package through Backstage's prepack (tarballs point at
#      dist/), and check each tarball's entry points; install the CLI's tarball with npm and
#      run `nthlayer generate` and `nthlayer lint` on its example;
#   2. create a brand-new app with @backstage/create-app (the release of backstage.json) in a
#      temporary folder, with the committed Yarn;
#   3. apply the README's lines (the packages come from the tarballs, not the registry);
#   4. run the new app's `tsc` and `build`;
#   5. start its backend on a free port against a real, empty Prometheus and prove
#      /api/nthlayer/health answers and an annotated entity's SLOs and generated configs are
#      served;
#   6. open the built frontend in Debian's Chromium: the entity page has the NthLayer card
#      and the Reliability tab.
# Env: NTHLAYER_INSTALL_DIR (work folder, default a new temporary one, removed afterwards
# unless NTHLAYER_INSTALL_KEEP=1). Prints its wall time per step.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NTHLAYER_ROOT"

CREATE_APP_VERSION=0.9.2 # writes a Backstage 1.55.0 app (the release of backstage.json)
PACKAGES=(
  @nthlayer/backstage-plugin
  @nthlayer/backstage-plugin-backend
  @nthlayer/backstage-plugin-common
  @nthlayer/backstage-plugin-generators
  @nthlayer/cli
)

WORK="${NTHLAYER_INSTALL_DIR:-$(mktemp -d -t nthlayer-install-XXXXXX)}"
mkdir -p "$WORK"
APP="$WORK/app"
PACKS="$WORK/packs"
BACKEND_PID=""
PROM_PID=""
cleanup() {
  [ -n "$BACKEND_PID" ] && kill "$BACKEND_PID" 2>/dev/null || true
  [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null || true
  if [ "${NTHLAYER_INSTALL_KEEP:-}" != 1 ] && [ -z "${NTHLAYER_INSTALL_DIR:-}" ]; then
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

START=$SECONDS
LAST=$SECONDS
TIMES=()
step() {
  if [ -n "${CURRENT:-}" ]; then TIMES+=("$CURRENT: $((SECONDS - LAST)) s"); fi
  CURRENT="$1"; LAST=$SECONDS
  printf '\n--> install test: %s (%ss)\n' "$1" "$((SECONDS - START))"
}
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

step "build and pack the public packages"
yarn tsc
yarn backstage-cli repo build
rm -rf "$PACKS"; mkdir -p "$PACKS"
for pkg in "${PACKAGES[@]}"; do
  yarn workspace "$pkg" pack --out "$PACKS/%s-%v.tgz" >/dev/null
done
node scripts/install-test/check-tarballs.mjs "$PACKS"

step "the CLI from its tarball: npm install, generate, lint, promtool"
CLI="$WORK/cli"
rm -rf "$CLI"; mkdir -p "$CLI"
(cd "$CLI" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
  "$PACKS"/@nthlayer-cli-*.tgz "$PACKS"/@nthlayer-backstage-plugin-common-*.tgz \
  "$PACKS"/@nthlayer-backstage-plugin-generators-*.tgz >/dev/null)
"$CLI/node_modules/.bin/nthlayer" generate \
  "$CLI/node_modules/@nthlayer/cli/examples/checkout-api.service.yaml" --out "$CLI/generated"
"$CLI/node_modules/.bin/nthlayer" lint "$CLI/generated" # exit 0: clean
"${PROMTOOL:-promtool}" check rules "$CLI"/generated/prometheus/*.yaml

step "create a new app with @backstage/create-app@$CREATE_APP_VERSION"
rm -rf "$APP"
echo nthlayer-install-test |
  npx --yes "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path "$APP" >"$WORK/create-app.log" 2>&1 ||
  { cat "$WORK/create-app.log"; exit 1; }
release="$(node -p "require('$APP/backstage.json').version")"
ours="$(node -p "require('./backstage.json').version")"
[ "$release" = "$ours" ] || { echo "create-app wrote a $release app, this repository is on $ours" >&2; exit 1; }
# Registry facts of these machines (MACHINE-FACTS) and the Backstage release: see
# pin-release.mjs. The new app's yarn.lock starts from ours, as create-app would start it from
# Backstage's seed lockfile (which cannot be fetched here).
node scripts/install-test/pin-release.mjs "$NTHLAYER_ROOT" "$APP" "$PACKS"
# create-app writes `npmMinimalAgeGate: 3d`. New resolutions here wait 14 days instead: a CI
# run once found tar-fs 3.1.4 (10 days old) but "No candidates" for the tar-stream ^3.3.0 it
# needs, published the same day (a registry mirror that had not caught up). Versions two weeks
# old are everywhere; the release's own packages are pinned above and preapproved.
grep -q '^npmMinimalAgeGate:' "$APP/.yarnrc.yml" || { echo "create-app no longer writes npmMinimalAgeGate" >&2; exit 1; }
sed -i 's/^npmMinimalAgeGate:.*/npmMinimalAgeGate: 14d/' "$APP/.yarnrc.yml"
cp yarn.lock "$APP/yarn.lock"

step "apply the README's install lines (yarn add from the tarballs)"
(cd "$APP" && node "$NTHLAYER_ROOT/scripts/install-test/apply-readme.mjs" "$NTHLAYER_ROOT/README.md" "$APP" "$PACKS")
grep -q "@nthlayer/backstage-plugin-backend" "$APP/packages/backend/src/index.ts"
grep -q "nthlayerPlugin" "$APP/packages/app/src/App.tsx"

step "the new app's tsc"
(cd "$APP" && yarn tsc)

step "the new app's build"
(cd "$APP" && yarn build:all)
grep -rlq "nthlayer" "$APP/packages/app/dist/static" ||
  { echo "the built frontend does not contain the NthLayer plugin" >&2; exit 1; }

step "start the new app's backend with a real Prometheus and ask NthLayer"
PROM_PORT="$(free_port)"
mkdir -p "$WORK/prometheus"
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$WORK/prometheus/prometheus.yml"
prometheus --config.file="$WORK/prometheus/prometheus.yml" --storage.tsdb.path="$WORK/prometheus/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus/log" 2>&1 &
PROM_PID=$!

PORT="$(free_port)"
TOKEN="$(node -p 'require("crypto").randomBytes(24).toString("hex")')"
cat >"$WORK/entities.yaml" <<'YAML'
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: install-check-api
  annotations:
    nthlayer.dev/tier: "1"
    nthlayer.dev/slo-availability: "99.95"
spec:
  type: service
  lifecycle: production
  owner: guests
  dependsOn: [resource:default/install-check-db]
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: install-check-db
  annotations:
    nthlayer.dev/technology: postgresql
spec:
  type: database
  owner: guests
YAML
cat >"$WORK/app-config.install-test.yaml" <<YAML
app:
  baseUrl: http://localhost:$PORT
backend:
  baseUrl: http://localhost:$PORT
  listen: { port: $PORT, host: 127.0.0.1 }
  database: { client: better-sqlite3, connection: ':memory:' }
  auth:
    externalAccess:
      - type: static
        options: { token: $TOKEN, subject: nthlayer-install-test }
auth:
  providers:
    # the built bundle runs outside NODE_ENV=development, where guests are refused by default
    guest: { dangerouslyAllowOutsideDevelopment: true }
catalog:
  locations:
    - type: file
      target: $WORK/entities.yaml
      rules: [{ allow: [Component, Resource] }]
nthlayer:
  prometheus:
    baseUrl: http://127.0.0.1:$PROM_PORT
YAML
# Run the build output as the app's Dockerfile does: the backend bundle unpacked on its own,
# with the app's app-config.yaml (node_modules are the app's, installed above).
rm -rf "$WORK/deploy"; mkdir -p "$WORK/deploy"
tar xzf "$APP/packages/backend/dist/bundle.tar.gz" -C "$WORK/deploy"
ln -s "$APP/node_modules" "$WORK/deploy/node_modules"
cp "$APP/app-config.yaml" "$WORK/deploy/"
(cd "$WORK/deploy" &&
  exec node packages/backend --config app-config.yaml --config "$WORK/app-config.install-test.yaml") \
  >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
NTHLAYER_URL="http://127.0.0.1:$PORT/api/nthlayer" NTHLAYER_TOKEN="$TOKEN" \
  NTHLAYER_BACKEND_PID="$BACKEND_PID" NTHLAYER_BACKEND_LOG="$WORK/backend.log" \
  node scripts/install-test/probe-backend.mjs

step "open the new app's built frontend in Chromium"
NTHLAYER_APP_URL="http://localhost:$PORT" node scripts/install-test/probe-frontend.mjs

step "done"
printf '\ninstall test passed in %s s:\n' "$((SECONDS - START))"
printf '  %s\n' "${TIMES[@]}"
