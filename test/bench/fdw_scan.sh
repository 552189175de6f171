#!/usr/bin/env bash
# test/bench/fdw_scan.sh: full-scan throughput of mssql_cdc against tds_fdw,
# with a bare db-lib reader (dblib_drain.c), FreeTDS's bsqldb and freebcp as
# references for the ceiling.  A benchmark, not a test: it
# prints numbers and ratios and never fails on timing.
#
#   test/bench/fdw_scan.sh [--rows N] [--rounds R] [--smoke]
#
# SQL Server: MSSQL_HOST/PORT/USER/PASSWORD (default: starts a private
# stand-in on MSSQL_SIM_BASE_PORT + 4, default 51437).  Builds a table
# bench.dbo.scan10 of N rows (default 1,000,000) and 10 columns (int,
# bigint, int, decimal, float, nvarchar, varchar, datetime2, date, bit),
# then alternates R rounds (default 3) of
#     SELECT count(*) FROM <foreign table> WHERE num_nulls(<all 10 columns>) = 0
# (which makes each FDW fetch and convert every column of every row) through
# mssql_cdc and through tds_fdw, in one PostgreSQL, and prints rows/s and
# the ratio; then times ANALYZE with and without the remote sample, and
# count(*) computed by SQL Server against counting the rows locally.
# --smoke: 2,000 rows, one round (used by test/fdw/bench_smoke.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/common.sh"
. "$here/../fdw/lib.bash"

rows=1000000
rounds=3
smoke=0
while [ $# -gt 0 ]; do
	case $1 in
		--rows) rows=$2; shift 2 ;;
		--rounds) rounds=$2; shift 2 ;;
		--smoke) smoke=1; rows=2000; rounds=1; shift ;;
		*) mc_die "usage: $0 [--rows N] [--rounds R] [--smoke]" ;;
	esac
done

simdir=""
if [ -z "${MSSQL_HOST:-}" ] || [ "${MSSQL_SIM:-0}" = 1 ]; then
	port=$((${MSSQL_SIM_BASE_PORT:-51433} + 4))
	simdir=$(mktemp -d "${TMPDIR:-/tmp}/mssql_cdc.bench.XXXXXX")
	[ -x "$MC_SIM_BIN" ] || make -C "$MC_ROOT/test/mssql_sim" >/dev/null || mc_die "cannot build the stand-in"
	mc_sim_start bench "$port" "$simdir" || mc_die "cannot start the stand-in"
	export MSSQL_HOST=127.0.0.1 MSSQL_PORT=$port MSSQL_USER=sa
	export MSSQL_PASSWORD=$MC_SIM_DEFAULT_PASSWORD
fi
calc() { awk "BEGIN { printf \"%.6f\", $* }"; }

FDW_EXTRA_CLEANUP='mc_sim_stop_all; [ -n "$simdir" ] && rm -rf "$simdir"'
MC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mssql_cdc.benchconf.XXXXXX")

echo "== building bench.dbo.scan10 with $rows rows on $MSSQL_HOST:$MSSQL_PORT"
t0=$(date +%s.%N)
mc_tsql request >/dev/null <<TSQL || mc_die "could not create the bench table"
IF DB_ID(N'bench') IS NULL CREATE DATABASE bench;
GO
USE bench;
GO
DROP TABLE IF EXISTS dbo.scan10;
DROP TABLE IF EXISTS dbo.digits;
GO
CREATE TABLE dbo.digits (d int NOT NULL);
GO
INSERT INTO dbo.digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
GO
CREATE TABLE dbo.scan10 (
	id int NOT NULL PRIMARY KEY,
	big bigint NOT NULL,
	small int NOT NULL,
	amount decimal(12, 2) NOT NULL,
	ratio float NOT NULL,
	label nvarchar(40) NOT NULL,
	code varchar(20) NOT NULL,
	created datetime2(3) NOT NULL,
	day date NOT NULL,
	flag bit NOT NULL
);
GO
INSERT INTO dbo.scan10
SELECT n + 1, CAST(n AS bigint) * 1000003, n % 1000, CAST(n % 100000 AS decimal(12, 2)) / 7,
	n / 3.0, N'row number ' + CAST(n AS nvarchar(10)), 'c' + CAST(n % 977 AS varchar(10)),
	DATEADD(second, n % 86400, CAST('2024-01-01' AS datetime2(3))),
	DATEADD(day, n % 3650, CAST('2015-01-01' AS date)), n % 2
FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS n
	FROM dbo.digits a CROSS JOIN dbo.digits b CROSS JOIN dbo.digits c
	CROSS JOIN dbo.digits e CROSS JOIN dbo.digits f CROSS JOIN dbo.digits g) AS s
WHERE n < $rows;
GO
TSQL
t1=$(date +%s.%N)
printf 'built in %.1f s\n' "$(calc "$t1 - $t0")"

