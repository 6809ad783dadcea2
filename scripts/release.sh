#!/usr/bin/env bash
# `npm run release`: lint, typecheck, unit tests, build, check what `npm pack` would ship, then
# publish with npm provenance (since 1 May 2026 n8n wants every community node published from a
# GitHub Actions workflow with a provenance statement:
# https://docs.n8n.io/integrations/creating-nodes/build/reference/verification-guidelines/).
#
#   npm run release -- --dry-run      every step, then print the pack listing, version and dist-tag
#                                     and stop: nothing is published
#   npm run release                   the same, then `npm publish --provenance --access public`
#
# Options:
#   --dry-run       stop before publishing; print what would be published
#   --skip-checks   skip lint, typecheck and unit tests (dry run only)
#   --skip-build    use the dist/ already built (dry run only)
#   --tag <tag>     npm dist-tag (default: latest, or next for a prerelease version like 1.2.0-beta.1)
#
# The end-to-end suite (real n8n, about 10 minutes) is not run here: the main workflow runs it
# (.ci/run) on every push to main, and a release is cut from a green main.
#
# Provenance needs an OIDC token from the CI provider, so a real publish only runs inside GitHub
# Actions with `permissions: id-token: write` (.github/workflows/publish.yml does this on a v* tag).
# NPM_PUBLISH_CMD replaces `npm publish` (the package tests use it to prove nothing is published).
set -euo pipefail
cd "$(dirname "$0")/.."

dry_run=false
skip_checks=false
skip_build=false
tag=""
while [ $# -gt 0 ]; do
	case "$1" in
		--dry-run) dry_run=true ;;
		--skip-checks) skip_checks=true ;;
		--skip-build) skip_build=true ;;
		--tag)
			[ $# -ge 2 ] || { echo "[release] --tag needs a value" >&2; exit 2; }
			tag="$2"
			shift
			;;
		--tag=*) tag="${1#--tag=}" ;;
		-h | --help)
			sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
			exit 0
			;;
		*)
			echo "[release] unknown option: $1 (see --help)" >&2
			exit 2
			;;
	esac
	shift
done

say() { echo "[release] $*"; }
fail() {
	echo "[release] error: $*" >&2
	exit 1
}

if ! $dry_run; then
	$skip_checks && fail "--skip-checks is for a dry run only: a release runs every check"
	$skip_build && fail "--skip-build is for a dry run only: a release publishes a fresh build"
	[ -n "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] ||
		fail "npm provenance needs GitHub Actions' OIDC token (permissions: id-token: write). Push the tag v<version> and let .github/workflows/publish.yml publish, or run with --dry-run."
	changes=$(git status --porcelain) || fail "not a git repository: publish from a clone of the package"
	[ -z "$changes" ] || fail "the working tree has uncommitted changes: publish only what is committed"
fi

version=$(node -p "require('./package.json').version")
name=$(node -p "require('./package.json').name")
if [ -z "$tag" ]; then
	case "$version" in
		*-*) tag=next ;;
		*) tag=latest ;;
	esac
fi

ran=()
skipped=()
step() {
	local label="$1"
	shift
	say "step: $label ($*)"
	"$@"
	ran+=("$label")
}

if $skip_checks; then
	skipped+=(lint typecheck "unit tests")
else
	step lint npm run --silent lint
	step typecheck npm run --silent typecheck
	step "unit tests" npm run --silent test:unit
fi
if $skip_build; then
	skipped+=(build)
	say "using the dist/ already built (--skip-build): it may be older than the sources"
else
	step build npm run --silent build
fi
skipped+=("e2e (run by .ci/run on main)")

# What would be published: only dist/**, README.md, LICENSE and package.json, with every file the
# n8n block of package.json lists. `npm pack --dry-run` is local: it reads no registry.
say "step: pack check (npm pack --dry-run)"
pack_json=$(npm pack --dry-run --json --ignore-scripts 2>/dev/null)
PACK_JSON="$pack_json" node -e '
	const pack = JSON.parse(process.env.PACK_JSON.slice(process.env.PACK_JSON.indexOf("[")))[0];
	const pkg = require("./package.json");
	const files = pack.files.map((file) => file.path).sort();
	const allowed = (path) => path.startsWith("dist/") || ["README.md", "LICENSE", "package.json"].includes(path);
	const unexpected = files.filter((path) => !allowed(path));
	const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	const missing = listed.filter((path) => !files.includes(path));
	for (const path of files) console.log(`  ${path}`);
	console.log(`[release] ${files.length} files, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked: ${pack.filename}`);
	if (unexpected.length) {
		console.error(`[release] error: files outside dist/ would be published: ${unexpected.join(", ")}`);
		process.exit(1);
	}
	if (missing.length) {
		console.error(`[release] error: package.json n8n block lists files the package lacks (build first): ${missing.join(", ")}`);
		process.exit(1);
	}
'
ran+=("pack check")

publish=(${NPM_PUBLISH_CMD:-npm publish} --provenance --access public --tag "$tag")
say "package: $name"
say "version: $version"
say "dist-tag: $tag"
joined() {
	local out="" item
	for item in "$@"; do out="${out:+$out, }$item"; done
	echo "$out"
}
say "steps run: $(joined "${ran[@]}")"
say "steps skipped: $(joined "${skipped[@]}")"

if $dry_run; then
	say "dry run: would run: ${publish[*]}"
	say "dry run: nothing published"
	exit 0
fi

say "publishing: ${publish[*]}"
"${publish[@]}"
say "published $name@$version with provenance (dist-tag $tag)"
