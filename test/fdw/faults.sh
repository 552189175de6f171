#!/usr/bin/env bash
# test/fdw/faults.sh: behaviour of the FDW when things go wrong, using the
# stand-in's test-only controls (sim_test.*) on a private stand-in instance
# (port MSSQL_SIM_BASE_PORT + 3) that this test may stop and restart:
#   - cancel by statement_timeout or pg_cancel_backend sends a TDS
#     attention; same session after
#   - query_timeout cancels on SQL Server; same session after
#   - injected 1205 / 2627 / 229 map to their SQLSTATEs
#   - a connection dropped mid-scan is an error; the next query reconnects
#   - the stand-in restarted: the cached session is replaced transparently
#   - what was pushed down, as the stand-in's statement log shows it
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/common.sh"
. "$here/lib.bash"

if [ "${MSSQL_SIM:-0}" != 1 ]; then
	echo "SKIP needs the stand-in (sim_test controls, restart)"
	exit 77
fi

port=$((${MSSQL_SIM_BASE_PORT:-51433} + 3))
simdir=$(mktemp -d "${TMPDIR:-/tmp}/mssql_cdc.faults.XXXXXX")
FDW_EXTRA_CLEANUP='mc_sim_stop_all; rm -rf "$simdir"'

fixture()
{
	fdw_tsql "$port" "IF DB_ID(N'faults') IS NULL CREATE DATABASE faults" >/dev/null
	MSSQL_DATABASE=faults MSSQL_PORT=$port mc_tsql request -D faults >/dev/null <<'TSQL'
DROP TABLE IF EXISTS dbo.items;
GO
CREATE TABLE dbo.items (id int NOT NULL PRIMARY KEY, qty int NULL);
GO
INSERT INTO dbo.items VALUES (1, 10), (2, 20), (3, NULL), (4, 40), (5, 50),
	(6, 60), (7, 70), (8, 80), (9, 90), (10, 100);
GO
TSQL
}

start_sim()
{
	mc_sim_start faults "$port" "$simdir" || mc_die "could not start the stand-in on $port"
	fixture
}

start_sim
fdw_pg_setup faults
fdw_sql -c "CREATE SERVER f FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '$MSSQL_HOST', port '$port', database 'faults',
		use_remote_estimate 'false')" \
	-c "CREATE USER MAPPING FOR CURRENT_USER SERVER f
		OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD')" \
	-c "CREATE FOREIGN TABLE items (id int, qty int) SERVER f" \
	-c "CREATE FOREIGN TABLE spid (spid int) SERVER f OPTIONS (query 'SELECT @@SPID AS spid')" \
	-c "CREATE SERVER f_to FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '$MSSQL_HOST', port '$port', database 'faults', query_timeout '1',
		use_remote_estimate 'false')" \
	-c "CREATE USER MAPPING FOR CURRENT_USER SERVER f_to
		OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD')" \
	-c "CREATE FOREIGN TABLE items_to (id int, qty int) SERVER f_to OPTIONS (table_name 'items')" \
	-c "CREATE FOREIGN TABLE spid_to (spid int) SERVER f_to OPTIONS (query 'SELECT @@SPID AS spid')" \
	>/dev/null

fdw_session_start

# --- pushdown as the stand-in sees it -------------------------------------
log=$simdir/statements.log
fdw_session "SELECT id FROM items WHERE qty > 15 AND id IN (2, 4, 6) ORDER BY id DESC LIMIT 2;" >/dev/null
fdw_check "statement log: WHERE, IN, ORDER BY and TOP reach SQL Server" \
	'batch: SELECT TOP \(2\) \[id\] FROM \[dbo\]\.\[items\] WHERE \(\[qty\] > 15\) AND \(\[id\] IN \(2, 4, 6\)\) ORDER BY CASE WHEN \[id\] IS NULL THEN 0 ELSE 1 END, \[id\] DESC' \
	"$(cat "$log")"
fdw_check "statement log: the session options are set once per session" \
	'batch: SET ANSI_NULLS ON;' "$(cat "$log")"

# --- cancel: statement_timeout while SQL Server is slow ---------------------
before=$(fdw_session "SELECT spid FROM spid;")
fdw_tsql "$port" "EXEC sim_test.set_delay @ms = 20000" >/dev/null
out=$(fdw_session "SET statement_timeout = '1s'; SELECT * FROM items; RESET statement_timeout;")
fdw_check "statement_timeout cancels a remote query" \
	'canceling statement due to statement timeout' "$out"
fdw_tsql "$port" "EXEC sim_test.set_delay @ms = 0" >/dev/null
after=$(fdw_session "SELECT spid FROM spid;")
fdw_check "the session survives the cancel (same SPID)" "^${before}\$" "$after"
out=$(fdw_session "SELECT count(*) FROM items;")
fdw_check "... and answers the next query" '^10$' "$out"

