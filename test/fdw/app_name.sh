#!/usr/bin/env bash
# test/fdw/app_name.sh: APP_NAME() and HOST_NAME() return what the client
# sent in LOGIN7 (AppName, HostName), as SQL Server does; shown with three
# clients: tsql ("TSQL"), tedious (its appName option, default "Tedious";
# the name survives a RESETCONNECTION) and the FDW (its app_name server
# option, default "mssql_cdc").  A client that sends an empty name gets ''
# (shown with a LOGIN7 built here); the FDW refuses an empty app_name.
#
# Uses the server of test/run-all.sh (MSSQL_HOST, MSSQL_PORT, ...); works
# against the stand-in and a real SQL Server alike.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../tools/common.sh"
. "$here/lib.bash"

if [ -z "${MSSQL_HOST:-}" ]; then
	echo "SKIP needs a server (MSSQL_HOST, MSSQL_PORT, ...: run through test/run-all.sh)"
	exit 77
fi
host=$(hostname)

# --- tsql -------------------------------------------------------------------
out=$(fdw_tsql "$MSSQL_PORT" "SELECT '<' + APP_NAME() + '>' AS app, '<' + HOST_NAME() + '>' AS host")
fdw_check "tsql: APP_NAME() is TSQL" '<TSQL>' "$out"
fdw_check "tsql: HOST_NAME() is this host ($host)" "<$host>" "$out"

# --- tedious ----------------------------------------------------------------
if [ -d "$root/test/node_modules/tedious" ] && command -v node >/dev/null; then
	out=$(NODE_PATH=$root/test/node_modules node - <<'JS' 2>&1
'use strict';
const { Connection, Request } = require('tedious');
const env = process.env;

function connect(appName) {
  return new Promise((resolve, reject) => {
    const options = { port: Number(env.MSSQL_PORT || 1433), encrypt: false,
      trustServerCertificate: true, database: env.MSSQL_DATABASE || 'master' };
    if (appName !== undefined) options.appName = appName;
    const c = new Connection({ server: env.MSSQL_HOST,
      authentication: { type: 'default', options: { userName: env.MSSQL_USER, password: env.MSSQL_PASSWORD } },
      options });
    c.on('connect', (err) => (err ? reject(err) : resolve(c)));
    c.connect();
  });
}

function query(c, sql) {
  return new Promise((resolve, reject) => {
    const rows = [];
    const r = new Request(sql, (err) => (err ? reject(err) : resolve(rows)));
    r.on('row', (cols) => rows.push(cols.map((x) => x.value).join('|')));
    c.execSql(r);
  });
}

(async () => {
  let c = await connect('mssql_cdc app_name test');
  console.log('named: <' + (await query(c, 'SELECT APP_NAME()'))[0] + '>');
  await query(c, "IF DB_ID(N'mssql_cdc_app_name') IS NULL CREATE DATABASE mssql_cdc_app_name");
  await query(c, 'USE mssql_cdc_app_name');
  console.log('after USE: <' + (await query(c, 'SELECT APP_NAME()'))[0] + '>');
  // back to the login database on the next request
  await new Promise((resolve, reject) => c.reset((err) => (err ? reject(err) : resolve())));
  console.log('after reset: <' + (await query(c, "SELECT APP_NAME() + '|' + DB_NAME()"))[0] + '>');
  c.close();
  c = await connect(undefined);
  console.log('default: <' + (await query(c, 'SELECT APP_NAME()'))[0] + '>');
  c.close();
})().catch((err) => { console.log('error: ' + err.message); process.exit(1); });
JS
)
	fdw_check "tedious appName: APP_NAME() returns it" '^named: <mssql_cdc app_name test>$' "$out"
	fdw_check "... still after USE" '^after USE: <mssql_cdc app_name test>$' "$out"
	fdw_check "... and after a RESETCONNECTION (back in the login database)" \
		"^after reset: <mssql_cdc app_name test\\|${MSSQL_DATABASE:-master}>\$" "$out"
	fdw_check "tedious without appName: its default, Tedious" '^default: <Tedious>$' "$out"
else
	echo "# tedious (test/node_modules) or node missing: tedious checks left out"
fi

