-- int_aggregates.sql: SUM and AVG of integers are computed in the result
-- type (int; bigint for bigint) as on SQL Server: AVG truncates toward zero
-- (SQLite's avg gave 1.5 in an int column) and a sum beyond the type is
-- 8115.  Window forms (OVER) are left to SQLite.
CREATE TABLE dbo.t(i int, ti tinyint, bi bigint, b bit, g int)
INSERT dbo.t VALUES (1, 1, 1, 1, 1), (2, 2, 2, 0, 1), (2147483647, 255, 9223372036854775807, 1, 2),
	(NULL, NULL, NULL, NULL, 2)
GO
SELECT AVG(i) AS a1 FROM dbo.t WHERE i < 10
SELECT AVG(ti) AS a2, SUM(ti) AS s2, AVG(DISTINCT g) AS ad, SUM(DISTINCT g) AS sd, AVG(-i) AS neg
FROM dbo.t WHERE i < 10
SELECT g, AVG(i) AS a, SUM(i) AS s, COUNT(i) AS c FROM dbo.t WHERE i < 10 OR i IS NULL GROUP BY g ORDER BY g
SELECT AVG(i) AS none FROM dbo.t WHERE 1 = 0
GO
SELECT SUM(i) FROM dbo.t
GO
SELECT AVG(i) FROM dbo.t
GO
SELECT SUM(bi) FROM dbo.t
GO
SELECT AVG(CAST(i AS bigint)) AS big FROM dbo.t
GO
-- SUM and AVG refuse bit (8117), as SQL Server does
SELECT SUM(b) FROM dbo.t
GO
SELECT AVG(b) FROM dbo.t
GO
SELECT SUM(CAST(b AS int)) AS sb FROM dbo.t
GO
