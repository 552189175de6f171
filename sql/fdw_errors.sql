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
\set VERBOSITY verbose
\set SHOW_CONTEXT always

-- 208: the remote table does not exist (undefined_table, 42P01)
CREATE FOREIGN TABLE missing (id int) SERVER mssql_e OPTIONS (table_name 'no_such_table');
SELECT * FROM missing;
-- 207: a column does not exist (undefined_column, 42703)
CREATE FOREIGN TABLE badcol (id int, nope int) SERVER mssql_e OPTIONS (table_name 'items');
SELECT * FROM badcol;
-- 8134: division by zero (22012)
CREATE FOREIGN TABLE divzero (x int) SERVER mssql_e OPTIONS (query 'SELECT 1 / 0 AS x');
SELECT * FROM divzero;
-- 245: conversion failed (22P02)
CREATE FOREIGN TABLE badconv (x int) SERVER mssql_e
	OPTIONS (query 'SELECT CAST(N''abc'' AS int) AS x');
SELECT * FROM badconv;
-- 102: syntax error in a query option (42601)
CREATE FOREIGN TABLE badsyntax (x int) SERVER mssql_e OPTIONS (query 'SELEC 1 AS x');
SELECT * FROM badsyntax;
-- the remote result does not match the foreign table
CREATE FOREIGN TABLE toomany (x int) SERVER mssql_e OPTIONS (query 'SELECT 1 AS x, 2 AS y');
SELECT * FROM toomany;
\set VERBOSITY default
\set SHOW_CONTEXT errors

-- the session is still fine
SELECT count(*) FROM items;
SELECT server_name, in_use FROM mssql_cdc.get_connections();

-- errors caught in a subtransaction give the session back too
DO $$
BEGIN
	PERFORM * FROM missing;
EXCEPTION WHEN undefined_table THEN
	RAISE NOTICE 'caught: %', SQLERRM;
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

SET client_min_messages = warning;
DROP SERVER mssql_e CASCADE;
