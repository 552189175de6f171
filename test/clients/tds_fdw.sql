-- test/clients/tds_fdw.sql: Debian's tds_fdw (postgresql-15-tds-fdw) reads
-- dbo.all_types (test/clients/alltypes.sql) through IMPORT FOREIGN SCHEMA.
-- Run by tds_fdw.sh with psql -a; output compared with
-- test/clients/expected/tds_fdw.out.  The freetds.conf section "mssql_main"
-- (written by tds_fdw.sh) holds host, port and encryption, so nothing here
-- depends on where SQL Server runs.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET lc_monetary = 'C';
SET extra_float_digits = 0;
-- tds_fdw reports every query at NOTICE level
SET client_min_messages = warning;
\pset null '(null)'
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD
CREATE EXTENSION tds_fdw;
CREATE SERVER mssql FOREIGN DATA WRAPPER tds_fdw
	OPTIONS (servername 'mssql_main', database 'mssql_cdc_clients', tds_version '7.4');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE SCHEMA imported;
-- tds_fdw builds the definitions from INFORMATION_SCHEMA.TABLES/COLUMNS, so
-- the column types below pin the stand-in's catalog (data_type, lengths,
-- precision, scale, datetime precision, nullability).
IMPORT FOREIGN SCHEMA dbo LIMIT TO (all_types) FROM SERVER mssql INTO imported
	OPTIONS (import_not_null 'true');
\d imported.all_types
-- With the imported types, tds_fdw cannot read date, time, datetime2,
-- smalldatetime or datetimeoffset: db-lib turns them into text in FreeTDS's default date
-- format ("Feb 29 2024 12:00:00:AM"), which PostgreSQL rejects.  The same
-- happens against SQL Server unless /etc/freetds/locales.conf sets another
-- "date format"; a known limit of tds_fdw, kept here as evidence.
SELECT c_date FROM imported.all_types WHERE id = 1;
-- Read those columns as text instead: the strings are FreeTDS's rendering
-- of the exact values the server sent.
ALTER FOREIGN TABLE imported.all_types
	ALTER COLUMN c_date TYPE text, ALTER COLUMN c_time TYPE text,
	ALTER COLUMN c_time0 TYPE text, ALTER COLUMN c_datetime2 TYPE text,
	ALTER COLUMN c_datetime2_2 TYPE text, ALTER COLUMN c_dto TYPE text,
	ALTER COLUMN c_smalldatetime TYPE text, ALTER COLUMN c_dto0 TYPE text;
\x on
-- Every value, row by row.  Long values are compared whole, not printed.
SELECT id, c_bit, c_tinyint, c_smallint, c_int, c_bigint,
	c_decimal, c_numeric, c_money, c_smallmoney, c_float, c_real,
	c_date, c_time, c_time0, c_datetime, c_datetime2, c_datetime2_2,
	c_smalldatetime, c_dto, c_dto0,
	'[' || c_char || ']' AS c_char, c_varchar,
	length(c_varchar_max) AS varchar_max_len,
	c_varchar_max = repeat('abcdefghij', 1000) AS varchar_max_equal,
	'[' || c_nchar || ']' AS c_nchar, c_nvarchar,
	length(c_nvarchar_max) AS nvarchar_max_len,
	c_nvarchar_max = repeat('Ωμέγα-', 1000) AS nvarchar_max_equal,
	c_text, c_ntext, c_binary, c_varbinary,
	length(c_varbinary_max) AS varbinary_max_len,
	c_varbinary_max = decode((SELECT string_agg(lpad(to_hex(i % 256), 2, '0'), '' ORDER BY i)
		FROM generate_series(0, 10239) AS i), 'hex') AS varbinary_max_equal,
	c_image, c_uuid, c_xml::text AS c_xml,
	length(c_rowversion) AS rowversion_len
FROM imported.all_types ORDER BY id;
\x off
-- rowversion: unique per row, and rows can be found by a pushed-down key.
SELECT count(DISTINCT c_rowversion) AS distinct_rowversions FROM imported.all_types;
SELECT id, c_int FROM imported.all_types WHERE id = 3;
