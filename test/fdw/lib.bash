# test/fdw/lib.bash: helpers for the FDW shell tests (test/fdw/*.sh).
# Sourced; needs test/tools/common.sh and the environment of test/run-all.sh
# (MSSQL_HOST, MSSQL_PORT, MSSQL_USER, MSSQL_PASSWORD, MSSQL_SIM, ...).

[ -n "${MSSQL_SIM_BIN:-}" ] && MC_SIM_BIN=$MSSQL_SIM_BIN

FDW_FAILS=0
FDW_TESTS=0

# A throwaway PostgreSQL with the extension created; stopped at exit.
fdw_pg_setup()
{
	local work
	work=$(mc_pg_tmpdir "fdw-$1")
	mc_pg_start "$work" || mc_die "could not start PostgreSQL"
	trap 'fdw_cleanup' EXIT
	mc_pg_psql -v ON_ERROR_STOP=1 -c "CREATE EXTENSION mssql_cdc" >/dev/null ||
		mc_die "CREATE EXTENSION failed"
}

fdw_cleanup()
{
	mc_pg_stop
	[ -n "${FDW_EXTRA_CLEANUP:-}" ] && eval "$FDW_EXTRA_CLEANUP"
	return 0
}

# fdw_sql SQL...: run SQL (psql -c), print its output (errors too)
fdw_sql()
{
	mc_pg_psql -v ON_ERROR_STOP=0 -A -t "$@" 2>&1
}

# fdw_check NAME REGEX OUTPUT: one test: OUTPUT must match REGEX (grep -E)
fdw_check()
{
	FDW_TESTS=$((FDW_TESTS + 1))
	if grep -qE -- "$2" <<<"$3"; then
		echo "ok $FDW_TESTS - $1"
	else
		echo "not ok $FDW_TESTS - $1"
		echo "    expected to match: $2"
		sed 's/^/    | /' <<<"$3"
		FDW_FAILS=$((FDW_FAILS + 1))
	fi
}

# fdw_check_not NAME REGEX OUTPUT: OUTPUT must not match REGEX
fdw_check_not()
{
	FDW_TESTS=$((FDW_TESTS + 1))
	if grep -qE -- "$2" <<<"$3"; then
		echo "not ok $FDW_TESTS - $1"
		echo "    must not match: $2"
		sed 's/^/    | /' <<<"$3"
		FDW_FAILS=$((FDW_FAILS + 1))
	else
		echo "ok $FDW_TESTS - $1"
	fi
}

fdw_done()
{
	echo "1..$FDW_TESTS"
	if [ "$FDW_FAILS" -ne 0 ]; then
		echo "$FDW_FAILS of $FDW_TESTS failed"
		exit 1
	fi
	echo "all $FDW_TESTS passed"
	exit 0
}

# fdw_server NAME PORT ENCRYPTION [more options]: server + user mapping
fdw_server()
{
	local name=$1 port=$2 enc=$3 extra=${4:-}
	fdw_sql -c "CREATE SERVER $name FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '$MSSQL_HOST', port '$port', encryption '$enc' $extra)" \
		-c "CREATE USER MAPPING FOR CURRENT_USER SERVER $name
		OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD')" >/dev/null
}

# A psql session that stays open across several steps (for tests that
# restart the server or need one backend throughout):
#   fdw_session_start; fdw_session "SQL;"; fdw_session_stop
fdw_session_start()
{
	FDW_SESSION_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mssql_cdc.session.XXXXXX")
	chmod 777 "$FDW_SESSION_DIR"
	mkfifo "$FDW_SESSION_DIR/in"
	chmod 666 "$FDW_SESSION_DIR/in"
	: > "$FDW_SESSION_DIR/out"
	chmod 666 "$FDW_SESSION_DIR/out"
	mc_pg_psql -v ON_ERROR_STOP=0 -A -t <"$FDW_SESSION_DIR/in" >"$FDW_SESSION_DIR/out" 2>&1 &
	FDW_SESSION_PID=$!
	exec 7>"$FDW_SESSION_DIR/in"
	echo 0 > "$FDW_SESSION_DIR/n"
}

# fdw_session SQL: send SQL to the open session, wait for it to finish,
# print what it printed.  Works inside $(...): the step counter is a file.
fdw_session()
{
	local n marker prev i
	n=$(($(cat "$FDW_SESSION_DIR/n") + 1))
	echo "$n" > "$FDW_SESSION_DIR/n"
	marker="@@done-$n@@"
	prev="@@done-$((n - 1))@@"
	printf '%s\n\\echo %s\n' "$1" "$marker" >&7
	for ((i = 0; i < 6000; i++)); do
		grep -qxF "$marker" "$FDW_SESSION_DIR/out" && break
		sleep 0.1
	done
	if [ "$n" -eq 1 ]; then
		sed -n "1,/^$marker\$/p" "$FDW_SESSION_DIR/out"
	else
		sed -n "/^$prev\$/,/^$marker\$/p" "$FDW_SESSION_DIR/out"
	fi | grep -vF "@@done-"
	return 0
}

fdw_session_stop()
{
	exec 7>&-
	wait "$FDW_SESSION_PID" 2>/dev/null
	rm -rf "$FDW_SESSION_DIR"
}

# fdw_tsql PORT SQL: run a T-SQL batch with tsql against the stand-in on PORT
fdw_tsql()
{
	local port=$1
	shift
	printf '%s\nGO\n' "$*" | MSSQL_PORT=$port mc_tsql request 2>&1
}
