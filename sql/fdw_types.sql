--
-- mssql_cdc FDW: IMPORT FOREIGN SCHEMA and every SQL Server type
--
\set mssql_host '127.0.0.1'
\set mssql_port '51433'
\set mssql_user 'sa'
\set mssql_password 'Sim_Passw0rd!'
\getenv mssql_host MSSQL_HOST
\getenv mssql_port MSSQL_PORT
\getenv mssql_user MSSQL_USER
\getenv mssql_password MSSQL_PASSWORD

CREATE SERVER mssql_t FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_t
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE SCHEMA imp;

--
-- IMPORT FOREIGN SCHEMA
--
-- LIMIT TO: tables, a view, a name that needs quoting
IMPORT FOREIGN SCHEMA dbo LIMIT TO (types, lobs, rv, items, v_items, "we]ird name", big)
	FROM SERVER mssql_t INTO imp;
SELECT c.relname, c.relkind, ft.ftoptions
	FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
	WHERE c.relnamespace = 'imp'::regnamespace ORDER BY 1;
-- the type of every column, NOT NULL kept
\d imp.types
\d imp.items
-- a view's column taken from a NOT NULL table column is NOT NULL too, as
-- SQL Server reports it
\d imp.v_items
\d imp.rv
\d imp."we]ird name"
-- EXCEPT, and a schema other than dbo
CREATE SCHEMA imp_sales;
IMPORT FOREIGN SCHEMA sales EXCEPT (notes) FROM SERVER mssql_t INTO imp_sales;
\d imp_sales.*
-- without NOT NULL
CREATE SCHEMA imp_nn;
IMPORT FOREIGN SCHEMA sales LIMIT TO (customers) FROM SERVER mssql_t INTO imp_nn
	OPTIONS (import_not_null 'false');
\d imp_nn.customers
-- an unknown option
IMPORT FOREIGN SCHEMA sales FROM SERVER mssql_t INTO imp_nn OPTIONS (bogus 'x');
-- a value that is not a boolean
IMPORT FOREIGN SCHEMA sales FROM SERVER mssql_t INTO imp_nn OPTIONS (import_not_null 'maybe');
-- a schema SQL Server does not have
IMPORT FOREIGN SCHEMA no_such_schema FROM SERVER mssql_t INTO imp_nn;
-- LIMIT TO a table that does not exist: nothing more imported
IMPORT FOREIGN SCHEMA sales LIMIT TO (no_such_table) FROM SERVER mssql_t INTO imp_nn;
SELECT count(*) FROM pg_class WHERE relnamespace = 'imp_nn'::regnamespace;

--
-- Values: every type, NULLs, empty strings, extremes, non-ASCII text
--
-- integers and bit
SELECT id, c_bit, c_tinyint, c_smallint, c_int, c_bigint FROM imp.types ORDER BY id;
-- exact and approximate numbers
SELECT id, c_decimal, c_numeric, c_money, c_smallmoney FROM imp.types ORDER BY id;
SELECT id, c_float, c_real FROM imp.types ORDER BY id;
-- dates and times (TimeZone is PST8PDT in pg_regress)
SELECT id, c_date, c_time, c_datetime, c_smalldatetime FROM imp.types ORDER BY id;
SELECT id, c_datetime2, c_dto FROM imp.types ORDER BY id;
SET TimeZone = 'UTC';
SELECT id, c_dto FROM imp.types ORDER BY id;
RESET TimeZone;
-- character types: fixed width padded, empty strings kept apart from NULL
SELECT id, c_char, c_varchar, c_nchar, c_nvarchar, c_char IS NULL AS char_null,
	length(c_varchar) AS varchar_len FROM imp.types ORDER BY id;
SELECT id, c_varcharmax, c_nvarcharmax, c_text, c_ntext FROM imp.types ORDER BY id;
-- non-ASCII: varchar (code page) and nvarchar (UTF-16, beyond the BMP too)
SELECT c_varchar, length(c_varchar), c_nvarchar, length(c_nvarchar),
	octet_length(c_nvarchar) FROM imp.types WHERE id = 5;
-- ... found by pushed-down equality: plain ASCII is sent as a varchar
-- literal (no conversion of a varchar column), anything else as N''
EXPLAIN (VERBOSE, COSTS OFF)
	SELECT id FROM imp.types WHERE c_varchar = 'héllo wörld' OR c_varchar = 'zzz';
SELECT id FROM imp.types WHERE c_varchar = 'héllo wörld' OR c_varchar = 'zzz' ORDER BY id;
SELECT id FROM imp.types WHERE c_nvarchar = '日本語テキスト Ωμέγα 😀';
SELECT id FROM imp.types WHERE c_nvarchar LIKE '%😀';
-- binary types
SELECT id, c_binary, c_varbinary, c_varbinarymax, c_image FROM imp.types ORDER BY id;
-- uniqueidentifier and xml
SELECT id, c_uuid, c_xml FROM imp.types ORDER BY id;
-- rowversion: 8 bytes
SELECT id, length(ver) FROM imp.rv;
-- NOT NULL columns arrive as fixed-length types (int, money, ...)
SET TimeZone = 'UTC';
SELECT * FROM imp_sales.orders ORDER BY id;
SELECT * FROM imp_sales.customers ORDER BY id;
RESET TimeZone;
-- a name that needs quoting on both sides
SELECT * FROM imp."we]ird name";
-- a view
SELECT * FROM imp.v_items ORDER BY id;

