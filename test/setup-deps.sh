#!/usr/bin/env bash
# test/setup-deps.sh: install what the build, the tests and the demo need on
# Debian 12, and nothing else.
#
# Idempotent and quick when everything is present: each Debian package is
# checked with dpkg-query first, apt-get runs only for what is missing, and
# npm runs only when test/node_modules does not match test/package-lock.json.
# Works as root (apt-get directly) or as a user with sudo.
#
# Usage: bash test/setup-deps.sh [--no-npm]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf 'setup-deps: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

want_npm=1
[ "${1:-}" = "--no-npm" ] && want_npm=0

# Debian packages.  Keep each line's reason short and true.
pkgs=(
	build-essential            # compilers, make
	postgresql-15              # server, pg_ctl, initdb, pg_virtualenv (postgresql-common)
	postgresql-server-dev-15   # PGXS, pg_regress
	freetds-dev                # db-lib headers and libsybdb for the extension
	freetds-bin                # tsql, freebcp, bsqldb: client tests and fixtures
	libsqlite3-dev             # the stand-in's storage
	libssl-dev                 # the stand-in's TLS
	openssl                    # throwaway certificates
	postgresql-15-tds-fdw      # peer FDW: client proof test and benchmarks
	postgresql-15-cron         # scheduling tests
	tcpdump                    # loopback capture in the encryption proof test
	libipc-run-perl            # TAP suites (PostgreSQL::Test::Cluster)
	ca-certificates            # npm over https
	python3                    # the stand-in's wire-level protocol test
)

missing=()
for line in "${pkgs[@]}"; do
	p=${line%% *}
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

# Node: any Node >= 18.17 satisfies tedious 19 (Debian 12 ships 18.20).
# Only install Debian's nodejs/npm if there is no node/npm at all, so that a
# newer Node already on the machine is left alone.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $* (run as root or install sudo)"
	fi
}

if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
else
	log "Debian packages: all present"
fi

command -v node >/dev/null 2>&1 || die "node is still missing after installation"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "Node $(node --version) is too old; tedious 19 needs >= 18.17"

# npm packages, pinned by test/package-lock.json.
if [ "$want_npm" -eq 1 ]; then
	stamp="$here/node_modules/.package-lock.json"
	if [ -f "$stamp" ] && [ "$stamp" -nt "$here/package-lock.json" ] &&
		node -e 'require.resolve("tedious", {paths: [process.argv[1]]})' "$here" 2>/dev/null; then
		log "npm packages: up to date"
	else
		log "npm ci in $here"
		(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
	fi
fi

log "done"
