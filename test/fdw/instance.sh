#!/usr/bin/env bash
# test/fdw/instance.sh: the "instance" server option, end to end through the
# stand-in's SQL Server Browser (mssql_sim --browser-port, [MS-SQLR]).
#
# Starts a private stand-in on a free TCP port with its Browser on UDP 1434
# (FreeTDS always sends its instance query to 1434: src/tds/net.c,
# tds7_get_instance_port) for the instance SIMINST, then queries through a
# server that names the instance and no port.  An unknown instance gets no
# answer from the Browser (as from SQL Server Browser); FreeTDS gives up
# after 16 tries of a second each, so that check takes about 16 s.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/common.sh"
. "$here/lib.bash"

if [ "${MSSQL_SIM:-0}" != 1 ]; then
	echo "SKIP needs the stand-in (its SQL Server Browser on UDP 1434)"
	exit 77
fi

instance=SIMINST
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
simdir=$(mktemp -d "${TMPDIR:-/tmp}/mssql_cdc.instance.XXXXXX")
FDW_EXTRA_CLEANUP='mc_sim_stop_all; rm -rf "$simdir"'

if ! mc_sim_start instance "$port" "$simdir" --browser-port 1434 --instance-name "$instance"; then
	if grep -q 'cannot listen on UDP' "$simdir/server.log"; then
		echo "SKIP UDP 127.0.0.1:1434 is taken (a SQL Server Browser or another run of this test)"
		rm -rf "$simdir"
		exit 77
	fi
	rm -rf "$simdir"
	mc_die "could not start the stand-in on $port"
fi
trap 'mc_sim_stop_all; rm -rf "$simdir"' EXIT

# the Browser itself, as a client speaks to it
ssrp()
{
	python3 - "$@" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(bytes.fromhex(sys.argv[1]), ("127.0.0.1", 1434))
try:
    d = s.recvfrom(65535)[0]
    print("%02x %d %s" % (d[0], int.from_bytes(d[1:3], "little"), d[3:].decode("ascii")))
except socket.timeout:
    print("no reply")
PY
}
resp="ServerName;MSSQL_SIM;InstanceName;$instance;IsClustered;No;Version;16.0.1000.6;tcp;$port;;"
out=$(ssrp "04$(printf '%s' "$instance" | od -An -tx1 | tr -d ' \n')00")
fdw_check "CLNT_UCAST_INST $instance: SVR_RESP with the TCP port" "^05 ${#resp} $resp\$" "$out"
out=$(ssrp "04$(printf 'siminst' | od -An -tx1 | tr -d ' \n')00")
fdw_check "... the instance name is case-insensitive" "^05 ${#resp} $resp\$" "$out"
out=$(ssrp 03)
fdw_check "CLNT_UCAST_EX: every instance" "^05 ${#resp} $resp\$" "$out"
out=$(ssrp 02)
fdw_check "CLNT_BCAST_EX: every instance" "^05 ${#resp} $resp\$" "$out"
out=$(ssrp "04$(printf 'NOPE' | od -An -tx1 | tr -d ' \n')00")
fdw_check "CLNT_UCAST_INST of an unknown instance: no reply" '^no reply$' "$out"

# FreeTDS's own client finds the port through the Browser
conf=$simdir/freetds.conf
printf '[global]\n\ttds version = 7.4\n[siminst]\n\thost = 127.0.0.1\n\tinstance = %s\n' "$instance" >"$conf"
out=$(printf 'SELECT @@SERVERNAME AS s\nGO\n' |
	FREETDSCONF=$conf tsql -S siminst -U "$MSSQL_USER" -P "$MSSQL_PASSWORD" -o q 2>&1)
fdw_check "tsql with 'instance = $instance' in freetds.conf connects" '^MSSQL_SIM' "$out"

fdw_pg_setup instance
mapping="OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD')"
fdw_sql -c "CREATE SERVER named FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '127.0.0.1', instance '$instance', app_name 'instance test')" \
	-c "CREATE USER MAPPING FOR CURRENT_USER SERVER named $mapping" \
	-c "CREATE FOREIGN TABLE via_instance (srv text, app text) SERVER named
		OPTIONS (query 'SELECT @@SERVERNAME AS srv, APP_NAME() AS app')" \
	-c "CREATE SERVER named_lower FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '127.0.0.1', instance 'siminst')" \
	-c "CREATE USER MAPPING FOR CURRENT_USER SERVER named_lower $mapping" \
	-c "CREATE FOREIGN TABLE via_lower (v int) SERVER named_lower
		OPTIONS (query 'SELECT 42 AS v')" \
	-c "CREATE SERVER unknown FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '127.0.0.1', instance 'NOSUCHINST')" \
	-c "CREATE USER MAPPING FOR CURRENT_USER SERVER unknown $mapping" \
	-c "CREATE FOREIGN TABLE via_unknown (v int) SERVER unknown
		OPTIONS (query 'SELECT 42 AS v')" >/dev/null

out=$(fdw_sql -c "SELECT srv, app FROM via_instance")
fdw_check "a server with instance '$instance' and no port queries through the Browser" \
	'^MSSQL_SIM\|instance test$' "$out"
out=$(cat "$simdir/statements.log")
fdw_check "... and the query reached the stand-in on port $port" 'SELECT @@SERVERNAME AS srv, APP_NAME\(\) AS app' "$out"
out=$(fdw_sql -c "SELECT v FROM via_lower")
fdw_check "instance names are case-insensitive" '^42$' "$out"

start=$SECONDS
out=$(fdw_sql -c "SELECT v FROM via_unknown")
fdw_check "an unknown instance: a clear connection error" \
	'could not connect to SQL Server "unknown"' "$out"
fdw_check "... naming host and instance" '127\.0\.0\.1\\NOSUCHINST' "$out"
echo "# the unknown instance took $((SECONDS - start)) s (FreeTDS asks the Browser 16 times)"

out=$(fdw_sql -c "CREATE SERVER both_opts FOREIGN DATA WRAPPER mssql_cdc
		OPTIONS (host '127.0.0.1', port '$port', instance '$instance')")
fdw_check "port and instance together are refused" \
	'options "port" and "instance" cannot be used together' "$out"

fdw_done
