# test/clients/lib.sh: tiny assertion helpers for the shell client tests.
# Source after test/tools/common.sh.  Each check prints "ok" or "not ok"
# (TAP-like) and failures are counted; call tc_done at the end.

TC_N=0
TC_FAILED=0

tc_ok()   { TC_N=$((TC_N + 1)); echo "ok $TC_N - $1"; }
tc_fail()
{
	TC_N=$((TC_N + 1)); TC_FAILED=$((TC_FAILED + 1))
	echo "not ok $TC_N - $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /'
	return 0
}

# tc_eq NAME EXPECTED ACTUAL
tc_eq()
{
	if [ "$2" == "$3" ]; then
		tc_ok "$1"
	else
		tc_fail "$1" "expected:" "$2" "got:" "$3"
	fi
}

# tc_match NAME REGEX TEXT  (extended regex, grep -E, on any line)
tc_match()
{
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		tc_ok "$1"
	else
		tc_fail "$1" "expected a line matching: $2" "got:" "$3"
	fi
}

tc_done()
{
	echo "1..$TC_N"
	if [ "$TC_FAILED" -ne 0 ]; then
		echo "# $TC_FAILED of $TC_N checks failed"
		exit 1
	fi
	echo "# all $TC_N checks passed"
	exit 0
}
