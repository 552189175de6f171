-- ddl.sql: databases, schemas, tables, views, indexes, ALTER TABLE, and
-- the catalog views that describe them.
CREATE DATABASE shop
GO
USE shop
GO
SELECT DB_NAME() AS current_db
SELECT name, database_id FROM sys.databases WHERE name IN ('master', 'shop') ORDER BY database_id
GO
CREATE SCHEMA sales
GO
CREATE TABLE sales.orders (
	id int NOT NULL,
	line smallint NOT NULL,
	cust nvarchar(40) NOT NULL,
	amount decimal(9,2) NULL DEFAULT 0,
	note varchar(max) NULL,
	created datetime2(3) NOT NULL CONSTRAINT df_created DEFAULT '2024-01-01',
	CONSTRAINT pk_orders PRIMARY KEY (id, line)
)
CREATE TABLE dbo.heap (a int, b varbinary(16), c uniqueidentifier)
CREATE TABLE [dbo].[ident] ([id] bigint IDENTITY(100, 10) PRIMARY KEY, [v] nchar(2) UNIQUE)
GO
-- the primary key columns in key order (the query mssql_cdc runs)
SELECT c.name, ic.key_ordinal
FROM sys.indexes i
JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE i.object_id = OBJECT_ID(N'sales.orders') AND i.is_primary_key = 1
ORDER BY ic.key_ordinal
SELECT s.name AS schema_name, t.name, t.type, t.type_desc, t.is_tracked_by_cdc
FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id ORDER BY t.name
SELECT c.name, c.column_id, c.system_type_id, c.user_type_id, c.max_length, c.precision, c.scale,
	c.collation_name, c.is_nullable, c.is_identity
FROM sys.columns c WHERE c.object_id = OBJECT_ID('sales.orders') ORDER BY c.column_id
SELECT i.name, i.index_id, i.type, i.type_desc, i.is_unique, i.is_primary_key, i.is_unique_constraint
FROM sys.indexes i WHERE i.object_id IN (OBJECT_ID('sales.orders'), OBJECT_ID('dbo.heap'), OBJECT_ID('dbo.ident'))
ORDER BY i.object_id, i.index_id
SELECT k.name, k.type, k.type_desc FROM sys.key_constraints k ORDER BY k.name
GO
-- what tds_fdw's IMPORT FOREIGN SCHEMA reads
SELECT schema_name FROM INFORMATION_SCHEMA.SCHEMATA WHERE schema_name = 'sales'
SELECT t.table_name, c.column_name, c.data_type, c.column_default, c.is_nullable,
	c.character_maximum_length, c.numeric_precision, c.numeric_precision_radix,
	c.numeric_scale, c.datetime_precision
FROM INFORMATION_SCHEMA.TABLES t
JOIN INFORMATION_SCHEMA.COLUMNS c ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE t.table_schema = 'sales' AND t.table_type IN ('BASE TABLE', 'VIEW')
ORDER BY t.table_name, c.ordinal_position
SELECT CONSTRAINT_NAME, TABLE_NAME, CONSTRAINT_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS ORDER BY CONSTRAINT_NAME
SELECT CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION
SELECT name, system_type_id, user_type_id, max_length FROM sys.types WHERE name IN ('int', 'nvarchar', 'sysname', 'timestamp', 'datetime2') ORDER BY user_type_id
GO
-- errors
CREATE TABLE sales.orders (x int)
GO
CREATE TABLE nosuchschema.t (x int)
GO
CREATE TABLE dbo.bad (x int, x int)
GO
CREATE TABLE dbo.bad (x int NULL PRIMARY KEY)
GO
CREATE TABLE dbo.bad (x notatype)
GO
CREATE DATABASE shop
GO
DROP TABLE dbo.nosuch
GO
DROP TABLE IF EXISTS dbo.nosuch
SELECT 'if exists is quiet' AS r
GO
USE nosuchdb
GO
-- ALTER TABLE: add (with a default for existing rows), widen, drop
INSERT INTO sales.orders (id, line, cust, amount) VALUES (1, 1, N'ann', 10.5), (1, 2, N'bob', NULL)
ALTER TABLE sales.orders ADD region char(2) NOT NULL DEFAULT 'EU'
ALTER TABLE sales.orders ALTER COLUMN cust nvarchar(100) NOT NULL
ALTER TABLE sales.orders DROP COLUMN note
SELECT * FROM sales.orders ORDER BY id, line
SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, COLUMN_DEFAULT
FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION
GO
ALTER TABLE sales.orders ALTER COLUMN cust nvarchar(2) NOT NULL
GO
ALTER TABLE sales.orders DROP COLUMN id
GO
ALTER TABLE sales.orders ADD must int NOT NULL
GO
ALTER TABLE sales.orders DROP CONSTRAINT df_created
INSERT INTO sales.orders (id, line, cust, created) VALUES (2, 1, N'cy', '2025-05-05')
SELECT id, line, created FROM sales.orders WHERE id = 2
GO
-- views
CREATE VIEW sales.big_orders AS SELECT id, line, amount FROM sales.orders WHERE amount > 5
GO
SELECT * FROM sales.big_orders
SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'sales' ORDER BY TABLE_NAME
SELECT name, type FROM sys.views
GO
-- indexes
CREATE UNIQUE INDEX ux_heap_a ON dbo.heap (a)
INSERT INTO dbo.heap (a) VALUES (1)
INSERT INTO dbo.heap (a) VALUES (1)
SELECT name, index_id, is_unique FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.heap') ORDER BY index_id
DROP INDEX ux_heap_a ON dbo.heap
INSERT INTO dbo.heap (a) VALUES (1)
SELECT COUNT(*) AS n FROM dbo.heap
GO
-- drops
DROP VIEW sales.big_orders
DROP TABLE sales.orders, dbo.heap
DROP SCHEMA sales
SELECT name FROM sys.tables
USE master
SELECT id, v FROM shop.dbo.ident
SELECT COUNT(*) AS n FROM [shop]..[ident]
DROP DATABASE shop
SELECT name FROM sys.databases WHERE name = 'shop'
GO
