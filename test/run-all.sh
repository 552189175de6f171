#!/usr/bin/env bash
# test/run-all.sh: THE test command (README; .ci/run calls it).
#
#   install missing packages -> build the stand-in and the extension ->
#   make install -> start three stand-in instances -> load fixtures ->
#   run every suite -> summary.  Exit status 0 only if no suite failed.
#
# Point it at a real SQL Server instead of the stand-in by setting
# MSSQL_HOST (and MSSQL_PORT, MSSQL_USER, MSSQL_PASSWORD, MSSQL_DATABASE).
# Other knobs: MSSQL_SIM_BASE_PORT (default 51433, or the next free block;
# the stand-in uses it and the next four ports), SKIP_SETUP=1 (do not run
# test/setup-deps.sh), SUITES="name ..." (run only these suites; names as in
# the summary), SUITE_TIMEOUT (minutes after which a suite that has not
# ended is killed as hung; default 10, 0 = never).
#
# Works as root (PostgreSQL parts then run as "postgres") or as a user with
# sudo for the installation steps.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. test/tools/common.sh

tmp=$root/test/tmp
logs=$tmp/logs
export MC_RESULTS_DIR=$tmp/results
mkdir -p "$logs" "$MC_RESULTS_DIR"
export MC_TMP=$tmp
rm -f "$tmp"/freetds-*.conf

step() { printf '\n=== %s\n' "$*"; }

declare -a results=()
failed=0
suite_minutes=${SUITE_TIMEOUT:-10}
export root

# suite NAME COMMAND...: run one suite, its output both on the console and
# in test/tmp/logs/NAME.log.  Exit status 77 means skipped.
suite()
{
	local name=$1 rc start
	shift
	if [ -n "${SUITES:-}" ] && ! [[ " $SUITES " == *" $name "* ]]; then
		return 0
	fi
	step "suite $name: $*"
	start=$SECONDS
	# A hang guard, not a time limit on what is tested: a suite that has not
	# ended after SUITE_TIMEOUT minutes is stuck, and is killed with its
	# whole process group so the other suites still run.  timeout runs in a
	# process group of its own, out of reach of Ctrl-C, so its pid is kept
	# for the INT/TERM trap; the suite runs in the background and we wait,
	# so that the trap runs at once.
	(
		if [ "$suite_minutes" -gt 0 ]; then
			bash -c 'echo $$ >"$0"; m=$1; shift
				exec timeout --kill-after=30s "${m}m" bash -c ". test/tools/common.sh; \"\$@\"" suite "$@"' \
				"$tmp/suite.pid" "$suite_minutes" "$@" 2>&1 | tee "$logs/$name.log"
		else
			"$@" 2>&1 | tee "$logs/$name.log"
		fi
		exit "${PIPESTATUS[0]}"
	) &
	wait $!
	rc=$?
	rm -f "$tmp/suite.pid"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		results+=("FAIL  $name (still running after $suite_minutes min: killed as hung; log test/tmp/logs/$name.log)")
		failed=$((failed + 1))
	elif [ "$rc" -eq 0 ]; then
		results+=("PASS  $name ($((SECONDS - start))s)")
	elif [ "$rc" -eq 77 ]; then
		results+=("SKIP  $name: $(grep -m1 '^SKIP' "$logs/$name.log" | cut -c7-)")
	else
		results+=("FAIL  $name (exit $rc, log test/tmp/logs/$name.log)")
		failed=$((failed + 1))
	fi
}

# fatal NAME: a step every suite depends on failed; report and stop.
fatal()
{
	results+=("FAIL  $1")
	failed=$((failed + 1))
	summary
	exit 1
}

summary()
{
	step "summary"
	printf '%s\n' "${results[@]}"
	if [ "$failed" -eq 0 ]; then
		echo "all suites passed (${SECONDS}s)"
	else
		echo "$failed suite(s) failed (${SECONDS}s)"
	fi
}

