-- view_nullable.sql: a view column's nullability as SQL Server derives it
-- (INFORMATION_SCHEMA.COLUMNS.IS_NULLABLE, sys.columns.is_nullable): a
-- column taken directly from a NOT NULL table column is NOT NULL, as is a
-- non-NULL literal or ISNULL(x, literal); other expressions are nullable.
-- Under an outer join or a set operation the stand-in says nullable for
-- every column (SQL Server keeps the preserved side NOT NULL).
CREATE TABLE dbo.items(id int NOT NULL PRIMARY KEY, n int NULL)
CREATE TABLE dbo.other(id int NOT NULL, m int NOT NULL)
GO
CREATE VIEW dbo.v_items AS SELECT id, n FROM dbo.items
GO
CREATE VIEW dbo.v_star AS SELECT * FROM dbo.items
GO
CREATE VIEW dbo.v_expr AS SELECT id + 1 AS id1, 7 AS seven, ISNULL(n, 0) AS n0, n FROM dbo.items
GO
CREATE VIEW dbo.v_join AS SELECT i.id, o.m FROM dbo.items i JOIN dbo.other o ON o.id = i.id
GO
CREATE VIEW dbo.v_left AS SELECT o.id, o.m FROM dbo.items i LEFT JOIN dbo.other o ON o.id = i.id
GO
SELECT TABLE_NAME, COLUMN_NAME, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_NAME IN ('items', 'v_items') ORDER BY TABLE_NAME, ORDINAL_POSITION
SELECT OBJECT_NAME(object_id) AS o, name, is_nullable FROM sys.columns
WHERE object_id IN (OBJECT_ID('dbo.v_items'), OBJECT_ID('dbo.v_star'), OBJECT_ID('dbo.v_expr'),
	OBJECT_ID('dbo.v_join'), OBJECT_ID('dbo.v_left'))
ORDER BY o, column_id
GO