# --- cancel: pg_cancel_backend from another session while SQL Server is slow -
before=$(fdw_session "SELECT spid FROM spid;")
fdw_tsql "$port" "EXEC sim_test.set_delay @ms = 20000" >/dev/null
fdw_session "SELECT id FROM items WHERE id > 0 /* to be cancelled */;" >"$simdir/cancel.out" &
bg=$!
# poll until the query is running, then cancel it (bounded: a hang guard)
for ((i = 0; i < 600; i++)); do
	n=$(fdw_sql -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
		WHERE query LIKE '%/* to be cancelled */%' AND state = 'active'
		AND pid <> pg_backend_pid()")
	[ "$n" = t ] && break
	sleep 0.1
done
wait "$bg"
fdw_tsql "$port" "EXEC sim_test.set_delay @ms = 0" >/dev/null
out=$(cat "$simdir/cancel.out")
fdw_check "pg_cancel_backend cancels a remote query" 'canceling statement due to user request' "$out"
after=$(fdw_session "SELECT spid FROM spid;")
fdw_check "the session survives pg_cancel_backend (same SPID)" "^${before}\$" "$after"

# --- query_timeout ------------------------------------------------------------
before=$(fdw_session "SELECT spid FROM spid_to;")
fdw_tsql "$port" "EXEC sim_test.set_delay @ms = 4000" >/dev/null
out=$(fdw_session "SELECT * FROM items_to;")
fdw_tsql "$port" "EXEC sim_test.set_delay @ms = 0" >/dev/null
fdw_check "query_timeout: the query is cancelled with an error" 'SQL Server query timed out' "$out"
fdw_check "... with the hint" 'query_timeout' "$out"
after=$(fdw_session "SELECT spid FROM spid_to;")
fdw_check "the session survives the timeout (same SPID)" "^${before}\$" "$after"

# --- injected SQL Server errors ---------------------------------------------
inject()
{
	fdw_tsql "$port" "EXEC sim_test.fail_next_statement @error_number = $1, @database = N'faults', @match = N'items'" >/dev/null
	fdw_session "\\set VERBOSITY verbose
SELECT * FROM items;
\\set VERBOSITY default"
}
out=$(inject 1205)
fdw_check "1205 is a deadlock (40P01)" 'ERROR:  40P01: Transaction \(Process ID [0-9]+\) was deadlocked' "$out"
fdw_check "... SQL Server's number, severity and state in the detail" \
	'DETAIL:  SQL Server error 1205, severity 13, state 51' "$out"
fdw_check "... with a hint" 'HINT:  SQL Server chose this statement as a deadlock victim' "$out"
fdw_check "... and the remote statement in the context" \
	'CONTEXT:  remote SQL command: SELECT \[id\], \[qty\] FROM \[dbo\]\.\[items\]' "$out"
out=$(inject 2627)
fdw_check "2627 is a unique violation (23505)" 'ERROR:  23505' "$out"
out=$(inject 2601)
fdw_check "2601 is a unique violation (23505)" 'ERROR:  23505' "$out"
out=$(inject 229)
fdw_check "229 is insufficient privilege (42501)" 'ERROR:  42501' "$out"
out=$(inject 40613)
fdw_check "40613 (Azure database unavailable) is a connection error (08001)" 'ERROR:  08001' "$out"
out=$(fdw_session "SELECT count(*) FROM items;")
fdw_check "the session works after injected errors" '^10$' "$out"

# --- connection dropped in the middle of a result ---------------------------
fdw_tsql "$port" "EXEC sim_test.drop_connection_after_rows @rows = 5" >/dev/null
out=$(fdw_session "SELECT * FROM items;")
fdw_check "a connection lost mid-scan is an error" 'ERROR:  lost connection to SQL Server' "$out"
fdw_tsql "$port" "EXEC sim_test.drop_connection_after_rows @rows = 0" >/dev/null
out=$(fdw_session "SELECT count(*) FROM items;")
fdw_check "the next query connects again" '^10$' "$out"

# --- the stand-in restarts ----------------------------------------------------
before=$(fdw_session "SELECT spid FROM spid;")
mc_sim_stop_all
# (fd 7 is the session's input: the new stand-in must not hold it open)
start_sim 7>&-
out=$(fdw_session "SELECT count(*) FROM items;")
fdw_check "after a restart of SQL Server the next query reconnects transparently" '^10$' "$out"
out=$(fdw_session "SELECT count(*) FROM mssql_cdc.get_connections();")
fdw_check "... with one session per server, not a leak" '^[12]$' "$out"

fdw_session_stop
fdw_done
