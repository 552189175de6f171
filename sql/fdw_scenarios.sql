--
-- mssql_cdc FDW: foreign tables used the way PostgreSQL users use tables:
-- joins, prepared statements, PL/pgSQL loops, cursors, EXPLAIN ANALYZE,
-- ANALYZE, COPY, CREATE TABLE AS, user mappings for PUBLIC, two databases
-- in one query, names that need quoting, wide rows
--
\set mssql_host '127.0.0.1'
\set mssql_port '51433'
\set mssql_user 'sa'
\set mssql_password 'Sim_Passw0rd!'
\getenv mssql_host MSSQL_HOST
\getenv mssql_port MSSQL_PORT
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD

CREATE SERVER mssql_s FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
-- one user mapping for every role
CREATE USER MAPPING FOR PUBLIC SERVER mssql_s
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE SCHEMA fdw_dbo;
IMPORT FOREIGN SCHEMA dbo LIMIT TO (items, big, wide)
	FROM SERVER mssql_s INTO fdw_dbo;
CREATE SCHEMA fdw_sales;
IMPORT FOREIGN SCHEMA sales FROM SERVER mssql_s INTO fdw_sales;

--
-- Joins
--
-- two foreign tables
SELECT c.name, o.id, o.total FROM fdw_sales.customers c
	JOIN fdw_sales.orders o ON o.customer_id = c.id ORDER BY o.id;
SELECT c.name, count(o.id) FROM fdw_sales.customers c
	LEFT JOIN fdw_sales.orders o ON o.customer_id = c.id AND o.total > 10
	GROUP BY c.name ORDER BY 1;
-- a local table and a foreign one, every join method
CREATE TEMP TABLE wanted (id int);
INSERT INTO wanted VALUES (2), (5), (99), (NULL);
SELECT w.id, b.label, b.amount FROM wanted w LEFT JOIN fdw_dbo.big b ON b.id = w.id
	ORDER BY w.id;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT w.id, b.label, b.amount FROM wanted w LEFT JOIN fdw_dbo.big b ON b.id = w.id
	ORDER BY w.id;
SET enable_material = off;
SELECT w.id, i.name FROM wanted w JOIN fdw_dbo.items i ON i.id = w.id ORDER BY w.id;
RESET enable_material;
RESET enable_mergejoin;
SET enable_nestloop = off;
SELECT w.id, i.name FROM wanted w JOIN fdw_dbo.items i ON i.id = w.id ORDER BY w.id;
RESET enable_nestloop;
RESET enable_hashjoin;
-- LATERAL: the inner scan runs again for each outer row, with its LIMIT
SELECT g, x.id FROM generate_series(1, 3) g,
	LATERAL (SELECT id FROM fdw_dbo.items i WHERE i.id > g ORDER BY id LIMIT 1) x
	ORDER BY g;

--
-- Two databases of one SQL Server in one query, through two servers
--
CREATE SERVER mssql_master FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'master');
CREATE FOREIGN TABLE master_db (db text) SERVER mssql_master
	OPTIONS (query 'SELECT DB_NAME() AS db');
CREATE FOREIGN TABLE fdwtest_db (db text) SERVER mssql_s
	OPTIONS (query 'SELECT DB_NAME() AS db');
-- no user mapping for this server (and none for PUBLIC): the error names
-- the server and says how to create one
SELECT * FROM master_db;
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_master
	OPTIONS (username :'mssql_user', password :'mssql_password');
SELECT m.db AS one, f.db AS other, i.name FROM master_db m, fdwtest_db f, fdw_dbo.items i
	WHERE i.id = 1;
SELECT DISTINCT server_name FROM mssql_cdc.get_connections() ORDER BY 1;
-- dropping a server closes its cached session
DROP SERVER mssql_master CASCADE;
SELECT DISTINCT server_name FROM mssql_cdc.get_connections() ORDER BY 1;

