#!/usr/bin/env bash
# test/mssql_sim/tests/run.sh: regression tests of the stand-in's engine.
#
# Each tests/NAME.sql is run by sim_cli (the engine without the network)
# against a fresh data directory, and its output is compared with
# tests/expected/NAME.out.  Batches are separated by lines holding "GO".
# A first line "-- sim_cli: ARGS" passes ARGS to sim_cli (e.g. -v to see
# every DONE and ENVCHANGE token).
#
#   bash test/mssql_sim/tests/run.sh [NAME...]    run all or some tests
#   UPDATE=1 bash test/mssql_sim/tests/run.sh      rewrite expected files
#
# Output is TAP; the exit status is 0 only when every test passed.
# Results and diffs are left in tests/results/.
set -u

here=$(cd "$(dirname "$0")" && pwd)
sim=$(cd "$here/.." && pwd)
results=$here/results

if ! make -s -C "$sim" sim_cli >"$results.build.log" 2>&1; then
	echo "Bail out! make -C $sim sim_cli failed:"
	sed 's/^/# /' "$results.build.log"
	exit 1
fi
rm -f "$results.build.log"
mkdir -p "$results"

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for f in "$here"/*.sql; do
		names+=("$(basename "$f" .sql)")
	done
fi

n=0
failed=0
for name in "${names[@]}"; do
	n=$((n + 1))
	sql=$here/$name.sql
	expected=$here/expected/$name.out
	actual=$results/$name.out
	dir=$(mktemp -d "${TMPDIR:-/tmp}/mssql_sim_test.XXXXXX")
	args=$(head -n 1 "$sql" | sed -n 's/^-- sim_cli: //p')
	# shellcheck disable=SC2086
	(cd "$dir" && "$sim/sim_cli" --dir "$dir/data" $args <"$sql") >"$actual" 2>&1
	rm -rf "$dir"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$actual" "$expected"
	fi
	if [ ! -f "$expected" ]; then
		echo "not ok $n - $name (no expected/$name.out)"
		failed=$((failed + 1))
	elif diff -u "$expected" "$actual" >"$results/$name.diff"; then
		echo "ok $n - $name"
		rm -f "$results/$name.diff"
	else
		echo "not ok $n - $name (diff in $results/$name.diff)"
		sed 's/^/# /' "$results/$name.diff" | head -n 40
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ] || echo "# $failed of $n tests failed"
[ "$failed" -eq 0 ]
