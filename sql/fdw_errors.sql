--
-- mssql_cdc FDW: SQL Server errors become PostgreSQL errors with a fitting
-- SQLSTATE, SQL Server's number, severity and state in the detail, and the
-- remote statement in the context; the session stays usable afterwards
--
\set mssql_host '127.0.0.1'
\set mssql_port '51433'
\set mssql_user 'sa'
\set mssql_password 'Sim_Passw0rd!'
\getenv mssql_host MSSQL_HOST
\getenv mssql_port MSSQL_PORT
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD

CREATE SERVER mssql_e FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_e
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE items (id int, qty int) SERVER mssql_e OPTIONS (table_name 'items');
-- Each error is caught and shown by SQLSTATE, detail, hint and context: the
-- message itself is SQL Server's text, which differs between versions.
CREATE FUNCTION show_error(q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	st text; det text; hin text; ctx text;
BEGIN
	EXECUTE q;
	RAISE NOTICE 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, det = PG_EXCEPTION_DETAIL,
		hin = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
	RAISE NOTICE E'SQLSTATE %\nDETAIL: %\nHINT: %\nCONTEXT: %', st, det, hin,
		split_part(ctx, E'\n', 1);
END
$$;

-- 208: the remote table does not exist (undefined_table, 42P01)
CREATE FOREIGN TABLE missing (id int) SERVER mssql_e OPTIONS (table_name 'no_such_table');
SELECT show_error('SELECT * FROM missing');
-- 207: a column does not exist (undefined_column, 42703)
CREATE FOREIGN TABLE badcol (id int, nope int) SERVER mssql_e OPTIONS (table_name 'items');
SELECT show_error('SELECT * FROM badcol');
-- 245: conversion failed (22P02)
CREATE FOREIGN TABLE badconv (x int) SERVER mssql_e
	OPTIONS (query 'SELECT CAST(N''abc'' AS int) AS x');
SELECT show_error('SELECT * FROM badconv');
-- 241: date conversion failed (22007)
CREATE FOREIGN TABLE baddate (d date) SERVER mssql_e
	OPTIONS (query 'SELECT CAST(N''2024-13-45'' AS date) AS d');
SELECT show_error('SELECT * FROM baddate');
-- 8115: arithmetic overflow (22003)
CREATE FOREIGN TABLE overflow (x int) SERVER mssql_e
	OPTIONS (query 'SELECT CAST(300 AS tinyint) AS x');
SELECT show_error('SELECT * FROM overflow');
-- 102: syntax error in a query option (42601)
CREATE FOREIGN TABLE badsyntax (x int) SERVER mssql_e OPTIONS (query 'SELEC 1 AS x');
SELECT show_error('SELECT * FROM badsyntax');
-- 8134: an error SQL Server sends after some rows (division by zero in the
-- row with id 5) fails the query; it must never pass for the end of the rows
CREATE FOREIGN TABLE mid_error (id int, q int) SERVER mssql_e
	OPTIONS (query 'SELECT id, 100 / (5 - id) AS q FROM dbo.items');
SELECT show_error('SELECT * FROM mid_error ORDER BY id');
-- an aggregate computed here over the streamed rows, and one SQL Server
-- computes (sum is sent as SUM): both fail
SELECT show_error('SELECT avg(q) FROM mid_error');
SELECT show_error('SELECT sum(q) FROM mid_error');
SELECT show_error('SELECT id, q FROM mid_error WHERE id > 2 ORDER BY id');
-- the session is still fine
SELECT count(*) FROM items;
SELECT server_name, in_use FROM mssql_cdc.get_connections();

-- errors caught in a subtransaction give the session back too
DO $$
BEGIN
	PERFORM * FROM missing;
EXCEPTION WHEN undefined_table THEN
	RAISE NOTICE 'caught: %', SQLSTATE;
END
$$;
SELECT count(*) FROM items;
SELECT server_name, in_use FROM mssql_cdc.get_connections();

-- an error after some rows were read: the rest is discarded, the session kept
BEGIN;
DECLARE c CURSOR FOR SELECT id FROM items ORDER BY id;
FETCH 2 FROM c;
SELECT 1 / 0;
ROLLBACK;
SELECT count(*) FROM items;
SELECT count(*) FROM mssql_cdc.get_connections();

-- a cursor declared before a savepoint and first read inside it survives
-- ROLLBACK TO the savepoint: it keeps its session (no rows lost), and a scan
-- started afterwards gets a session of its own (no rows of another query)
BEGIN;
DECLARE c CURSOR FOR SELECT id FROM items ORDER BY id;
SAVEPOINT a;
FETCH 2 FROM c;
ROLLBACK TO a;
DECLARE d CURSOR FOR SELECT id * 100 FROM items ORDER BY id;
FETCH 2 FROM d;
FETCH 2 FROM c;
FETCH 2 FROM d;
SELECT count(*) FROM items;
FETCH 2 FROM c;
COMMIT;
-- a cursor declared in a released savepoint belongs to the transaction: a
-- later rollback to another savepoint leaves it alone
BEGIN;
SAVEPOINT a;
DECLARE c CURSOR FOR SELECT id FROM items ORDER BY id;
FETCH 2 FROM c;
RELEASE a;
SAVEPOINT b;
DECLARE d CURSOR FOR SELECT id FROM items ORDER BY id DESC;
FETCH 1 FROM d;
SELECT 1 / 0;
ROLLBACK TO b;
FETCH 2 FROM c;
COMMIT;
SELECT count(*), bool_or(in_use) FROM mssql_cdc.get_connections();

SET client_min_messages = warning;
DROP SERVER mssql_e CASCADE;
DROP FUNCTION show_error(text);