# On Ctrl-C or TERM: stop the running suite (by the pid it left), then the
# stand-in instances (EXIT).
interrupted()
{
	[ -s "$tmp/suite.pid" ] && kill -TERM "$(cat "$tmp/suite.pid")" 2>/dev/null
	exit 130
}
trap 'mc_sim_stop_all' EXIT
trap interrupted INT TERM

# --- 1. packages ------------------------------------------------------------
if [ "${SKIP_SETUP:-0}" != 1 ]; then
	step "setup: test/setup-deps.sh"
	bash test/setup-deps.sh || fatal "setup-deps"
fi

# --- 2. build ---------------------------------------------------------------
step "build: the stand-in (make -C test/mssql_sim)"
if [ -f test/mssql_sim/Makefile ]; then
	make -C test/mssql_sim -j"$(nproc)" >"$logs/build-mssql_sim.log" 2>&1 || {
		tail -n 40 "$logs/build-mssql_sim.log"; fatal "build-mssql_sim"; }
	results+=("PASS  build-mssql_sim")
else
	echo "test/mssql_sim/Makefile is missing"
	[ -n "${MSSQL_HOST:-}" ] || fatal "build-mssql_sim (no Makefile)"
fi

step "build: the extension (make && make install)"
{ make -j"$(nproc)" && mc_as_root make install; } >"$logs/build-extension.log" 2>&1 || {
	tail -n 40 "$logs/build-extension.log"; fatal "build-extension"; }
results+=("PASS  build-extension")

# --- 3. SQL Server: a real one, or three stand-in instances ------------------
if [ -n "${MSSQL_HOST:-}" ]; then
	export MSSQL_HOST
	export MSSQL_PORT=${MSSQL_PORT:-1433}
	export MSSQL_USER=${MSSQL_USER:-sa}
	export MSSQL_PASSWORD=${MSSQL_PASSWORD:?set MSSQL_PASSWORD for $MSSQL_HOST}
	export MSSQL_DATABASE=${MSSQL_DATABASE:-master}
	export MSSQL_SIM=0
	step "SQL Server: $MSSQL_USER@$MSSQL_HOST:$MSSQL_PORT (stand-in not started)"
else
	# Five ports from the base: main, force-tls, no-tls and two for the
	# capture test.  Without an explicit base, move past ports in use (a
	# developer's own stand-in, another run) in steps of 10.
	base=${MSSQL_SIM_BASE_PORT:-51433}
	if [ -z "${MSSQL_SIM_BASE_PORT:-}" ]; then
		for ((try = 0; try < 50; try++)); do
			busy=0
			for ((p = base; p < base + 5; p++)); do
				mc_port_open 127.0.0.1 "$p" && busy=1
			done
			[ "$busy" = 0 ] && break
			base=$((base + 10))
		done
	fi
	export MSSQL_SIM=1 MSSQL_SIM_BASE_PORT=$base
	export MSSQL_HOST=127.0.0.1 MSSQL_PORT=$base MSSQL_USER=sa
	export MSSQL_PASSWORD=$MC_SIM_DEFAULT_PASSWORD MSSQL_DATABASE=master
	export MSSQL_SIM_FORCE_TLS_PORT=$((base + 1)) MSSQL_SIM_NO_TLS_PORT=$((base + 2))
	export MSSQL_SIM_BIN=$MC_SIM_BIN
	export MSSQL_SIM_DIR=$tmp/sim
	export MSSQL_SIM_STATEMENT_LOG=$MSSQL_SIM_DIR/main/statements.log
	step "stand-in: three instances under $MSSQL_SIM_DIR"
	mc_make_cert "$MSSQL_SIM_DIR/cert"
	tls=(--tls-cert "$MSSQL_SIM_DIR/cert/cert.pem" --tls-key "$MSSQL_SIM_DIR/cert/key.pem")
	mc_sim_start main "$MSSQL_PORT" "$MSSQL_SIM_DIR/main" "${tls[@]}" &&
	mc_sim_start force-tls "$MSSQL_SIM_FORCE_TLS_PORT" "$MSSQL_SIM_DIR/force-tls" \
		"${tls[@]}" --force-encryption &&
	mc_sim_start no-tls "$MSSQL_SIM_NO_TLS_PORT" "$MSSQL_SIM_DIR/no-tls" ||
		fatal "start the stand-in"
	results+=("PASS  start-stand-in (ports $base-$((base + 2)))")
