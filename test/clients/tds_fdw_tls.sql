-- test/clients/tds_fdw_tls.sql: tds_fdw (db-lib) over the stand-in's
-- --force-encryption instance (full TLS) and, as a negative case,
-- "encryption = require" against the instance without TLS.  Stand-in only
-- (its ports come from freetds.conf sections written by tds_fdw.sh).
SET client_min_messages = warning;
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD
CREATE EXTENSION tds_fdw;
CREATE SERVER mssql_tls FOREIGN DATA WRAPPER tds_fdw
	OPTIONS (servername 'mssql_force_tls', database 'master', tds_version '7.4');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_tls
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE over_tls (answer int, greeting text) SERVER mssql_tls
	OPTIONS (query 'SELECT 42 AS answer, N''über TLS'' AS greeting');
SELECT * FROM over_tls;
-- "require" against a server without TLS must not log in.
CREATE SERVER mssql_cleartext FOREIGN DATA WRAPPER tds_fdw
	OPTIONS (servername 'mssql_no_tls_require', database 'master', tds_version '7.4');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_cleartext
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE refused (answer int) SERVER mssql_cleartext
	OPTIONS (query 'SELECT 42 AS answer');
\set VERBOSITY terse
SELECT * FROM refused;
