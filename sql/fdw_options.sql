--
-- mssql_cdc FDW: options, user mappings, connection errors, the session cache
--
-- Remote side: test/fixtures/fdw_fixture.sql (database fdwtest).  Connection
-- settings come from MSSQL_HOST/PORT/USER/PASSWORD when set.
\set mssql_host '127.0.0.1'
\set mssql_port '51433'
\set mssql_user 'sa'
\set mssql_password 'Sim_Passw0rd!'
\getenv mssql_host MSSQL_HOST
\getenv mssql_port MSSQL_PORT
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD

-- the wrapper and its functions
\dew mssql_cdc
\df mssql_cdc.*

-- the wrapper itself takes no options
ALTER FOREIGN DATA WRAPPER mssql_cdc OPTIONS (ADD host 'x');

--
-- Server options: every one accepted with a good value ...
--
CREATE SERVER all_opts FOREIGN DATA WRAPPER mssql_cdc OPTIONS (
	host 'sql1.example.com', port '1433', database 'ERP', encryption 'require',
	tds_version '7.4', login_timeout '5', query_timeout '600', app_name 'my app',
	packet_size '8192', application_intent 'readonly', use_remote_estimate 'false',
	fdw_startup_cost '50', fdw_tuple_cost '0.02', ca_file '/etc/ssl/certs/ca.pem');
CREATE SERVER by_instance FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host 'sql2', instance 'SQLEXPRESS', encryption 'off', tds_version 'auto');
SELECT srvname, srvoptions FROM pg_foreign_server
	WHERE srvname IN ('all_opts', 'by_instance') ORDER BY 1;

-- ... and refused with a bad one, at CREATE and at ALTER
-- unknown option: the hint lists the valid ones
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (hostname 'x');
-- a user mapping option on a server
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (password 'x');
-- port: not a number, out of range
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (port 'abc');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (port '0');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (port '65536');
-- port and instance exclude each other
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (port '1433', instance 'X');
-- encryption, tds_version, application_intent: fixed lists
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (encryption 'strict');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (tds_version '8.0');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (application_intent 'write');
-- timeouts and packet size: integer ranges
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (login_timeout '-1');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (query_timeout '1.5');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (packet_size '100');
-- booleans and costs
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (use_remote_estimate 'perhaps');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (fdw_startup_cost '-1');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (fdw_tuple_cost 'cheap');
-- host: not empty, nothing that could break the generated FreeTDS configuration
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (host '');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (host E'a\nencryption = off');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (host 'a;b');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (database '');
-- ALTER is checked too
ALTER SERVER all_opts OPTIONS (SET encryption 'maybe');
ALTER SERVER all_opts OPTIONS (ADD portt '1');
ALTER SERVER by_instance OPTIONS (ADD port '1433');
DROP SERVER all_opts;
DROP SERVER by_instance;

--
-- The server the rest of the tests use
--
CREATE SERVER mssql FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');

-- user mapping options
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql OPTIONS (user 'x');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql OPTIONS (username '');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql OPTIONS (username 'x', password_required 'maybe');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql
	OPTIONS (username :'mssql_user', password :'mssql_password');

-- foreign table and column options
CREATE FOREIGN TABLE bad (id int) SERVER mssql OPTIONS (table 'items');
CREATE FOREIGN TABLE bad (id int) SERVER mssql OPTIONS (table_name 'items', query 'SELECT 1');
CREATE FOREIGN TABLE bad (id int) SERVER mssql OPTIONS (table_name '');
CREATE FOREIGN TABLE bad (id int OPTIONS (name 'id')) SERVER mssql;
CREATE FOREIGN TABLE items (
	id int NOT NULL,
	item_name text OPTIONS (column_name 'name'),
	qty int
) SERVER mssql OPTIONS (schema_name 'dbo', table_name 'items');
ALTER FOREIGN TABLE items OPTIONS (ADD query 'SELECT 1 AS id');
ALTER FOREIGN TABLE items ALTER COLUMN qty OPTIONS (ADD colum_name 'qty');
SELECT id, item_name, qty FROM items ORDER BY id;

-- a foreign table defaults to schema dbo and its own name
CREATE FOREIGN TABLE digits (d int) SERVER mssql;
SELECT sum(d) FROM digits;

--
-- Sessions: one cached per user mapping, listed and closed on request
--
SELECT server_name, valid, in_use FROM mssql_cdc.get_connections();
SELECT mssql_cdc.disconnect('mssql');
SELECT count(*) FROM mssql_cdc.get_connections();
-- an unknown server
SELECT mssql_cdc.disconnect('no_such_server');
-- the next query connects again
SELECT count(*) FROM items;
SELECT count(*) FROM mssql_cdc.get_connections();
-- two scans of one server open at the same time use two sessions (the
-- outer scan is still reading while the subquery runs)
SELECT a.id, (SELECT count(*) FROM items b WHERE b.id <= a.id) FROM items a
	WHERE a.id < 4;
SELECT count(*) FROM mssql_cdc.get_connections();
-- a backend opens at most mssql_cdc.max_connections_per_server sessions per
-- user mapping
SELECT mssql_cdc.disconnect_all();
SET mssql_cdc.max_connections_per_server = 1;
SELECT a.id, (SELECT count(*) FROM items b WHERE b.id <= a.id) FROM items a
	WHERE a.id < 4;