# --- a LOGIN7 with empty AppName and HostName (the stand-in only: no TLS) ---
# Neither tsql, tedious nor the FDW sends an empty application name, so this
# one speaks TDS itself (transport and token walker of the protocol tests).
if [ "${MSSQL_SIM:-0}" = 1 ]; then
	out=$(python3 - "$root/test/mssql_sim" <<'PY' 2>&1
import os, struct, sys
sys.path.insert(0, sys.argv[1])
from tds_protocol_test import Tds, parse_tokens, ENC_NOT_SUP

def login(host, app):
    c = Tds(int(os.environ["MSSQL_PORT"]))
    c.prelogin(ENC_NOT_SUP)
    fields = [host, os.environ["MSSQL_USER"], os.environ["MSSQL_PASSWORD"], app,
              "127.0.0.1", "", "py", "", ""]
    fixed = bytearray(94)
    fixed[4:8] = b"\x04\x00\x00\x74"
    fixed[8:12] = struct.pack("<I", 4096)
    fixed[24], fixed[25] = 0xE0, 0x03
    var = b""
    for k, val in enumerate(fields):
        enc = val.encode("utf-16-le")
        if k == 2:
            enc = bytes((((b << 4) | (b >> 4)) & 0xFF) ^ 0xA5 for b in enc)
        fixed[36 + 4 * k:40 + 4 * k] = struct.pack("<HH", 94 + len(var), len(val))
        var += enc
    body = bytes(fixed) + var
    c.send_packet(0x10, struct.pack("<I", len(body)) + body[4:])
    assert "LOGINACK" in [t[0] for t in parse_tokens(c.read_message()[0])]
    return c

for host, app in (("", ""), ("raw-host", "raw app")):
    c = login(host, app)
    rows = [t[1] for t in parse_tokens(c.query(
        "SELECT '<' + APP_NAME() + '>' AS a, '<' + HOST_NAME() + '>' AS h")[0])
        if t[0] in ("ROW", "NBCROW")]
    print("sent <%s> <%s>: got %s %s" % (app, host, rows[0][0], rows[0][1]))
PY
)
	fdw_check "LOGIN7 with an empty AppName: APP_NAME() is ''" '^sent <> <>: got <> ' "$out"
	fdw_check "LOGIN7 with an empty HostName: HOST_NAME() is ''" '^sent <> <>: got <> <>$' "$out"
	fdw_check "LOGIN7 raw app and host come back" '^sent <raw app> <raw-host>: got <raw app> <raw-host>$' "$out"
fi

# --- the FDW's app_name server option --------------------------------------
fdw_pg_setup app_name
mapping="OPTIONS (username '$MSSQL_USER', password '$MSSQL_PASSWORD')"
for s in "app_set , app_name 'mssql_cdc app_name test'" "app_default"; do
	name=${s%% *}
	opts=${s#"$name"}
	fdw_sql -c "CREATE SERVER $name FOREIGN DATA WRAPPER mssql_cdc
			OPTIONS (host '$MSSQL_HOST', port '$MSSQL_PORT' $opts)" \
		-c "CREATE USER MAPPING FOR CURRENT_USER SERVER $name $mapping" \
		-c "CREATE FOREIGN TABLE t_$name (app text, host text) SERVER $name
			OPTIONS (query 'SELECT ''<'' + APP_NAME() + ''>'' AS app, HOST_NAME() AS host')" >/dev/null
done

out=$(fdw_sql -c "SELECT app FROM t_app_set")
fdw_check "FDW app_name 'mssql_cdc app_name test': APP_NAME() returns it" '^<mssql_cdc app_name test>$' "$out"
out=$(fdw_sql -c "SELECT app FROM t_app_default")
fdw_check "FDW without app_name: APP_NAME() is mssql_cdc" '^<mssql_cdc>$' "$out"
out=$(fdw_sql -c "ALTER SERVER app_set OPTIONS (SET app_name '')")
fdw_check "FDW app_name '' is refused" 'value of option "app_name" must not be empty' "$out"
out=$(fdw_sql -c "SELECT host FROM t_app_set")
fdw_check "FDW: HOST_NAME() is this host ($host)" "^$host\$" "$out"
out=$(fdw_sql -c "SELECT app FROM t_app_set" \
	-c "ALTER SERVER app_set OPTIONS (SET app_name 'renamed')" -c "SELECT app FROM t_app_set")
fdw_check "ALTER SERVER ... app_name takes effect at once" '^<renamed>$' "$out"

fdw_done
