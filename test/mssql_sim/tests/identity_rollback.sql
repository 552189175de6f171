-- identity_rollback.sql: IDENTITY values taken by an insert that is rolled
-- back or fails stay taken, as on SQL Server (the next insert continues
-- after them, IDENT_CURRENT counts them); TRUNCATE TABLE and a new table
-- start again at the seed.
CREATE TABLE dbo.idt(id int IDENTITY(1,1) PRIMARY KEY, v int UNIQUE)
INSERT dbo.idt(v) VALUES (1)
BEGIN TRAN
INSERT dbo.idt(v) VALUES (2), (3)
ROLLBACK
SELECT IDENT_CURRENT('dbo.idt') AS cur
INSERT dbo.idt(v) VALUES (4)
SELECT * FROM dbo.idt
GO
-- a failing statement: both rows took a value
INSERT dbo.idt(v) VALUES (5), (1)
GO
INSERT dbo.idt(v) VALUES (6)
SELECT * FROM dbo.idt
TRUNCATE TABLE dbo.idt
INSERT dbo.idt(v) VALUES (7)
SELECT * FROM dbo.idt
DROP TABLE dbo.idt
-- a negative increment; a re-created table starts at its seed
CREATE TABLE dbo.idt(id int IDENTITY(10,-1) PRIMARY KEY, v int)
BEGIN TRAN
INSERT dbo.idt(v) VALUES (1)
ROLLBACK
INSERT dbo.idt(v) VALUES (2)
SELECT * FROM dbo.idt
-- #temp tables too
CREATE TABLE #t(id int IDENTITY, v int PRIMARY KEY)
INSERT #t(v) VALUES (1)
BEGIN TRAN
INSERT #t(v) VALUES (2)
ROLLBACK
INSERT #t(v) VALUES (1)
GO
INSERT #t(v) VALUES (3)
SELECT * FROM #t
GO
