#!/usr/bin/env bash
# test/clients/freebcp.sh: FreeTDS freebcp (freetds-bin) against SQL Server or
# the stand-in: "out" and "queryout" of a table holding NULLs, unicode,
# decimals and datetimes (character mode), then "in" of that file into an
# empty table of the same shape (INSERT BULK + bulk load data, TDS packet
# 0x07), compared row by row with the source.
#
#   MSSQL_HOST=127.0.0.1 MSSQL_PORT=P MSSQL_USER=sa MSSQL_PASSWORD=... \
#       bash test/clients/freebcp.sh
set -uo pipefail
. "$(dirname "$0")/../tools/common.sh"
. "$(dirname "$0")/lib.sh"

: "${MSSQL_HOST:?}" "${MSSQL_PORT:?}" "${MSSQL_USER:?}" "${MSSQL_PASSWORD:?}"
MC_TMP=$(mktemp -d)
trap 'rm -rf "$MC_TMP"' EXIT
db=${MSSQL_DATABASE:-master}

conf=$MC_TMP/freetds.conf
printf '[global]\n\ttds version = 7.4\n\tclient charset = UTF-8\n[bcp_target]\n\thost = %s\n\tport = %s\n' \
	"$MSSQL_HOST" "$MSSQL_PORT" >"$conf"
export FREETDSCONF=$conf

bcp() { timeout 60 freebcp "$@" -S bcp_target -U "$MSSQL_USER" -P "$MSSQL_PASSWORD" -D "$db" -c; }
sql() { printf '%s\nGO\n' "$1" | MSSQL_DATABASE=$db mc_tsql request -D "$db" 2>&1; }

sql "IF OBJECT_ID('dbo.bcp_src') IS NOT NULL DROP TABLE dbo.bcp_src
IF OBJECT_ID('dbo.bcp_dst') IS NOT NULL DROP TABLE dbo.bcp_dst" >/dev/null
for t in bcp_src bcp_dst; do
	sql "CREATE TABLE dbo.$t (id int NOT NULL PRIMARY KEY, s nvarchar(30) NULL,
		v varchar(20) NULL, d decimal(12,3) NULL, dt datetime NULL, f float NULL, b bit NULL)" >/dev/null
done
sql "INSERT INTO dbo.bcp_src VALUES
	(1, N'één ✓', 'plain', 123456789.125, '2024-02-29 23:59:59.997', 1.5, 1),
	(2, NULL, NULL, NULL, NULL, NULL, NULL),
	(3, N'日本語', 'x', -0.001, '1900-01-01', -2.25, 0)" >/dev/null

out=$(bcp dbo.bcp_src out "$MC_TMP/src.txt" 2>&1)
tc_match "freebcp out: 3 rows" '^3 rows copied' "$out"
tc_eq "freebcp out: file content" \
	"1	één ✓	plain	123456789.125	2024-02-29 23:59:59.997	1.5	1
2						
3	日本語	x	-0.001	1900-01-01 00:00:00.000	-2.25	0" "$(cat "$MC_TMP/src.txt")"

out=$(bcp "SELECT id, s FROM dbo.bcp_src ORDER BY id" queryout "$MC_TMP/q.txt" 2>&1)
tc_match "freebcp queryout: 3 rows" '^3 rows copied' "$out"

out=$(bcp dbo.bcp_dst in "$MC_TMP/src.txt" 2>&1)
tc_match "freebcp in: 3 rows" '^3 rows copied' "$out"
diff=$(sql "SELECT COUNT(*) FROM (SELECT * FROM dbo.bcp_src EXCEPT SELECT * FROM dbo.bcp_dst) x
SELECT COUNT(*) FROM (SELECT * FROM dbo.bcp_dst EXCEPT SELECT * FROM dbo.bcp_src) y
SELECT COUNT(*) FROM dbo.bcp_dst")
tc_eq "freebcp in: the loaded rows equal the source rows" "0
0
3" "$(printf '%s\n' "$diff" | grep -E '^[0-9]+$')"

out=$(bcp dbo.bcp_dst in "$MC_TMP/src.txt" 2>&1)
tc_match "freebcp in of duplicate keys fails" 'failed|[Ee]rror' "$out"
tc_eq "... and leaves the table as it was" "3" \
	"$(sql "SELECT COUNT(*) FROM dbo.bcp_dst" | grep -E '^[0-9]+$')"

sql "DROP TABLE dbo.bcp_src
DROP TABLE dbo.bcp_dst" >/dev/null
tc_done