fdw_pg_setup bench
mc_pg_psql -v ON_ERROR_STOP=1 -q <<SQL || mc_die "setup failed"
CREATE EXTENSION tds_fdw;
CREATE SERVER m FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host '$MSSQL_HOST', port '$MSSQL_PORT', database 'bench');
CREATE USER MAPPING FOR CURRENT_USER SERVER m
	OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD');
CREATE FOREIGN TABLE m_scan10 (id int, big bigint, small int, amount numeric(12,2),
	ratio float8, label varchar(40), code varchar(20), created timestamp(3),
	day date, flag boolean) SERVER m OPTIONS (table_name 'scan10');
-- tds_fdw converts every value to text with FreeTDS's date format, which is
-- "Jan  1 2024 12:00:00:000AM" unless /etc/freetds/locales.conf is changed
-- system-wide, and PostgreSQL cannot read that: its date columns are text
-- (which only spares tds_fdw work).
CREATE SERVER t FOREIGN DATA WRAPPER tds_fdw
	OPTIONS (servername '$MSSQL_HOST', port '$MSSQL_PORT', database 'bench',
	         tds_version '7.4');
CREATE USER MAPPING FOR CURRENT_USER SERVER t
	OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD');
CREATE FOREIGN TABLE t_scan10 (id int, big bigint, small int, amount numeric(12,2),
	ratio float8, label varchar(40), code varchar(20), created text,
	day text, flag boolean) SERVER t
	OPTIONS (schema_name 'dbo', table_name 'scan10', use_remote_estimate '0');
SQL

# A condition no FDW can push down that reads every column (tds_fdw fails on
# whole-row references, so "t IS NOT NULL" is not an option)
allcols="num_nulls(id, big, small, amount, ratio, label, code, created, day, flag) = 0"

# scan FT: one psql run, prints seconds and the count
scan()
{
	local t0 t1 n
	t0=$(date +%s.%N)
	n=$(mc_pg_psql -A -t -c "SET client_min_messages = warning" \
		-c "SELECT count(*) FROM $1 WHERE $allcols" 2>&1)
	t1=$(date +%s.%N)
	echo "$(calc "$t1 - $t0") $n"
}

# check both see the same data first (dates aside: see t_scan10)
cmp="SELECT md5(string_agg(concat_ws('|', id, big, small, amount, ratio, label, code, flag), ',' ORDER BY id))"
a=$(mc_pg_psql -A -t -c "SET client_min_messages = warning" \
	-c "$cmp FROM (SELECT * FROM m_scan10 ORDER BY id LIMIT 1000) t" 2>&1)
b=$(mc_pg_psql -A -t -c "SET client_min_messages = warning" \
	-c "$cmp FROM (SELECT * FROM t_scan10 ORDER BY id LIMIT 1000) t" 2>&1)
if [ "$a" = "$b" ]; then
	echo "first 1000 rows identical through both FDWs ($a)"
else
	echo "WARNING: the FDWs return different values for the first 1000 rows:"
	echo "  mssql_cdc: $a"
	echo "  tds_fdw:   $b"
fi

m_total=0
t_total=0
for ((r = 1; r <= rounds; r++)); do
	read -r ms mn <<<"$(scan m_scan10)"
	read -r ts tn <<<"$(scan t_scan10)"
	printf 'round %d: mssql_cdc %6.2f s (%s rows)   tds_fdw %6.2f s (%s rows)\n' "$r" "$ms" "$mn" "$ts" "$tn"
	[ "$mn" = "$rows" ] || echo "WARNING: mssql_cdc counted $mn rows"
	[ "$tn" = "$rows" ] || echo "WARNING: tds_fdw counted $tn rows"
	m_total=$(calc "$m_total + $ms")
	t_total=$(calc "$t_total + $ts")
done

# memory of a backend after a full scan through mssql_cdc
hwm=$(mc_pg_psql -A -t -c "SELECT count(*) FROM m_scan10 WHERE $allcols" \
	-c "SELECT regexp_replace(pg_read_file('/proc/' || pg_backend_pid() || '/status'), '.*VmHWM:\s*([0-9]+ kB).*', '\1')" 2>&1 | tail -n 1)

# ANALYZE (default_statistics_target 100: 30,000 rows wanted): the remote
# sample (analyze_sampling 'auto'), then every row read and sampled here
# ('off'); and count(*), computed by SQL Server, against counting here
timed()
{
	local t0 t1 out
	t0=$(date +%s.%N)
	out=$(mc_pg_psql -v ON_ERROR_STOP=1 -A -t -c "SET client_min_messages = warning" "$@" 2>&1) ||
		echo "WARNING: $out" >&2
	t1=$(date +%s.%N)
	calc "$t1 - $t0"
}
an_sample=$(timed -c "ANALYZE m_scan10")
an_all=$(timed -c "ALTER FOREIGN TABLE m_scan10 OPTIONS (ADD analyze_sampling 'off')" \
	-c "ANALYZE m_scan10" -c "ALTER FOREIGN TABLE m_scan10 OPTIONS (DROP analyze_sampling)")
