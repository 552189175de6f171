-- insert_self.sql: INSERT ... SELECT whose source reads the target table.
-- SQL Server evaluates the whole SELECT before inserting (Halloween
-- protection): the source never sees the rows being inserted.
CREATE TABLE dbo.s (id int)
INSERT INTO dbo.s VALUES (1), (2)
GO
-- directly: the rows double
INSERT INTO dbo.s SELECT id FROM dbo.s
SELECT COUNT(*) AS four FROM dbo.s
GO
-- through a view
CREATE VIEW dbo.v AS SELECT id FROM dbo.s
GO
INSERT INTO dbo.s SELECT id + 10 FROM dbo.v
SELECT COUNT(*) AS eight FROM dbo.s
GO
-- in a scalar subquery reading no column (COUNT(*)): every row sees 8
INSERT INTO dbo.s SELECT (SELECT COUNT(*) FROM dbo.s) FROM GENERATE_SERIES(1, 3)
SELECT id, COUNT(*) AS n FROM dbo.s WHERE id >= 8 GROUP BY id ORDER BY id
GO
-- through a CTE, inside a transaction
BEGIN TRAN
;WITH c AS (SELECT id FROM dbo.s WHERE id < 3) INSERT INTO dbo.s SELECT id FROM c
COMMIT
SELECT id, COUNT(*) AS n FROM dbo.s WHERE id < 3 GROUP BY id ORDER BY id
GO
-- a #temp target
CREATE TABLE #t (id int)
INSERT INTO #t VALUES (1)
INSERT INTO #t SELECT id + 1 FROM #t
INSERT INTO #t SELECT t.id FROM #t AS t JOIN dbo.s AS s ON s.id = t.id
SELECT id FROM #t ORDER BY id
GO