--
-- Prepared statements: custom and generic plans give the same answers
--
PREPARE by_id(int) AS SELECT id, name FROM fdw_dbo.items WHERE id = $1;
PREPARE page(int, int) AS SELECT id FROM fdw_dbo.items ORDER BY id LIMIT $1 OFFSET $2;
PREPARE since(timestamp) AS SELECT id FROM fdw_dbo.items WHERE created >= $1 ORDER BY id;
EXECUTE by_id(3);
EXECUTE page(2, 3);
EXECUTE since('2024-01-08');
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_id(3);
EXECUTE by_id(3);
EXECUTE by_id(4);
EXECUTE page(2, 3);
EXECUTE since('2024-01-08');
RESET plan_cache_mode;
DEALLOCATE ALL;

--
-- PL/pgSQL: a loop over a foreign table that queries it again for each row,
-- with an exception block caught in the middle
--
DO $$
DECLARE
	r record;
	n bigint := 0;
	caught int := 0;
BEGIN
	FOR r IN SELECT id FROM fdw_dbo.items ORDER BY id LOOP
		n := n + (SELECT count(*) FROM fdw_dbo.items i WHERE i.id <= r.id);
		BEGIN
			PERFORM 1 / (r.id - 5);
		EXCEPTION WHEN division_by_zero THEN
			caught := caught + 1;
		END;
	END LOOP;
	RAISE NOTICE 'n = %, caught = %', n, caught;
END
$$;
CREATE FUNCTION item_name(int) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	result text;
BEGIN
	SELECT name INTO result FROM fdw_dbo.items WHERE id = $1;
	RETURN result;
END
$$;
SELECT g, item_name(g) FROM generate_series(1, 4) g;
SELECT count(*) FROM mssql_cdc.get_connections() WHERE in_use;

--
-- Cursors
--
BEGIN;
-- SCROLL: PostgreSQL keeps what it read, so backwards works
DECLARE c SCROLL CURSOR FOR SELECT id FROM fdw_dbo.items WHERE id > 3 ORDER BY id;
FETCH 2 FROM c;
FETCH BACKWARD 1 FROM c;
FETCH LAST FROM c;
FETCH ABSOLUTE 2 FROM c;
FETCH RELATIVE -1 FROM c;
FETCH FORWARD ALL FROM c;
-- without SCROLL, going backwards is PostgreSQL's error
DECLARE d CURSOR FOR SELECT id FROM fdw_dbo.items ORDER BY id;
FETCH 1 FROM d;
FETCH BACKWARD 1 FROM d;
ROLLBACK;
-- WITH HOLD: read to the end at commit, then served locally
BEGIN;
DECLARE h CURSOR WITH HOLD FOR SELECT id FROM fdw_dbo.items ORDER BY id;
FETCH 2 FROM h;
COMMIT;
FETCH 2 FROM h;
CLOSE h;
SELECT count(*) FROM mssql_cdc.get_connections() WHERE in_use;

--
-- EXPLAIN ANALYZE, ANALYZE
--
EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF)
	SELECT id FROM fdw_dbo.items WHERE qty > 5;
ANALYZE fdw_dbo.items;
ANALYZE fdw_dbo.big;
SELECT relname, reltuples FROM pg_class
	WHERE oid IN ('fdw_dbo.items'::regclass, 'fdw_dbo.big'::regclass) ORDER BY 1;
SELECT attname, null_frac, n_distinct FROM pg_stats
	WHERE schemaname = 'fdw_dbo' AND tablename = 'items' ORDER BY attname;
SELECT count(*) FROM pg_stats WHERE schemaname = 'fdw_dbo' AND tablename = 'big';

--
-- COPY, CREATE TABLE AS, LIMIT/OFFSET
--
COPY (SELECT id, name, price, created FROM fdw_dbo.items WHERE id <= 3 ORDER BY id) TO STDOUT;
-- COPY of the foreign table itself is PostgreSQL's error
COPY fdw_dbo.items TO STDOUT;
CREATE TEMP TABLE items_copy AS SELECT * FROM fdw_dbo.items;
SELECT count(*), sum(qty), sum(price), count(code) FROM items_copy;
CREATE TEMP TABLE big_copy AS SELECT * FROM fdw_dbo.big WHERE grp = 7;
SELECT count(*), sum(amount), min(id), max(id) FROM big_copy;
SELECT count(*) FROM (SELECT id FROM fdw_dbo.big OFFSET 99990) s;
SELECT id FROM fdw_dbo.big ORDER BY id DESC LIMIT 1 + 2;
SELECT id FROM fdw_dbo.big ORDER BY id LIMIT 2 OFFSET 99997;
SELECT id FROM fdw_dbo.big ORDER BY id LIMIT ALL OFFSET 99998;