cnt_remote=$(timed -c "SELECT count(*) FROM m_scan10")
cnt_local=$(timed -c "SELECT count(*) FROM (SELECT * FROM m_scan10 OFFSET 0) s")

# the ceiling: freebcp out to /dev/null
conf=$MC_TMP/bench-freetds.conf
cat > "$conf" <<EOC
[bench]
	host = $MSSQL_HOST
	port = $MSSQL_PORT
	tds version = 7.4
	client charset = UTF-8
EOC
# dblib_drain: db-lib reading every row and looking at none (the true
# ceiling of an FDW built on db-lib)
drain=""
if cc -O2 -o "$MC_TMP/dblib_drain" "$here/dblib_drain.c" -lsybdb 2>"$MC_TMP/cc.log"; then
	t0=$(date +%s.%N)
	n=$(FREETDSCONF=$conf "$MC_TMP/dblib_drain" bench "$MSSQL_USER" "$MSSQL_PASSWORD" bench \
		"SELECT id, big, small, amount, ratio, label, code, created, day, flag FROM dbo.scan10" 2>&1)
	t1=$(date +%s.%N)
	[ "$n" = "$rows" ] && drain=$(calc "$t1 - $t0") || echo "dblib_drain: $n"
else
	echo "could not build dblib_drain:"; cat "$MC_TMP/cc.log"
fi

# bsqldb: db-lib reading every row and printing it as text (it cannot print
# datetime2 and date, which are sent as datetime here)
t0=$(date +%s.%N)
echo "SELECT id, big, small, amount, ratio, label, code, CAST(created AS datetime) AS created,
	CAST(day AS datetime) AS day, flag FROM dbo.scan10" | FREETDSCONF=$conf bsqldb -S bench -D bench \
	-U "$MSSQL_USER" -P "$MSSQL_PASSWORD" -q >/dev/null 2>"$MC_TMP/bsqldb.log" ||
	{ echo "bsqldb failed:"; cat "$MC_TMP/bsqldb.log"; }
t1=$(date +%s.%N)
bsql=$(calc "$t1 - $t0")
# freebcp: bulk copy out (it starts with SET FMTONLY ON; older stand-in
# builds did not answer it, hence the guard)
t0=$(date +%s.%N)
if FREETDSCONF=$conf timeout 600 freebcp dbo.scan10 out /dev/null -c -D bench -S bench \
	-U "$MSSQL_USER" -P "$MSSQL_PASSWORD" >"$MC_TMP/freebcp.log" 2>&1; then
	t1=$(date +%s.%N)
	bcp=$(calc "$t1 - $t0")
else
	bcp=""
	echo "freebcp failed:"; tail -n 5 "$MC_TMP/freebcp.log"
fi

echo
echo "== results ($rows rows x 10 columns, $rounds rounds each, alternating)"
printf 'mssql_cdc: %8.0f rows/s (%.2f s per scan)\n' "$(calc "$rows * $rounds / $m_total")" "$(calc "$m_total / $rounds")"
printf 'tds_fdw:   %8.0f rows/s (%.2f s per scan)\n' "$(calc "$rows * $rounds / $t_total")" "$(calc "$t_total / $rounds")"
[ -n "$drain" ] && printf 'db-lib:    %8.0f rows/s (%.2f s, ceiling: dbnextrow() over every row, values untouched)\n' "$(calc "$rows / $drain")" "$drain"
printf 'bsqldb:    %8.0f rows/s (%.2f s, ceiling: FreeTDS db-lib reading every row, printed to /dev/null)\n' "$(calc "$rows / $bsql")" "$bsql"
if [ -n "$bcp" ]; then
	printf 'freebcp:   %8.0f rows/s (%.2f s, ceiling: FreeTDS bulk copy out to /dev/null)\n' "$(calc "$rows / $bcp")" "$bcp"
else
	echo "freebcp:   failed (see above)"
fi
printf 'ratio mssql_cdc / tds_fdw: %.2fx faster\n' "$(calc "$t_total / $m_total")"
printf 'ANALYZE: %.2f s with the remote sample, %.2f s reading every row (%.1fx)\n' \
	"$an_sample" "$an_all" "$(calc "$an_all / $an_sample")"
printf 'count(*): %.2f s computed by SQL Server, %.2f s counting the rows here (%.1fx)\n' \
	"$cnt_remote" "$cnt_local" "$(calc "$cnt_local / $cnt_remote")"
echo "backend peak memory (VmHWM) after a full mssql_cdc scan: $hwm"
[ "$smoke" = 1 ] && echo "(smoke mode: numbers are meaningless at this size)"
exit 0
