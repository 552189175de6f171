/* mssql_cdc--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION mssql_cdc" to load this file. \quit

-- Every object lives in schema mssql_cdc, created here so that it is a
-- member of the extension (CREATE EXTENSION fails if it already exists).
CREATE SCHEMA mssql_cdc;

CREATE FUNCTION mssql_cdc.mssql_cdc_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION mssql_cdc.mssql_cdc_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER mssql_cdc
  HANDLER mssql_cdc.mssql_cdc_fdw_handler
  VALIDATOR mssql_cdc.mssql_cdc_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER mssql_cdc IS 'Microsoft SQL Server foreign-data wrapper';

-- The open SQL Server sessions of this backend, one row per session
CREATE FUNCTION mssql_cdc.get_connections(OUT server_name text, OUT user_name text,
                                OUT valid boolean, OUT in_use boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mssql_cdc_get_connections'
LANGUAGE C STRICT PARALLEL RESTRICTED;

-- Close the idle sessions to one foreign server
CREATE FUNCTION mssql_cdc.disconnect(server_name text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'mssql_cdc_disconnect'
LANGUAGE C STRICT PARALLEL RESTRICTED;

-- Close all idle sessions of this backend
CREATE FUNCTION mssql_cdc.disconnect_all()
RETURNS boolean
AS 'MODULE_PATHNAME', 'mssql_cdc_disconnect_all'
LANGUAGE C STRICT PARALLEL RESTRICTED;

