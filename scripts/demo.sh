#!/usr/bin/env bash
# scripts/demo.sh: the README's demo.  On a fresh Debian 12 machine it
# installs what is missing, builds the SQL Server stand-in, starts it,
# creates a database with a small table through FreeTDS tsql, and queries it
# with tsql and with the Node driver tedious.  When the extension provides
# its foreign-data wrapper, a throwaway PostgreSQL also reads the table
# through CREATE EXTENSION mssql_cdc + IMPORT FOREIGN SCHEMA.
# Everything it starts is stopped at the end.
#
# Environment: DEMO_PORT (default 51533) for the stand-in, SKIP_SETUP=1 to
# skip the package check.  Each step is one function below; add steps there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. test/tools/common.sh

demo_dir=$root/test/tmp/demo
export MC_TMP=$demo_dir
export MSSQL_HOST=127.0.0.1 MSSQL_PORT=${DEMO_PORT:-51533} MSSQL_USER=sa
export MSSQL_PASSWORD=$MC_SIM_DEFAULT_PASSWORD MSSQL_DATABASE=demo

say() { printf '\n### %s\n' "$*"; }

demo_pgdir=
cleanup()
{
	mc_pg_stop
	[ -n "$demo_pgdir" ] && rm -rf "$demo_pgdir"
	mc_sim_stop_all
}
trap cleanup EXIT

step_install()
{
	say "1. install missing packages (test/setup-deps.sh)"
	[ "${SKIP_SETUP:-0}" = 1 ] || bash test/setup-deps.sh
}

step_build_standin()
{
	say "2. build the SQL Server stand-in (make -C test/mssql_sim)"
	make -C test/mssql_sim -j"$(nproc)" >/dev/null
}

step_start_standin()
{
	say "3. start the stand-in on 127.0.0.1:$MSSQL_PORT (TLS with a throwaway certificate)"
	mkdir -p "$demo_dir"
	rm -f "$demo_dir"/freetds-*.conf
	mc_make_cert "$demo_dir/cert"
	mc_sim_start demo "$MSSQL_PORT" "$demo_dir/sim" \
		--tls-cert "$demo_dir/cert/cert.pem" --tls-key "$demo_dir/cert/key.pem"
}

step_create_data()
{
	say "4. create database demo and table dbo.orders with tsql"
	cat >"$demo_dir/orders.sql" <<'EOF'
CREATE DATABASE demo
GO
USE demo
GO
CREATE TABLE dbo.orders (
	id int NOT NULL PRIMARY KEY,
	customer nvarchar(50) NOT NULL,
	amount decimal(10, 2) NOT NULL,
	status varchar(10) NOT NULL,
	created datetime2(0) NOT NULL
)
GO
INSERT INTO dbo.orders (id, customer, amount, status, created) VALUES
	(1, N'Ada Lovelace', 120.50, 'open', '2024-05-01 09:30:00'),
	(2, N'Grace Hopper', 75.00, 'shipped', '2024-05-02 14:05:00'),
	(3, N'Edsger Dijkstra', 310.25, 'open', '2024-05-03 11:45:00'),
	(4, N'Frances Allen', 42.10, 'cancelled', '2024-05-04 16:20:00')
GO
EOF
	sed 's/^/    /' "$demo_dir/orders.sql"
	MSSQL_DATABASE=master mc_tsql_file "$demo_dir/orders.sql"
}

step_query_tsql()
{
	say "5. FreeTDS tsql, encryption = require"
	echo "    SELECT * FROM dbo.orders ORDER BY id"
	printf 'SELECT * FROM dbo.orders ORDER BY id\nGO\n' |
		mc_tsql require -D demo | sed 's/^/    /'
}

step_query_tedious()
{
	say "6. Node tedious, encrypt: true, sp_executesql with a parameter"
	node --no-deprecation scripts/demo-tedious.js | sed 's/^/    /'
}

# The extension step runs once the install script defines the wrapper.
extension_has_fdw()
{
	grep -qi 'FOREIGN DATA WRAPPER mssql_cdc' mssql_cdc--*.sql 2>/dev/null
}

step_extension()
{
	if ! extension_has_fdw; then
		say "7. PostgreSQL through mssql_cdc: not shown, the extension has no foreign-data wrapper yet"
		return 0
	fi
	say "7. PostgreSQL: CREATE EXTENSION mssql_cdc, IMPORT FOREIGN SCHEMA, SELECT"
	make -j"$(nproc)" >/dev/null
	mc_as_root make install >/dev/null
	demo_pgdir=$(mc_pg_tmpdir demo)
	mc_pg_start "$demo_pgdir" "shared_preload_libraries=mssql_cdc"
	mc_pg_psql -v ON_ERROR_STOP=1 -a \
		-v host="$MSSQL_HOST" -v port="$MSSQL_PORT" -v pw="$MSSQL_PASSWORD" <<'EOF'
CREATE EXTENSION mssql_cdc;
CREATE SERVER demo FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'host', port :'port', database 'demo', encryption 'require');
CREATE USER MAPPING FOR CURRENT_USER SERVER demo OPTIONS (username 'sa', password :'pw');
CREATE SCHEMA demo_live;
IMPORT FOREIGN SCHEMA dbo LIMIT TO (orders) FROM SERVER demo INTO demo_live;
SELECT * FROM demo_live.orders WHERE status = 'open' ORDER BY id;
EOF
}

step_install
step_build_standin
step_start_standin
step_create_data
step_query_tsql
step_query_tedious
step_extension
say "done: everything started by the demo is being stopped"
