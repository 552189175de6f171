-- select_into.sql: SELECT ... INTO new_table creates the table from the
-- result (names, types, NOT NULL, IDENTITY) and fills it in one statement.
CREATE TABLE dbo.src (
	id int IDENTITY(1, 1) PRIMARY KEY,
	name nvarchar(20) NOT NULL,
	price decimal(10, 2) NULL,
	d date NULL
)
INSERT INTO dbo.src (name, price, d) VALUES (N'a', 1.5, '2024-01-01'), (N'b', NULL, NULL)
GO
-- a copy keeps the IDENTITY property, the next value continues after the copied ones
SELECT * INTO dbo.bak FROM dbo.src
INSERT INTO dbo.bak (name) VALUES (N'c')
SELECT id, name, price, d FROM dbo.bak ORDER BY id
SELECT c.name, t.name AS type, c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity
FROM sys.columns AS c JOIN sys.types AS t ON t.user_type_id = c.user_type_id
WHERE c.object_id = OBJECT_ID('dbo.bak') ORDER BY c.column_id
GO
-- expressions get their expression's type; joins and grouping drop IDENTITY
SELECT s.id, s.name + N'!' AS tagged, s.price * 2 AS doubled, CASE WHEN s.d IS NULL THEN 'none' ELSE 'some' END AS has_d
INTO dbo.derived
FROM dbo.src AS s JOIN dbo.bak AS b ON b.id = s.id
SELECT c.name, t.name AS type, c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity
FROM sys.columns AS c JOIN sys.types AS t ON t.user_type_id = c.user_type_id
WHERE c.object_id = OBJECT_ID('dbo.derived') ORDER BY c.column_id
SELECT id, tagged, doubled, has_d FROM dbo.derived ORDER BY id
GO
-- literals and ISNULL(x, literal) cannot be NULL: NOT NULL columns
SELECT 1 AS one, N'x' AS str, NULL AS nothing, ISNULL(price, 0) AS price0, price INTO dbo.lits FROM dbo.src
SELECT c.name, t.name AS type, c.is_nullable
FROM sys.columns AS c JOIN sys.types AS t ON t.user_type_id = c.user_type_id
WHERE c.object_id = OBJECT_ID('dbo.lits') ORDER BY c.column_id
GO
-- into a #temp table, from a CTE, with TOP and ORDER BY
WITH c AS (SELECT name, price FROM dbo.src)
SELECT TOP 1 name, price INTO #t FROM c ORDER BY name DESC
SELECT name, price FROM #t
GO
-- no table name
SELECT id INTO FROM dbo.src
GO
-- errors: the table exists, a column has no name, a name twice
SELECT id INTO dbo.src FROM dbo.bak
SELECT 1 INTO dbo.noname
SELECT 1 AS a, 2 AS a INTO dbo.twice
SELECT name FROM sys.tables ORDER BY name
GO
-- a row that fails to convert leaves no table behind, also inside a transaction
BEGIN TRAN
GO
SELECT name, CAST(name AS int) AS n INTO dbo.failed FROM dbo.src
GO
SELECT @@TRANCOUNT AS trancount, OBJECT_ID('dbo.failed') AS no_table
COMMIT
GO
