-- view_types.sql: a view's computed columns have the type SQL Server gives
-- the expression, in the catalog (INFORMATION_SCHEMA.COLUMNS, sys.columns)
-- and in results read from the view, also through '*' (they were all
-- nvarchar(max): SQLite declares no type for them).
CREATE TABLE dbo.items(id int NOT NULL PRIMARY KEY, n int NULL, p decimal(10,2), s varchar(20))
INSERT dbo.items VALUES (1, 2, 3.5, 'ab')
GO
CREATE VIEW dbo.v AS SELECT id + 1 AS id1, 7 AS seven, p * 2 AS p2, UPPER(s) AS us,
	CAST(n AS bigint) AS nb, COUNT(*) OVER () AS c, s + 'x' AS sx,
	(SELECT MAX(id) FROM dbo.items) AS sub
FROM dbo.items
GO
SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE
FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'v' ORDER BY ORDINAL_POSITION
SELECT * FROM dbo.v
SELECT id1, p2, us, nb FROM dbo.v
SELECT v.*, 1 AS one FROM dbo.v AS v
GO
