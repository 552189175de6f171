-- output.sql: the OUTPUT clause of INSERT, UPDATE and DELETE returns the
-- changed rows (inserted: as written, with IDENTITY, DEFAULT and rowversion
-- values; deleted: as they were) before the statement's row count.
CREATE TABLE dbo.o (id int IDENTITY(1, 1) PRIMARY KEY, name nvarchar(10) NOT NULL, qty int DEFAULT 5)
GO
INSERT INTO dbo.o (name) OUTPUT inserted.id, inserted.name, inserted.qty VALUES (N'a'), (N'b')
INSERT INTO dbo.o (name, qty) OUTPUT inserted.* SELECT name + N'x', qty * 2 FROM dbo.o
GO
-- expressions over both pseudo tables, with names
UPDATE dbo.o SET qty = qty + 1
OUTPUT deleted.qty AS old_qty, inserted.qty AS new_qty, inserted.qty - deleted.qty AS diff, UPPER(inserted.name) up
WHERE id <= 2
-- UPDATE ... FROM with an alias
UPDATE o SET name = o.name + N'!' OUTPUT inserted.id, inserted.name FROM dbo.o AS o WHERE o.id = 3
GO
DELETE FROM dbo.o OUTPUT deleted.id, deleted.name WHERE id > 3
GO
-- a #temp table; a statement that changes nothing returns an empty result
CREATE TABLE #t (k int IDENTITY(10, 10), v varchar(3))
INSERT #t (v) OUTPUT inserted.k VALUES ('x')
DELETE #t OUTPUT deleted.* WHERE k = 0
GO
-- errors: the wrong pseudo table, OUTPUT INTO, a failing statement returns no rows
DELETE dbo.o OUTPUT inserted.id WHERE id = 1
GO
INSERT INTO dbo.o (name) OUTPUT deleted.id VALUES (N'z')
GO
UPDATE dbo.o SET name = N'way too long!' OUTPUT inserted.name WHERE id = 1
GO
DECLARE @n int
UPDATE dbo.o SET qty = 0 OUTPUT inserted.id INTO @n WHERE id = 1
GO
-- OUTPUT ... INTO a table or #temp table, with or without a column list;
-- a failing INTO undoes the whole statement
CREATE TABLE dbo.log (n int IDENTITY(100, 1), id int, what varchar(10), at_qty int)
CREATE TABLE #ids (id int PRIMARY KEY)
GO
INSERT INTO dbo.o (name) OUTPUT inserted.id INTO #ids VALUES (N'c'), (N'd')
UPDATE dbo.o SET qty = qty + 1 OUTPUT inserted.id, 'upd', deleted.qty INTO dbo.log (id, what, at_qty) WHERE id = 1
DELETE FROM dbo.o OUTPUT deleted.id, 'del', deleted.qty INTO dbo.log (id, what, at_qty) WHERE name = N'd'
SELECT id FROM #ids ORDER BY id
SELECT n, id, what, at_qty FROM dbo.log ORDER BY n
GO
INSERT INTO dbo.o (name) OUTPUT 5 INTO #ids VALUES (N'e')
GO
SELECT COUNT(*) AS no_e FROM dbo.o WHERE name = N'e'
GO
-- malformed OUTPUT lists
DELETE dbo.o OUTPUT
GO
UPDATE dbo.o SET qty = 1 OUTPUT inserted.qty,
GO
DELETE dbo.o OUTPUT deleted. WHERE id = 0
GO
-- the collecting trigger is gone: no result sets from plain statements
INSERT INTO dbo.o (name) VALUES (N'plain')
UPDATE dbo.o SET qty = 1 WHERE id = 1
SELECT id, name, qty FROM dbo.o ORDER BY id
GO
