-- temp_index.sql: CREATE [UNIQUE] INDEX and DROP INDEX on #temp tables
-- (common in scripts that stage data); the indexes follow the table across
-- USE; a unique index's violation is 2601 naming it.
CREATE DATABASE other
GO
CREATE TABLE #t (id int, name nvarchar(10), k int UNIQUE)
INSERT INTO #t VALUES (1, N'a', 1), (2, N'b', 2)
CREATE INDEX ix_name ON #t (name DESC)
CREATE UNIQUE NONCLUSTERED INDEX ux_id ON #t (id) INCLUDE (name)
GO
INSERT INTO #t VALUES (1, N'dup', 3)
INSERT INTO #t VALUES (3, N'dup', 1)
GO
-- errors: the name again, an unknown column, duplicates already there
CREATE INDEX ix_name ON #t (id)
CREATE INDEX ix_bad ON #t (nosuch)
INSERT INTO #t VALUES (3, N'a', 3)
CREATE UNIQUE INDEX ux_name ON #t (name)
GO
USE other
INSERT INTO #t VALUES (2, N'c', 4)
DROP INDEX ux_id ON #t
INSERT INTO #t VALUES (2, N'c', 4)
DROP INDEX ux_id ON #t
SELECT id, name, k FROM #t ORDER BY id, name
GO
