-- view_columns.sql: CREATE VIEW v (names) AS ... names the view's columns
-- (the stand-in used to ignore the list); a list of the wrong length is
-- 8158 / 8159 as on SQL Server.
CREATE TABLE dbo.items(id int NOT NULL PRIMARY KEY, n int NULL)
INSERT dbo.items VALUES (1, 10)
GO
CREATE VIEW dbo.v2 (a, [b c]) AS SELECT id, n FROM dbo.items
GO
SELECT name, is_nullable FROM sys.columns WHERE object_id = OBJECT_ID('dbo.v2') ORDER BY column_id
SELECT * FROM dbo.v2
SELECT a, [b c] FROM dbo.v2
GO
CREATE VIEW dbo.v3 (a) AS SELECT id, n FROM dbo.items
GO
CREATE VIEW dbo.v4 (a, b, c) AS SELECT id, n FROM dbo.items
GO
SELECT COUNT(*) AS views FROM sys.views
GO
