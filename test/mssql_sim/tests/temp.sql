-- temp.sql: #temp tables of a session
CREATE TABLE #t (id int IDENTITY(10, 5) PRIMARY KEY, name varchar(5) NOT NULL, n int DEFAULT 7)
INSERT INTO #t (name) VALUES ('a'), ('b')
INSERT #t (name, n) SELECT name + 'x', 1 FROM #t
SELECT * FROM #t ORDER BY id
SELECT OBJECT_ID('tempdb..#t') * 0 AS exists_zero, OBJECT_ID('tempdb..#nosuch') AS missing
UPDATE #t SET n = n + 1 WHERE name LIKE '%x'
DELETE FROM #t WHERE id = 10
SELECT id, name, n FROM #t AS t ORDER BY t.id
GO
INSERT INTO #t (id, name) VALUES (1, 'no')
INSERT INTO #t (name) VALUES ('toolong')
INSERT INTO #t (name) VALUES (NULL)
GO
IF OBJECT_ID('tempdb..#t') IS NOT NULL DROP TABLE #t
SELECT * FROM #t
GO
DROP TABLE #t
GO
DROP TABLE IF EXISTS #t
CREATE TABLE #t (x int)
TRUNCATE TABLE #t
SELECT COUNT(*) AS n FROM #t
SELECT name FROM sys.tables
GO