fi

# --- 4. fixtures ------------------------------------------------------------
shopt -s nullglob
fixtures=(test/fixtures/*.sql)
if [ ${#fixtures[@]} -gt 0 ]; then
	step "fixtures: ${fixtures[*]}"
	ok=1
	for f in "${fixtures[@]}"; do
		echo "loading $f"
		mc_tsql_file "$f" || ok=0
	done
	[ "$ok" = 1 ] || fatal "load-fixtures"
	results+=("PASS  load-fixtures (${#fixtures[@]} files)")
fi

# --- 5. suites --------------------------------------------------------------
# (a) the stand-in's own tests
if [ "$MSSQL_SIM" = 1 ] && [ -f test/mssql_sim/tests/run.sh ]; then
	suite mssql_sim bash test/mssql_sim/tests/run.sh
	suite mssql_sim-protocol python3 test/mssql_sim/tds_protocol_test.py
fi

# (b) client proof: real clients against the server
suite clients-tsql bash test/clients/tsql.sh
suite clients-tedious node --test test/clients/tedious.test.js
suite clients-tds_fdw bash test/clients/tds_fdw.sh
suite clients-capture bash test/clients/capture.sh
suite clients-freebcp bash test/clients/freebcp.sh
suite clients-tedious-bulk node --test test/clients/tedious_bulk.test.js

# (c) pg_regress (sql/, expected/), as the PostgreSQL user, in a copy it owns
run_regress()
{
	local work
	work=$(mc_pg_tmpdir regress)
	tar -C "$root" --exclude=./.git --exclude=./test/node_modules --exclude=./test/tmp \
		-cf - . | tar -C "$work" -xf -
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work"
	echo "pg_regress in $work as $(mc_pg_user)"
	local rc=0
	(cd "$work" && mc_as_pg make installcheck) || rc=$?
	if [ "$rc" -ne 0 ] && [ -f "$work/regression.diffs" ]; then
		cp "$work/regression.diffs" "$MC_RESULTS_DIR/regression.diffs"
		head -n 200 "$work/regression.diffs"
	fi
	[ "$rc" -eq 0 ] && rm -rf "$work"
	return "$rc"
}
export -f run_regress
regress_tests=(sql/*.sql)
if [ ${#regress_tests[@]} -gt 0 ]; then
	suite regress run_regress
fi

# (d) CT/CDC/SNAPSHOT conformance
conformance_tests=(test/conformance/*.test.js test/conformance/*.test.mjs)
if [ -x test/conformance/run.sh ]; then
	suite conformance test/conformance/run.sh
elif [ ${#conformance_tests[@]} -gt 0 ]; then
	suite conformance node --test "${conformance_tests[@]}"
fi

# (e) integration suites: test/fdw/*.sh, TAP (test/**/t/*.pl)
for s in test/fdw/*.sh; do
	suite "fdw-$(basename "$s" .sh)" bash "$s"
done
run_tap()
{
	local dir=$1 work pgxs
	pgxs=$(dirname "$(pg_config --pgxs)")/../..
	work=$(mc_pg_tmpdir tap)
	cp -r "$root/$dir/." "$work/"
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work"
	(cd "$work" && mc_as_pg env PATH="$MC_PG_BINDIR:$PATH" \
		PG_REGRESS="$pgxs/src/test/regress/pg_regress" \
		prove -v -I "$pgxs/src/test/perl" -I "$work" t/)
}
export -f run_tap
for t in test/*/t test/*/*/t; do
	[ -n "$(ls "$t"/*.pl 2>/dev/null)" ] || continue
	d=${t%/t}
	suite "tap-${d#test/}" run_tap "$d"
done

summary
[ "$failed" -eq 0 ]
