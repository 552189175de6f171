-- SERVERPROPERTY, OBJECTPROPERTY, COL_NAME and the catalog views tools read
SELECT SERVERPROPERTY('ProductLevel') AS lvl, SERVERPROPERTY('IsHadrEnabled') AS hadr,
       SERVERPROPERTY('Edition') AS ed, SERVERPROPERTY('EngineEdition') AS ee,
       SERVERPROPERTY('ProductVersion') AS pv, SERVERPROPERTY('ProductMajorVersion') AS pmv,
       SERVERPROPERTY('Collation') AS coll, SERVERPROPERTY('InstanceName') AS inst,
       SERVERPROPERTY('NoSuchProperty') AS unknown
GO
CREATE TABLE dbo.p (id int IDENTITY CONSTRAINT pk_p PRIMARY KEY, name nvarchar(20))
CREATE TABLE dbo.h (x int)
GO
CREATE VIEW dbo.pv AS SELECT id FROM dbo.p
GO
SELECT OBJECTPROPERTY(OBJECT_ID('dbo.p'), 'IsUserTable') AS ut, OBJECTPROPERTY(OBJECT_ID('dbo.p'), 'IsView') AS v,
       OBJECTPROPERTY(OBJECT_ID('dbo.pv'), 'IsView') AS vv, OBJECTPROPERTY(OBJECT_ID('dbo.p'), 'TableHasPrimaryKey') AS pk,
       OBJECTPROPERTY(OBJECT_ID('dbo.h'), 'TableHasPrimaryKey') AS hpk,
       OBJECTPROPERTY(OBJECT_ID('dbo.p'), 'TableHasIdentity') AS ident,
       OBJECTPROPERTY(12345, 'IsUserTable') AS missing,
       COL_NAME(OBJECT_ID('dbo.p'), 2) AS c2, COL_NAME(OBJECT_ID('dbo.p'), 9) AS c9
SELECT name, principal_id, type, type_desc FROM sys.database_principals WHERE principal_id < 5 ORDER BY principal_id
SELECT COUNT(*) AS procs FROM sys.procedures
SELECT name, column_id FROM sys.all_columns WHERE object_id = OBJECT_ID('dbo.p') ORDER BY column_id
SELECT session_id, login_name, program_name, host_name, status FROM sys.dm_exec_sessions WHERE session_id = @@SPID
SELECT session_id, net_transport, auth_scheme FROM sys.dm_exec_connections WHERE session_id = @@SPID
GO
