-- temp_use.sql: a #temp table belongs to the session, not to the database
-- (SQL Server keeps it in tempdb): USE does not lose it, nor its rows,
-- keys, defaults and IDENTITY counter.
CREATE DATABASE other
GO
CREATE TABLE #t (id int IDENTITY(1, 1) PRIMARY KEY, name nvarchar(10) NOT NULL UNIQUE, n int DEFAULT 7)
INSERT INTO #t (name) VALUES (N'a'), (N'b')
GO
USE other
SELECT DB_NAME() AS db, id, name, n FROM #t ORDER BY id
INSERT INTO #t (name) VALUES (N'c')
-- the UNIQUE constraint came along
INSERT INTO #t (name) VALUES (N'a')
SELECT OBJECT_ID('tempdb..#t') * 0 AS exists_zero
GO
-- a second one created in the other database, and back
CREATE TABLE #u (x int)
INSERT INTO #u VALUES (1)
USE master
SELECT DB_NAME() AS db, id, name, n FROM #t ORDER BY id
SELECT x FROM #u
DROP TABLE #u
USE other
SELECT x FROM #u
GO
