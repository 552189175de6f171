--
-- mssql_cdc FDW: ANALYZE asks SQL Server for a random sample of the rows
-- (a row-level filter on CHECKSUM(NEWID())) instead of reading them all;
-- small tables are read whole.  ANALYZE VERBOSE shows the remote SQL.
--
\set mssql_host '127.0.0.1'
\set mssql_port '51433'
\set mssql_user 'sa'
\set mssql_password 'Sim_Passw0rd!'
\getenv mssql_host MSSQL_HOST
\getenv mssql_port MSSQL_PORT
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD

CREATE SERVER mssql_a FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_a
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE big (id int NOT NULL, grp int, label text, amount numeric(12,2))
	SERVER mssql_a OPTIONS (table_name 'big');
CREATE FOREIGN TABLE items (id int NOT NULL, name varchar(50), qty int)
	SERVER mssql_a OPTIONS (table_name 'items');
CREATE FOREIGN TABLE v_items (id int, name varchar(50), qty int)
	SERVER mssql_a OPTIONS (table_name 'v_items');
-- half of big, through the query option
CREATE FOREIGN TABLE big_half (id int, grp int)
	SERVER mssql_a OPTIONS (query 'SELECT id, grp FROM dbo.big WHERE grp < 50');

-- 300 rows per sample
SET default_statistics_target = 1;

-- 100,000 rows (SQL Server's catalog says so): about 414 of them are
-- asked for, 300 kept
ANALYZE VERBOSE big;
SELECT reltuples FROM pg_class WHERE oid = 'big'::regclass;
SELECT attname, null_frac FROM pg_stats WHERE tablename = 'big' ORDER BY attname;
-- the sample is spread over the whole table, not its first rows (with 300
-- rows drawn at random, the chance that none is below 5,000 is 2e-7)
SELECT h[1] < 5000 AS low_end, h[array_upper(h, 1)] > 95000 AS high_end
	FROM (SELECT histogram_bounds::text::int[] AS h FROM pg_stats
		  WHERE tablename = 'big' AND attname = 'id') s;

-- at most 300 rows: read whole
ANALYZE VERBOSE items;
SELECT reltuples FROM pg_class WHERE oid = 'items'::regclass;
-- a view has no row count in the catalog: SQL Server counts its rows
ANALYZE VERBOSE v_items;
SELECT reltuples FROM pg_class WHERE oid = 'v_items'::regclass;

-- the query option: counted, then sampled over the derived table; every
-- sampled row comes from the query (grp < 50), from all over the table
ANALYZE VERBOSE big_half;
SELECT reltuples FROM pg_class WHERE oid = 'big_half'::regclass;
SELECT min(v) >= 0 AND max(v) < 50 AS from_query
	FROM pg_stats s, unnest(coalesce(s.most_common_vals::text::int[], '{}')
							|| coalesce(s.histogram_bounds::text::int[], '{}')) v
	WHERE tablename = 'big_half' AND attname = 'grp';
SELECT h[1] < 5000 AS low_end, h[array_upper(h, 1)] > 95000 AS high_end
	FROM (SELECT histogram_bounds::text::int[] AS h FROM pg_stats
		  WHERE tablename = 'big_half' AND attname = 'id') s;

-- analyze_sampling 'off': every row is read, and sampled here
ALTER FOREIGN TABLE big OPTIONS (ADD analyze_sampling 'off');
ANALYZE VERBOSE big;
SELECT reltuples FROM pg_class WHERE oid = 'big'::regclass;
-- the table option wins over the server's
ALTER SERVER mssql_a OPTIONS (ADD analyze_sampling 'off');
ALTER FOREIGN TABLE big OPTIONS (SET analyze_sampling 'auto');
ANALYZE VERBOSE big;
ALTER SERVER mssql_a OPTIONS (DROP analyze_sampling);
-- only auto and off exist
ALTER FOREIGN TABLE big OPTIONS (SET analyze_sampling 'system');

-- a remote table that does not exist: SQL Server's error, with the
-- statement (the failed count is not an error of its own)
CREATE FOREIGN TABLE nosuch (id int) SERVER mssql_a OPTIONS (table_name 'nosuch');
ANALYZE nosuch;
-- the session is still usable
SELECT count(*) FROM items;

RESET default_statistics_target;
SET client_min_messages = warning;
DROP SERVER mssql_a CASCADE;
