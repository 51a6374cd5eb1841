#!/usr/bin/env bash
# Installs a pinned n8n and the Node runtime it supports (from the npm `node` package), once, into
# a cache outside the clone, so every fresh clone on this machine (CI included) reuses it.
# Prints the install folder on its last line.
#
# Which n8n: ELECTIO_N8N_VERSION (default 2.41.1). `1.123.x` (or `1`) is the newest 1.123 release
# this project was checked on, pinned below; any exact version works too. n8n 2.x runs on Node 24,
# n8n 1.x on Node 22 (its expression engine's isolated-vm is built against Node 22's headers).
set -euo pipefail

N8N_1_LINE=1.123.81 # the newest 1.123.x on the registry when last checked (npm view n8n versions)
requested="${ELECTIO_N8N_VERSION:-${N8N_VERSION:-2.41.1}}"
case "$requested" in
  1 | 1.x | 1.123 | 1.123.x) N8N_VERSION="$N8N_1_LINE" ;;
  2 | 2.x | 2.41 | 2.41.x | default) N8N_VERSION=2.41.1 ;;
  *) N8N_VERSION="$requested" ;;
esac
if ! [[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "[n8n] ELECTIO_N8N_VERSION=$requested is not a version (use 2.41.1, 1.123.x or an exact x.y.z)" >&2
  exit 2
fi
major="${N8N_VERSION%%.*}"
if [ "$major" -ge 2 ]; then default_node=24; else default_node=22; fi
NODE_RANGE="${N8N_NODE_RANGE:-$default_node}"
# ELECTIO_N8N_HOME moves the 2.41.1 install; other versions go beside it, as n8n-<version>
cache="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-electio"
[ -z "${ELECTIO_N8N_HOME:-}" ] || cache="$(dirname "$ELECTIO_N8N_HOME")"
if [ -n "${ELECTIO_N8N_HOME:-}" ] && [ "$N8N_VERSION" = 2.41.1 ]; then
  home="$ELECTIO_N8N_HOME"
else
  home="$cache/n8n-$N8N_VERSION"
fi

if [ -f "$home/.complete" ]; then
  echo "$home"
  exit 0
fi

echo "[n8n] installing n8n $N8N_VERSION on Node $NODE_RANGE into $home (first time only, ~4 minutes)..." >&2
mkdir -p "$home.partial"
cd "$home.partial"
if [ ! -f node_modules/n8n/package.json ] || [ ! -f node_modules/node/package.json ]; then
  if [ "$major" -ge 2 ]; then
    overrides='{}'
  else
    # n8n 1.x depends on xlsx by a tarball URL outside the npm registry: the registry's last
    # xlsx (0.18.5) has the same API and installs from the registry.
    overrides='{ "xlsx": "0.18.5" }'
  fi
  cat > package.json <<JSON
{ "name": "electio-n8n-runtime", "private": true, "version": "0.0.0", "overrides": $overrides }
JSON
  # n8n's optional Kafka native module fails to build: skip install scripts, build the native
  # modules n8n needs alone below.
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

# Native modules n8n needs, built against the runtime's own headers (the platform package ships them).
native=(sqlite3)
# n8n 1.x evaluates expressions in isolated-vm
if [ -f node_modules/isolated-vm/package.json ]; then
  native+=(isolated-vm)
fi
echo "[n8n] building ${native[*]} against Node $node_version headers (~1-2 minutes)..." >&2
PATH="$PWD/node_modules/node/bin:$PATH" npm_config_nodedir="$platform_dir" \
  npm rebuild "${native[@]}" --ignore-scripts=false --loglevel=error >&2

touch .complete
cd /
rm -rf "$home"
mv "$home.partial" "$home"
echo "[n8n] ready" >&2
echo "$home"
