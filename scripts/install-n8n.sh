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
rm -rf "$home.partial"
mkdir -p "$home.partial"
cd "$home.partial"
cat > package.json <<JSON
{ "name": "electio-n8n-runtime", "private": true, "version": "0.0.0" }
JSON
# n8n's optional Kafka native module fails to build: skip install scripts, then build sqlite3 alone.
( npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$N8N_VERSION" "node@$NODE_RANGE" ) >&2 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  size=$(du -sm node_modules 2>/dev/null | cut -f1 || echo 0)
  echo "[n8n] npm install running: $(( $(date +%s) - start ))s, ${size:-0} MB so far" >&2
done
wait "$pid"

# The `node` package's own install script would link its platform binary; do it by hand.
node24_pkg=$(ls -d node_modules/node/node_modules/node-linux-* node_modules/node-linux-* 2>/dev/null | head -n 1)
if [ ! -x node_modules/node/bin/node ] && [ -n "$node24_pkg" ]; then
  mkdir -p node_modules/node/bin
  ln -sf "$PWD/$node24_pkg/bin/node" node_modules/node/bin/node
fi
"$PWD/node_modules/node/bin/node" --version >&2

echo "[n8n] building sqlite3 against Node 24 headers (~1 minute)..." >&2
PATH="$PWD/node_modules/node/bin:$PATH" npm_config_nodedir="$PWD/$node24_pkg" \
  npm rebuild sqlite3 --loglevel=error >&2

touch .complete
cd /
rm -rf "$home"
mv "$home.partial" "$home"
echo "[n8n] ready" >&2
echo "$home"
