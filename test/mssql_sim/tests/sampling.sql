-- sampling.sql: CHECKSUM(), and the row-level random filter that clients
-- (mssql_cdc's ANALYZE) build from CHECKSUM(NEWID()).
CREATE TABLE t (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL)
INSERT INTO t SELECT value, N'v' + CAST(value AS nvarchar(10)) FROM GENERATE_SERIES(1, 10000)
GO
-- equal arguments, equal checksums; an int result
SELECT CASE WHEN CHECKSUM(1) = CHECKSUM(1) THEN 'same' ELSE 'different' END AS eq,
	CASE WHEN CHECKSUM(N'a', 2) = CHECKSUM(N'a', 3) THEN 'same' ELSE 'different' END AS ne,
	CASE WHEN CHECKSUM(NULL) = CHECKSUM(NULL) THEN 'same' ELSE 'different' END AS nul
SELECT CHECKSUM(id, v) AS c FROM t WHERE id = 0
-- NEWID() is new on every row: about 10 % of the rows pass, and the
-- values cover both signs
SELECT CASE WHEN COUNT(*) BETWEEN 800 AND 1200 THEN 'about 10 %' ELSE 'skewed' END AS sample
	FROM t WHERE (CHECKSUM(NEWID()) & 2147483647) < 214748365
SELECT CASE WHEN COUNT(*) BETWEEN 4700 AND 5300 THEN 'about half' ELSE 'skewed' END AS sample
	FROM (SELECT id FROM t WHERE id > 0) AS [q] WHERE (CHECKSUM(NEWID()) & 2147483647) < 1073741824
SELECT CASE WHEN MIN(c) < 0 AND MAX(c) > 0 THEN 'both signs' ELSE 'one sign' END AS spread
	FROM (SELECT CHECKSUM(NEWID()) AS c FROM t) AS x
GO
-- CHECKSUM needs an argument
SELECT CHECKSUM() AS z
GO
