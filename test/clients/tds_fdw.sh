#!/usr/bin/env bash
# test/clients/tds_fdw.sh: Debian's tds_fdw in a throwaway PostgreSQL cluster
# (run as postgres when we are root) imports dbo.all_types from SQL Server or
# the stand-in and reads every value; the psql output must equal
# test/clients/expected/tds_fdw.out.  With the stand-in, tds_fdw_tls.sql also
# reads over forced TLS and checks that "require" refuses a server without
# TLS (expected/tds_fdw_tls.out).
#
# Needs dbo.all_types loaded (test/clients/alltypes.sql); run-all.sh does it,
# and so does this script when called alone.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/common.sh"
. "$here/lib.sh"

: "${MSSQL_HOST:?}" "${MSSQL_PORT:?}" "${MSSQL_USER:?}" "${MSSQL_PASSWORD:?}"
MC_TMP=$(mktemp -d)
work=$(mc_pg_tmpdir tds_fdw)
out_dir=${MC_RESULTS_DIR:-$MC_ROOT/test/tmp/results}/clients
mkdir -p "$out_dir"
trap 'mc_pg_stop; rm -rf "$MC_TMP"' EXIT

mc_tsql_file "$here/alltypes.sql" 1801 3701 || { tc_fail "load alltypes.sql"; tc_done; }

# One freetds.conf for the postmaster (tds_fdw reads it through FREETDSCONF);
# sections named by role so the SQL holds no host or port.
conf=$work/freetds.conf
{
	printf '[global]\n\ttds version = 7.4\n\tclient charset = UTF-8\n'
	printf '[mssql_main]\n\thost = %s\n\tport = %s\n\tencryption = request\n' \
		"$MSSQL_HOST" "$MSSQL_PORT"
	if [ "${MSSQL_SIM:-0}" = 1 ]; then
		printf '[mssql_force_tls]\n\thost = 127.0.0.1\n\tport = %s\n\tencryption = require\n' \
			"$MSSQL_SIM_FORCE_TLS_PORT"
		printf '[mssql_no_tls_require]\n\thost = 127.0.0.1\n\tport = %s\n\tencryption = require\n' \
			"$MSSQL_SIM_NO_TLS_PORT"
	fi
} >"$conf"
chmod 644 "$conf"

export FREETDSCONF=$conf
mc_pg_start "$work" || { tc_fail "start a throwaway PostgreSQL"; tc_done; }
tc_ok "throwaway PostgreSQL on port $MC_PG_PORT as $(mc_pg_user)"

# run_case NAME: psql -a NAME.sql, compare with expected/NAME.out.
run_case()
{
	local name=$1 result=$out_dir/$1.out
	mc_pg_psql -c "CREATE DATABASE $name" >/dev/null
	mc_as_pg psql -X -a -q -h "$MC_PG_DIR" -p "$MC_PG_PORT" -U postgres -d "$name" \
		<"$here/$name.sql" >"$result" 2>&1
	if diff -u "$here/expected/$name.out" "$result" >"$out_dir/$name.diff"; then
		tc_ok "$name.sql output equals expected/$name.out"
	else
		tc_fail "$name.sql output differs from expected/$name.out (diff in $out_dir/$name.diff)" \
			"$(head -n 80 "$out_dir/$name.diff")"
	fi
}

run_case tds_fdw
if [ "${MSSQL_SIM:-0}" = 1 ]; then
	run_case tds_fdw_tls
fi

tc_done
