#!/usr/bin/env bash
# test/fdw/encryption.sh: the "encryption" and "ca_file" server options,
# against the three stand-in instances that test/run-all.sh starts:
#   MSSQL_PORT               TLS available, not forced
#   MSSQL_SIM_FORCE_TLS_PORT TLS forced (--force-encryption)
#   MSSQL_SIM_NO_TLS_PORT    no TLS at all
# FreeTDS 1.3's db-lib has no call for encryption; mssql_cdc writes a
# private freetds.conf per connection.  This shows the option really
# reaches FreeTDS: "require" is refused by a server without TLS, "off" by a
# server that forces TLS.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/common.sh"
. "$here/lib.bash"

if [ "${MSSQL_SIM:-0}" != 1 ]; then
	echo "SKIP needs the stand-in's three instances (TLS, forced TLS, no TLS)"
	exit 77
fi

fdw_pg_setup encryption
tls=$MSSQL_PORT
force=$MSSQL_SIM_FORCE_TLS_PORT
notls=$MSSQL_SIM_NO_TLS_PORT

q="SELECT v FROM t"
for s in "req_tls $tls require" "req_force $force require" "req_notls $notls require" \
	"off_tls $tls off" "off_force $force off" "off_notls $notls off" \
	"request_tls $tls request" "request_force $force request" "request_notls $notls request" \
	"upper_notls $notls REQUIRE"; do
	set -- $s
	fdw_server "$1" "$2" "$3"
	fdw_sql -c "CREATE FOREIGN TABLE t_$1 (v int) SERVER $1 OPTIONS (query 'SELECT 42 AS v')" >/dev/null
done

out=$(fdw_sql -c "SELECT v FROM t_req_tls")
fdw_check "require against a server with TLS works" '^42$' "$out"
out=$(fdw_sql -c "SELECT v FROM t_req_force")
fdw_check "require against a server forcing TLS works" '^42$' "$out"
out=$(fdw_sql -c "SELECT v FROM t_req_notls")
fdw_check "require against a server without TLS is refused" \
	'could not connect to SQL Server "req_notls"' "$out"
fdw_check "... with a hint about encryption 'require'" 'HINT:.*"encryption" is "require"' "$out"
fdw_check_not "... and no password in the message" "$MSSQL_PASSWORD" "$out"
# the value is accepted in any case and means the same
out=$(fdw_sql -c "SELECT v FROM t_upper_notls")
fdw_check "REQUIRE (upper case) against a server without TLS is refused" \
	'could not connect to SQL Server "upper_notls"' "$out"
fdw_check "... with the same hint" 'HINT:.*"encryption" is "require"' "$out"

out=$(fdw_sql -c "SELECT v FROM t_off_tls")
fdw_check "off against a server with TLS works" '^42$' "$out"
out=$(fdw_sql -c "SELECT v FROM t_off_force")
fdw_check "off against a server forcing TLS is refused" \
	'could not connect to SQL Server "off_force"' "$out"
fdw_check "... with a hint about encryption 'off'" 'HINT:.*"encryption" is "off"' "$out"
out=$(fdw_sql -c "SELECT v FROM t_off_notls")
fdw_check "off against a server without TLS works" '^42$' "$out"

for s in tls force notls; do
	out=$(fdw_sql -c "SELECT v FROM t_request_$s")
	fdw_check "request (the default) works against $s" '^42$' "$out"
done

# Switching the option on an existing server takes effect at once (the
# cached session is invalidated)
out=$(fdw_sql -c "SELECT v FROM t_req_notls" -c "ALTER SERVER req_notls OPTIONS (SET encryption 'request')" \
	-c "SELECT v FROM t_req_notls")
fdw_check "ALTER SERVER ... encryption takes effect" '^42$' "$out"

# ca_file: the server certificate is verified against it
cert=$MSSQL_SIM_DIR/cert/cert.pem
if [ -r "$cert" ]; then
	fdw_server ca_good "$tls" require ", ca_file '$cert'"
	fdw_sql -c "CREATE FOREIGN TABLE t_ca_good (v int) SERVER ca_good OPTIONS (query 'SELECT 42 AS v')" >/dev/null
	out=$(fdw_sql -c "SELECT v FROM t_ca_good")
	fdw_check "ca_file with the server's certificate: verified, works" '^42$' "$out"

	other=$(mc_pg_tmpdir othercert)
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=localhost' \
		-keyout "$other/key.pem" -out "$other/cert.pem" 2>/dev/null
	chmod 644 "$other"/*.pem
	fdw_server ca_bad "$tls" require ", ca_file '$other/cert.pem'"
	fdw_sql -c "CREATE FOREIGN TABLE t_ca_bad (v int) SERVER ca_bad OPTIONS (query 'SELECT 42 AS v')" >/dev/null
	out=$(fdw_sql -c "SELECT v FROM t_ca_bad")
	fdw_check "ca_file with another certificate: refused" \
		'could not connect to SQL Server "ca_bad"' "$out"
	FDW_EXTRA_CLEANUP="rm -rf '$other'"
fi

# the private FreeTDS configuration files do not stay behind
left=$(find "$MC_PG_DIR/data/base/pgsql_tmp" -name 'pgsql_tmp.mssql_cdc_*' 2>/dev/null | wc -l)
fdw_check "no private freetds.conf left behind" '^0$' "$left"

fdw_done
