-- temp_metadata.sql: result columns read from a #temp table carry its
-- nullability and IDENTITY in the metadata, as for a table (were always
-- nullable, without IDENTITY).
CREATE TABLE #t(id int IDENTITY, v int PRIMARY KEY, w int NULL)
INSERT #t(v) VALUES (1)
SELECT * FROM #t
SELECT t.id, x.v FROM #t AS t JOIN #t AS x ON x.v = t.v
GO
