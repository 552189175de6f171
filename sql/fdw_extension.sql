--
-- mssql_cdc: the extension itself (version, update, drop and re-create),
-- and its settings
--
-- Runs in a database of its own, so that dropping the extension does not
-- touch the objects of the other suites.
\set mssql_host '127.0.0.1'
\set mssql_port '51433'
\set mssql_user 'sa'
\set mssql_password 'Sim_Passw0rd!'
\getenv mssql_host MSSQL_HOST
\getenv mssql_port MSSQL_PORT
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD
SELECT current_database() AS regress_db \gset
CREATE DATABASE mssql_cdc_ext;
\c mssql_cdc_ext
SET client_min_messages = notice;
CREATE EXTENSION mssql_cdc;
SELECT extname, extversion, extrelocatable, extnamespace::regnamespace
  FROM pg_extension WHERE extname = 'mssql_cdc';
SELECT name, default_version, installed_version
  FROM pg_available_extensions WHERE name = 'mssql_cdc';
-- the objects of the extension
CREATE TEMP TABLE ext_objects AS
SELECT pg_describe_object(classid, objid, objsubid) AS object
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mssql_cdc');
SELECT object FROM ext_objects ORDER BY object;

CREATE SERVER ext_srv FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
CREATE USER MAPPING FOR CURRENT_USER SERVER ext_srv
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE ext_items (id int, qty int)
	SERVER ext_srv OPTIONS (table_name 'items');
SELECT count(*) FROM ext_items;

-- 1.0 is the only version: UPDATE is a no-op that changes nothing
ALTER EXTENSION mssql_cdc UPDATE;
ALTER EXTENSION mssql_cdc UPDATE TO '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'mssql_cdc';
SELECT object FROM ext_objects
EXCEPT
SELECT pg_describe_object(classid, objid, objsubid)
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mssql_cdc');
SELECT count(*) FROM ext_items;
-- a version that does not exist
ALTER EXTENSION mssql_cdc UPDATE TO '2.0';

-- the extension's schema is fixed (relocatable = false)
CREATE SCHEMA other;
ALTER EXTENSION mssql_cdc SET SCHEMA other;

-- settings: the prefix is reserved, so a misspelt setting is an error
SHOW mssql_cdc.max_connections_per_server;
SET mssql_cdc.max_connection_per_server = 2;
-- out of range
SET mssql_cdc.max_connections_per_server = 0;
SET mssql_cdc.max_connections_per_server = 2;
SELECT count(*) FROM ext_items;
RESET mssql_cdc.max_connections_per_server;

-- DROP refuses while servers depend on the wrapper, and lists them
DROP EXTENSION mssql_cdc;
SELECT count(*) FROM mssql_cdc.get_connections();
-- with CASCADE the wrapper, servers, mappings and foreign tables go (the
-- cached session with its server: none is left after the re-create below)
DROP EXTENSION mssql_cdc CASCADE;
SELECT count(*) FROM pg_foreign_server WHERE srvname = 'ext_srv';
-- the schema mssql_cdc goes with it: the install script creates it, so it
-- is a member of the extension
SELECT count(*) FROM pg_namespace WHERE nspname = 'mssql_cdc';

-- and CREATE EXTENSION again gives the schema and the same objects, which
-- work
CREATE EXTENSION mssql_cdc;
SELECT extversion, extnamespace::regnamespace FROM pg_extension WHERE extname = 'mssql_cdc';
SELECT object FROM ext_objects
EXCEPT
SELECT pg_describe_object(classid, objid, objsubid)
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mssql_cdc');
SELECT count(*) FROM mssql_cdc.get_connections();
CREATE SERVER ext_srv FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
CREATE USER MAPPING FOR CURRENT_USER SERVER ext_srv
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE ext_items (id int, qty int)
	SERVER ext_srv OPTIONS (table_name 'items');
SELECT count(*) FROM ext_items;
SELECT server_name, valid FROM mssql_cdc.get_connections();
-- a session still reading is not closed: a warning, and false
BEGIN;
DECLARE c CURSOR FOR SELECT id FROM ext_items ORDER BY id;
FETCH 1 FROM c;
SELECT server_name, in_use FROM mssql_cdc.get_connections();
SELECT mssql_cdc.disconnect('ext_srv');
FETCH 1 FROM c;
COMMIT;
SELECT mssql_cdc.disconnect_all();
SELECT count(*) FROM mssql_cdc.get_connections();

\c :regress_db
DROP DATABASE mssql_cdc_ext;
