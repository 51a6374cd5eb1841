#!/usr/bin/env bash
# Installs n8n (pinned) and a Node 24 runtime from the npm `node` package, once, into a cache
# outside the clone, so every fresh clone on this machine (CI included) reuses it.
# Prints the install folder on its last line.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_RANGE="${N8N_NODE_RANGE:-24}"
home="${ELECTIO_N8N_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-electio/n8n-$N8N_VERSION}"

if [ -f "$home/.complete" ]; then
  echo "$home"
  exit 0
fi

echo "[n8n] installing n8n $N8N_VERSION on Node $NODE_RANGE into $home (first time only, ~4 minutes)..." >&2
mkdir -p "$home.partial"
cd "$home.partial"
if [ ! -f node_modules/n8n/package.json ] || [ ! -f node_modules/node/package.json ]; then
  cat > package.json <<JSON
{ "name": "electio-n8n-runtime", "private": true, "version": "0.0.0" }
JSON
  # n8n's optional Kafka native module fails to build: skip install scripts, build sqlite3 alone below.
  ( npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$N8N_VERSION" "node@$NODE_RANGE" ) >&2 &
  pid=$!
  start=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    size=$(du -sm node_modules 2>/dev/null | cut -f1 || echo 0)
    if [ "${size:-0}" -lt 20 ]; then what="resolving the dependency tree"; else what="${size} MB of ~2900 MB downloaded"; fi
    echo "[n8n] npm install running: $(( $(date +%s) - start ))s, $what" >&2
  done
  wait "$pid"
fi

# The `node` package's preinstall (skipped above) would fetch its platform package and link
# bin/node; do the same by hand, still without running any package's scripts.
node_version=$(node -p 'require("./node_modules/node/package.json").version')
platform_pkg="node-linux-$(node -p process.arch)"
platform_dir="$PWD/node_modules/node/node_modules/$platform_pkg"
if [ ! -x "$platform_dir/bin/node" ]; then
  echo "[n8n] fetching the Node $node_version binary ($platform_pkg)..." >&2
  ( cd node_modules/node && npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "$platform_pkg@$node_version" ) >&2
fi
mkdir -p node_modules/node/bin
ln -f "$platform_dir/bin/node" node_modules/node/bin/node
echo "[n8n] node runtime: $(node_modules/node/bin/node --version)" >&2

echo "[n8n] building sqlite3 against Node 24 headers (~1 minute)..." >&2
PATH="$PWD/node_modules/node/bin:$PATH" npm_config_nodedir="$platform_dir" \
  npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2

touch .complete
cd /
rm -rf "$home"
mv "$home.partial" "$home"
echo "[n8n] ready" >&2
echo "$home"
