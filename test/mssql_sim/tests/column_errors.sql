-- column_errors.sql: a missing column behind a known table name or alias is
-- 207 "Invalid column name" naming the column, as on SQL Server; 4104 is
-- for a qualifier that names nothing in the statement.
CREATE TABLE dbo.t(a int)
GO
SELECT t.[no such] FROM dbo.t AS t
GO
SELECT T.NOSUCH FROM dbo.t AS t
GO
SELECT t.nosuch FROM dbo.t
GO
SELECT r1.nosuch FROM dbo.t AS r1 JOIN dbo.t AS r2 ON r1.a = r2.a
GO
SELECT x.a FROM dbo.t AS t
GO
SELECT nosuch FROM dbo.t
GO