--
-- LOBs of several megabytes (nvarchar(max) of 3 million characters,
-- varbinary(max) and varchar(max) of 3 and 5 MB)
--
SELECT id, length(n) AS n_chars, octet_length(n) AS n_bytes, md5(n) AS n_md5,
	length(b) AS b_bytes, md5(b) AS b_md5, length(v) AS v_len,
	substr(n, 1, 9) AS n_start, substr(n, length(n) - 2) AS n_end
	FROM imp.lobs ORDER BY id;
-- the same through PostgreSQL's own functions, to show the values are right
SELECT md5(repeat('ab€', 1000000)) AS n_md5, md5(repeat('xyz', 1000000)::bytea) AS b_md5;

--
-- Local column types other than the imported ones
--
CREATE FOREIGN TABLE types_as_other (
	id bigint,
	c_int text,
	c_decimal double precision,
	c_numeric numeric(4,1),
	c_money text,
	c_float numeric,
	c_date text,
	c_datetime2 date,
	c_dto text,
	c_bit integer,
	c_uuid text,
	c_varchar bytea,
	c_nvarchar varchar(3),
	c_xml text,
	c_varbinary text,
	c_tinyint int8
) SERVER mssql_t OPTIONS (table_name 'types');
SELECT id, c_int, c_decimal, c_money, c_date, c_dto, c_bit, c_uuid, c_xml,
	c_varbinary, c_tinyint, c_varchar
	FROM types_as_other WHERE id IN (1, 3) ORDER BY id;
-- values that do not fit the local type are errors, not silently wrong
SELECT c_numeric FROM types_as_other WHERE id = 1;
SELECT c_float FROM types_as_other WHERE id = 5;
SELECT c_nvarchar FROM types_as_other WHERE id = 1;
CREATE FOREIGN TABLE types_narrow (id int, c_bigint int, c_int smallint, c_float real)
	SERVER mssql_t OPTIONS (table_name 'types');
SELECT id, c_int FROM types_narrow WHERE id = 1;
SELECT id, c_bigint FROM types_narrow WHERE id = 3;
SELECT id, c_int FROM types_narrow WHERE id = 5;
-- digits in a varchar declared as integer read fine, but SQL Server would
-- sort them as text ('12' before '3'): a pushed-down ORDER BY is refused
CREATE FOREIGN TABLE digits_as_int (id int, digits int) SERVER mssql_t
	OPTIONS (query 'SELECT id, CAST(id * 3 AS varchar(10)) AS digits FROM dbo.items');
SELECT sum(digits) FROM digits_as_int;
EXPLAIN (VERBOSE, COSTS OFF) SELECT digits FROM digits_as_int ORDER BY digits LIMIT 4;
SELECT digits FROM digits_as_int ORDER BY digits LIMIT 4;
-- a float into a real: 3.25 fits, 1.79E+308 does not (not infinity)
SELECT id, c_float FROM types_narrow WHERE id = 1;
SELECT id, c_float FROM types_narrow WHERE id = 4;

--
-- TDS 7.2: SQL Server sends date, time, datetime2 and datetimeoffset as
-- strings to such clients; they are read through the input functions
--
CREATE SERVER mssql_72 FOREIGN DATA WRAPPER mssql_cdc
	OPTIONS (host :'mssql_host', port :'mssql_port', database 'fdwtest', tds_version '7.2');
CREATE USER MAPPING FOR CURRENT_USER SERVER mssql_72
	OPTIONS (username :'mssql_user', password :'mssql_password');
CREATE FOREIGN TABLE types_72 (id int, c_date date, c_time time(6), c_datetime2 timestamp(6),
	c_dto timestamptz, c_decimal numeric(38,10), c_nvarcharmax text)
	SERVER mssql_72 OPTIONS (table_name 'types');
SET TimeZone = 'UTC';
SELECT * FROM types_72 WHERE id IN (1, 3, 5) ORDER BY id;
RESET TimeZone;

--
-- A big table: streamed, and sampled by ANALYZE
--
SELECT count(*), sum(id), min(label), max(amount), count(DISTINCT grp) FROM imp.big;
ANALYZE imp.big;
SELECT reltuples FROM pg_class WHERE oid = 'imp.big'::regclass;
SELECT attname, n_distinct FROM pg_stats
	WHERE schemaname = 'imp' AND tablename = 'big' ORDER BY attname;

SET client_min_messages = warning;
DROP SCHEMA imp CASCADE;
DROP SCHEMA imp_sales CASCADE;
DROP SCHEMA imp_nn CASCADE;
DROP SERVER mssql_t CASCADE;
DROP SERVER mssql_72 CASCADE;
