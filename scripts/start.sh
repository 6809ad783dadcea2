#!/usr/bin/env bash
# `npm start`: a local n8n on http://127.0.0.1:5678 with this package installed the Community Nodes
# way, demo credentials pointing at the Meta Graph simulator (demo scenario) and the templates.
# Ctrl-C stops n8n and the simulator. See README "Real n8n, end-to-end tests and queue mode".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/typescript ]; then
	echo "[start] installing dev dependencies (npm ci)" >&2
	npm ci --no-audit --no-fund
fi

echo "[start] building the package" >&2
npm run --silent build

# start.ts ensures the pinned runtime (Node 24 + n8n in .n8n/runtime; first run about 4 minutes,
# then it is reused), starts the simulator and n8n. exec: it receives Ctrl-C itself and stops both.
exec node node_modules/tsx/dist/cli.mjs scripts/start.ts "$@"