--
-- A role without a user mapping of its own uses the one for PUBLIC; a
-- changed mapping is used at once
--
CREATE ROLE regress_mssql_reader;
GRANT USAGE ON SCHEMA fdw_dbo TO regress_mssql_reader;
GRANT SELECT ON fdw_dbo.items TO regress_mssql_reader;
SET ROLE regress_mssql_reader;
SELECT count(*) FROM fdw_dbo.items;
RESET ROLE;
BEGIN;
SELECT count(*) FROM fdw_dbo.items;
ALTER USER MAPPING FOR PUBLIC SERVER mssql_s OPTIONS (SET password 'not the password');
COMMIT;
\set VERBOSITY sqlstate
SELECT count(*) FROM fdw_dbo.items;
\set VERBOSITY default
ALTER USER MAPPING FOR PUBLIC SERVER mssql_s OPTIONS (SET password :'mssql_password');
SELECT count(*) FROM fdw_dbo.items;
DROP OWNED BY regress_mssql_reader;
DROP ROLE regress_mssql_reader;

--
-- Names that need quoting: a schema with a space, a table with ] " ' and
-- a non-ASCII letter, a view, columns likewise
--
CREATE SCHEMA "odd local";
IMPORT FOREIGN SCHEMA "odd schema" FROM SERVER mssql_s INTO "odd local";
SELECT foreign_table_name, option_name, option_value
	FROM information_schema.foreign_table_options
	WHERE foreign_table_schema = 'odd local' ORDER BY 1, 2;
SELECT table_name, column_name, data_type FROM information_schema.columns
	WHERE table_schema = 'odd local' ORDER BY table_name, ordinal_position;
SELECT * FROM "odd local"."tab""le'x] ü" ORDER BY 1;
SELECT * FROM "odd local"."v ü" ORDER BY 1;
-- text equality is sent and checked again: case and trailing spaces count
EXPLAIN (VERBOSE, COSTS OFF)
	SELECT "co]l" FROM "odd local"."tab""le'x] ü" WHERE "ñame ""q""" = 'ab';
SELECT "co]l" FROM "odd local"."tab""le'x] ü" WHERE "ñame ""q""" = 'ab';
SELECT "co]l" FROM "odd local"."tab""le'x] ü" WHERE "ñame ""q""" = 'Ab';
SELECT "co]l" FROM "odd local"."tab""le'x] ü" WHERE "Mixed Case" = 'X';
SELECT "co]l" FROM "odd local"."tab""le'x] ü" WHERE "co]l" >= 2 ORDER BY 1 LIMIT 1;
-- LIMIT TO a name that does not exist imports the others, without an error
-- (as postgres_fdw)
CREATE SCHEMA "odd limited";
IMPORT FOREIGN SCHEMA "odd schema" LIMIT TO ("v ü", no_such_table)
	FROM SERVER mssql_s INTO "odd limited";
SELECT foreign_table_name FROM information_schema.foreign_tables
	WHERE foreign_table_schema = 'odd limited';
-- EXCEPT
IMPORT FOREIGN SCHEMA "odd schema" EXCEPT ("v ü") FROM SERVER mssql_s INTO "odd limited";
SELECT foreign_table_name FROM information_schema.foreign_tables
	WHERE foreign_table_schema = 'odd limited' ORDER BY 1;

--
-- More than 100 columns; a wide row with a 20 MB LOB
--
SELECT count(*) FROM information_schema.columns
	WHERE table_schema = 'fdw_dbo' AND table_name = 'wide';
SELECT id, c1, c2, c60, c120, length(s1), length(s2), length(lob),
	md5(lob) = md5(repeat('z', 10000000)) AS lob_ok
	FROM fdw_dbo.wide ORDER BY id;
SELECT count(*) FROM fdw_dbo.wide WHERE c120 < 0;

SET client_min_messages = warning;
DROP SCHEMA fdw_dbo, fdw_sales, "odd local", "odd limited" CASCADE;
DROP FUNCTION item_name(int);
DROP SERVER mssql_s CASCADE;
