#!/usr/bin/env bash
# Installs the browser `npm run test:ui` drives: Debian's Chromium, when it is not there yet.
# Playwright's library (playwright-core, a devDependency) drives it and never downloads a browser.
# Prints the browser's path on its last line.
set -euo pipefail

browser="${ELECTIO_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$browser" ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo -n"
  echo "[browser] installing chromium from Debian (first time only, ~1 minute)..." >&2
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >&2
fi
echo "[browser] $("$browser" --version 2>/dev/null)" >&2
echo "$browser"
