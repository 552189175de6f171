-- update_dupkey.sql: a failing UPDATE names the duplicate key in 2627/2601,
-- as SQL Server does ("The duplicate key value is (5).").
CREATE TABLE dbo.k (
	id int PRIMARY KEY,
	code varchar(5) NOT NULL,
	a int,
	b nvarchar(5),
	CONSTRAINT uq_ab UNIQUE (a, b)
)
CREATE UNIQUE INDEX ix_code ON dbo.k (code)
INSERT INTO dbo.k VALUES (1, 'x', 1, N'p'), (2, 'y', 2, N'q'), (5, 'z', 3, N'r')
GO
-- primary key, unique index (2601), two-column unique constraint
UPDATE dbo.k SET id = 5 WHERE id = 1
UPDATE dbo.k SET code = 'Y' WHERE id = 1
UPDATE dbo.k SET a = 2, b = N'q' WHERE id = 5
-- the key computed from other columns and a variable
DECLARE @d int = 3
UPDATE k SET id = a + @d FROM dbo.k AS k WHERE code = 'y'
-- the statement is undone as a whole; the transaction stays open
BEGIN TRAN
UPDATE dbo.k SET code = 'q' WHERE id = 5
UPDATE dbo.k SET id = 2 WHERE id = 1
SELECT @@TRANCOUNT AS trancount
COMMIT
SELECT id, code, a, b FROM dbo.k ORDER BY id
GO
