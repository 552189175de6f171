#!/usr/bin/env bash
# test/clients/tsql.sh: FreeTDS tsql (freetds-bin) against SQL Server or the
# stand-in: login with encryption off / request / require (private
# freetds.conf through FREETDSCONF), queries with checked output, and the
# login errors 18456 (wrong password) and 4060 (unknown database).
#
# With the stand-in (MSSQL_SIM=1) the encryption matrix also covers the
# --force-encryption instance and the instance without TLS, where "off"
# respectively "require" must fail.
set -uo pipefail
. "$(dirname "$0")/../tools/common.sh"
. "$(dirname "$0")/lib.sh"

: "${MSSQL_HOST:?}" "${MSSQL_PORT:?}" "${MSSQL_USER:?}" "${MSSQL_PASSWORD:?}"
MC_TMP=$(mktemp -d)
trap 'rm -rf "$MC_TMP"' EXIT
tab=$'\t'

# run PORT ENC [tsql options...] < batches: stdout+stderr and exit status
# in $out/$err/$rc.
run()
{
	local port=$1 enc=$2
	shift 2
	rc=0
	out=$(MSSQL_PORT=$port mc_tsql "$enc" "$@" 2>"$MC_TMP/err") || rc=$?
	err=$(cat "$MC_TMP/err")
}

query='SELECT 1 + 1 AS two, N'"'"'héllo wörld'"'"' AS greeting
GO
SELECT DB_NAME() AS db
GO'
expected="two${tab}greeting
2${tab}héllo wörld
db
master"

# Which (port, encryption) pairs must log in, and which must not.
cases=("$MSSQL_PORT off ok" "$MSSQL_PORT request ok" "$MSSQL_PORT require ok")
if [ "${MSSQL_SIM:-0}" = 1 ]; then
	cases+=(
		# --force-encryption: a client that will not encrypt is turned away
		"$MSSQL_SIM_FORCE_TLS_PORT off fail"
		"$MSSQL_SIM_FORCE_TLS_PORT request ok"
		"$MSSQL_SIM_FORCE_TLS_PORT require ok"
		# no certificate: "require" must refuse to log in in clear text
		"$MSSQL_SIM_NO_TLS_PORT off ok"
		"$MSSQL_SIM_NO_TLS_PORT request ok"
		"$MSSQL_SIM_NO_TLS_PORT require fail"
	)
fi

for c in "${cases[@]}"; do
	read -r port enc want <<<"$c"
	run "$port" "$enc" -D master <<<"$query"
	if [ "$want" = ok ]; then
		tc_eq "port $port, encryption=$enc: exit status" 0 "$rc"
		tc_eq "port $port, encryption=$enc: query output" "$expected" "$out"
		tc_eq "port $port, encryption=$enc: no messages" "" "$err"
	else
		tc_eq "port $port, encryption=$enc: login refused" 1 "$rc"
		tc_match "port $port, encryption=$enc: says it could not connect" \
			'problem connecting to the server' "$err"
		tc_eq "port $port, encryption=$enc: no rows" "" "$out"
	fi
done

# Several statements and result sets in one batch, with a NULL and a
# variable; the second batch after a GO sees a fresh scope.
run "$MSSQL_PORT" require -D master <<'EOF'
DECLARE @n int = 41;
SET @n = @n + 1;
SELECT @n AS answer;
SELECT CAST(NULL AS int) AS nothing, N'x' AS x;
GO
SELECT @@SPID AS spid
GO
EOF
tc_eq "batch with two result sets: exit status" 0 "$rc"
tc_eq "batch with two result sets: output" "answer
42
nothing${tab}x
NULL${tab}x
spid" "$(printf '%s\n' "$out" | sed '$d')"
tc_match "@@SPID is a positive number" '^[1-9][0-9]*$' "$(printf '%s\n' "$out" | tail -n 1)"
tc_eq "batch with two result sets: no messages" "" "$err"

# @@VERSION: tds_fdw and others look for "Microsoft" in it.
run "$MSSQL_PORT" request -D master <<<'SELECT @@VERSION'
tc_match "@@VERSION names Microsoft SQL Server" '^Microsoft SQL Server' "$out"

# A failing statement reports SQL Server's number and the session goes on.
run "$MSSQL_PORT" request -D master <<'EOF'
SELECT * FROM dbo.no_such_table_mssql_cdc
GO
SELECT 7 AS still_alive
GO
EOF
tc_match "unknown table gives Msg 208" '^Msg 208 \(severity 16' "$err"
tc_eq "session survives the error" "still_alive
7" "$out"

# Negative: wrong password.  SQL Server answers 18456 and closes.
rc=0
out=$(MSSQL_PASSWORD='Wrong_Passw0rd!x' mc_tsql request -D master <<<'SELECT 1' 2>"$MC_TMP/err") || rc=$?
err=$(cat "$MC_TMP/err")
tc_eq "wrong password: tsql exits 1" 1 "$rc"
tc_match "wrong password: Msg 18456, severity 14" '^Msg 18456 \(severity 14' "$err"
tc_match "wrong password: Login failed for user" "Login failed for user '$MSSQL_USER'" "$err"
tc_eq "wrong password: no rows" "" "$out"

# Negative: unknown database in the login packet gives 4060.
run "$MSSQL_PORT" request -D no_such_db_mssql_cdc <<<'SELECT 1'
tc_eq "unknown database: tsql exits 1" 1 "$rc"
tc_match "unknown database: Msg 4060" '^Msg 4060 \(severity 11' "$err"
tc_match "unknown database: names the database" 'no_such_db_mssql_cdc' "$err"

tc_done