RESET mssql_cdc.max_connections_per_server;
-- scans that run one after the other share one
SELECT mssql_cdc.disconnect_all();
SELECT count(*) FROM items UNION ALL SELECT count(*) FROM items
	UNION ALL SELECT count(*) FROM digits;
SELECT count(*) FROM mssql_cdc.get_connections();
-- changing the server invalidates its sessions; they close at transaction end
BEGIN;
SELECT count(*) FROM items;
ALTER SERVER mssql OPTIONS (ADD app_name 'mssql_cdc regression');
SELECT server_name, bool_and(valid) AS valid FROM mssql_cdc.get_connections() GROUP BY 1;
COMMIT;
SELECT count(*) FROM mssql_cdc.get_connections();
SELECT count(*) FROM items;
SELECT server_name, valid, in_use FROM mssql_cdc.get_connections();
SELECT mssql_cdc.disconnect_all();
SELECT mssql_cdc.disconnect_all();

-- the options reach SQL Server: the database, a bigger packet size
CREATE SERVER opts FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest',
	         packet_size '16384', app_name 'regression', login_timeout '10',
	         query_timeout '60', tds_version '7.4', encryption 'request');
CREATE USER MAPPING FOR CURRENT_USER SERVER opts
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE whereami (db text) SERVER opts OPTIONS (query 'SELECT DB_NAME() AS db');
SELECT * FROM whereami;
-- a read-only intent, TDS version auto; the fixed lists take any case
ALTER SERVER opts OPTIONS (ADD application_intent 'ReadOnly', SET tds_version 'AUTO',
	SET encryption 'REQUEST');
SELECT * FROM whereami;
SET client_min_messages = warning;
DROP SERVER opts CASCADE;
RESET client_min_messages;

--
-- Connection errors
--
-- login failed (18456): the password is never shown
CREATE SERVER wrong_login FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
CREATE USER MAPPING FOR CURRENT_USER SERVER wrong_login
	OPTIONS (username 'no_such_login', password 'secret-password-42');
CREATE FOREIGN TABLE wl_items (id int) SERVER wrong_login OPTIONS (table_name 'items');
SELECT * FROM wl_items;
-- database missing (4060)
CREATE SERVER wrong_db FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'no_such_database');
CREATE USER MAPPING FOR CURRENT_USER SERVER wrong_db
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE wd_items (id int) SERVER wrong_db OPTIONS (table_name 'items');
SELECT * FROM wd_items;
-- nothing listens there
CREATE SERVER nowhere FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host '127.0.0.1', port '1', login_timeout '5');
CREATE USER MAPPING FOR CURRENT_USER SERVER nowhere
	OPTIONS (username 'sa', password 'x');
CREATE FOREIGN TABLE nw_items (id int) SERVER nowhere OPTIONS (table_name 'items');
\set VERBOSITY terse
SELECT * FROM nw_items;
\set VERBOSITY default
-- the SQLSTATEs of option errors: unknown name (HV00D), bad value (HV024),
-- options that exclude each other (42601)
\set VERBOSITY sqlstate
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (hots 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (port 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (encryption 'maybe');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (fdw_tuple_cost '-1');
CREATE SERVER bad FOREIGN DATA WRAPPER mssql_cdc OPTIONS (port '1', instance 'x');
CREATE FOREIGN TABLE bad (id int) SERVER nowhere OPTIONS (table_name 't', query 'SELECT 1');
\set VERBOSITY default
-- a user mapping without a username
CREATE SERVER no_user FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port');
CREATE USER MAPPING FOR CURRENT_USER SERVER no_user OPTIONS (password 'x');
CREATE FOREIGN TABLE nu_items (id int) SERVER no_user OPTIONS (table_name 'items');
SELECT * FROM nu_items;
-- the failed attempts left no session behind
SELECT count(*) FROM mssql_cdc.get_connections();

--
-- Non-superusers must give a password, as with postgres_fdw
--
CREATE ROLE regress_mssql_user;
GRANT USAGE ON FOREIGN SERVER mssql TO regress_mssql_user;
GRANT SELECT ON items TO regress_mssql_user;
CREATE USER MAPPING FOR regress_mssql_user SERVER mssql OPTIONS (username :'mssql_user');
SET ROLE regress_mssql_user;
SELECT count(*) FROM items;
-- and cannot lift that requirement themselves
ALTER USER MAPPING FOR regress_mssql_user SERVER mssql OPTIONS (ADD password_required 'false');
RESET ROLE;
ALTER USER MAPPING FOR regress_mssql_user SERVER mssql
	OPTIONS (ADD password :'mssql_password');
SET ROLE regress_mssql_user;
SELECT count(*) FROM items;
RESET ROLE;
-- a superuser may lift it (the mapping then may connect without password)
ALTER USER MAPPING FOR regress_mssql_user SERVER mssql OPTIONS (ADD password_required 'false');
DROP USER MAPPING FOR regress_mssql_user SERVER mssql;
REVOKE ALL ON items FROM regress_mssql_user;
REVOKE USAGE ON FOREIGN SERVER mssql FROM regress_mssql_user;
DROP ROLE regress_mssql_user;

-- clean up (the user name in cascade notices depends on who runs the tests)
SET client_min_messages = warning;
DROP SERVER wrong_login CASCADE;
DROP SERVER wrong_db CASCADE;
DROP SERVER nowhere CASCADE;
DROP SERVER no_user CASCADE;
DROP SERVER mssql CASCADE;
