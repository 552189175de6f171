-- errors.sql: SQL Server's error numbers and texts, and which errors end
-- the batch (compile and conversion errors) or only the statement.
CREATE TABLE dbo.e (id int PRIMARY KEY, v varchar(3))
INSERT INTO dbo.e VALUES (1, 'a')
GO
SELECT * FROM dbo.nosuch
SELECT 'not reached: 208 ends the batch'
GO
SELECT nocol FROM dbo.e
GO
-- quoted names are identifiers, never strings
SELECT [id], [nope] FROM [dbo].[e]
GO
SELECT "nope" FROM dbo.e
GO
SELECT x.id FROM dbo.e AS e
GO
SELECT * FROM dbo.e WHERE
GO
SELECT 'abc
GO
SELECT 1 /* open
GO
INSERT INTO dbo.e VALUES (1, 'b')
SELECT 'statement errors let the batch go on'
GO
INSERT INTO dbo.e VALUES (2)
GO
INSERT INTO dbo.e (id, v) VALUES (2, 'b', 'c')
GO
INSERT INTO dbo.e SELECT 3
GO
SELECT 1 / 0 AS div
SELECT 'after divide by zero'
GO
COMMIT
ROLLBACK
GO
SELECT nosuchfunction(1)
GO
UPDATE dbo.nosuch SET v = 'x'
GO
DELETE FROM dbo.nosuch
GO
TRUNCATE TABLE dbo.nosuch
GO
ALTER TABLE dbo.nosuch ADD c int
GO
FOO BAR
GO
SELECT 'done' AS last
GO
