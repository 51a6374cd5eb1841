#!/usr/bin/env bash
# Installs what n8n's queue mode needs on this machine, from Debian's packages: redis-server (the
# job queue) and postgresql (the shared database). Only the binaries are used: the queue-mode
# runtime (harness/real-n8n/queue.ts) starts its own servers on 127.0.0.1 with throwaway data and
# stops them; the packages' system services are not started. Does nothing when both are present.
set -euo pipefail

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
have_redis() { command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ]; }

if have_postgres && have_redis; then
  echo "[queue-deps] redis-server and postgresql are installed" >&2
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo -n); fi
packages=()
have_redis || packages+=(redis-server)
have_postgres || packages+=(postgresql)
echo "[queue-deps] installing ${packages[*]} (Debian packages)..." >&2
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
have_postgres && have_redis
echo "[queue-deps] ready" >&2
