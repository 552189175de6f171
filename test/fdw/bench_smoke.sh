#!/usr/bin/env bash
# test/fdw/bench_smoke.sh: runs the FDW scan benchmark (test/bench/fdw_scan.sh)
# on 2,000 rows, to keep the script working; checks that both FDWs counted
# every row and returned the same values.  Timing is not checked.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(bash "$here/../bench/fdw_scan.sh" --smoke 2>&1)
echo "$out"
status=0
grep -q 'first 1000 rows identical through both FDWs' <<<"$out" || { echo "not ok - values differ"; status=1; }
grep -q 'WARNING' <<<"$out" && { echo "not ok - warnings"; status=1; }
grep -q '^ratio mssql_cdc / tds_fdw' <<<"$out" || { echo "not ok - no ratio printed"; status=1; }
[ "$status" = 0 ] && echo "ok - benchmark smoke run"
exit $status
