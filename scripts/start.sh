#!/usr/bin/env bash
# `npm start`: a local n8n on http://127.0.0.1:5678 (N8N_PORT) with this package installed the
# Community Nodes way, demo credentials pointing at the Meta Graph simulator (the demo scenario, or
# `npm start -- --scenario <name>`) and the templates. Ctrl-C stops n8n and the simulator.
# See README "Real n8n, end-to-end tests and queue mode".
#
# Six numbered steps with the elapsed time: 1 to 3 here, 4 to 6 in scripts/start.ts. The first
# run installs n8n (about 3.5 GB, 4 minutes on an idle 2-core machine and up to 15 on a busy one,
# needs g++, make and python3); later runs reuse it.
set -euo pipefail
cd "$(dirname "$0")/.."

started_s=$(date +%s)
export NPM_START_STARTED_MS="${started_s}000"
step() { echo "[start] step $1/6 ($(( $(date +%s) - started_s )) s so far): $2" >&2; }

# Node itself first: everything below runs on it.
if ! command -v node >/dev/null 2>&1; then
	echo "[start] cannot start: Node.js 20.15 or newer is needed (https://nodejs.org/)" >&2
	exit 2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
	echo "[start] cannot start: Node.js $(node --version) is too old; 20.15 or newer is needed" >&2
	exit 2
fi

# Before anything is installed or built: the arguments (--scenario) and every port the demo needs
# (plain Node, no dependency: works on a fresh clone).
step 1 "checking the arguments and the ports"
set +e
node scripts/lib/preflight.js "$@"
checked=$?
set -e
[ "$checked" -eq 3 ] && exit 0 # --help
[ "$checked" -ne 0 ] && exit "$checked"

if [ ! -d node_modules/typescript ]; then
	step 2 "installing dev dependencies (npm ci, about a minute)"
	npm ci --no-audit --no-fund
else
	step 2 "dev dependencies already installed"
fi

step 3 "building the package"
npm run --silent build

# start.ts ensures the pinned runtime (Node 24 + n8n in .n8n/runtime; first run 4 to 15 minutes,
# then it is reused), starts the simulator and n8n. exec: it receives Ctrl-C itself and stops both.
exec node node_modules/tsx/dist/cli.mjs scripts/start.ts "$@"
