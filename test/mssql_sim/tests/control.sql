-- sim_cli: -v
-- control.sql: variables, control flow, messages, procedures, transactions
-- (run with -v: DONE, ENVCHANGE and RETURNSTATUS tokens are shown).
DECLARE @i int = 0, @acc varchar(100) = ''
WHILE @i < 5
BEGIN
	SET @i = @i + 1
	IF @i = 2 CONTINUE
	IF @i = 4 BREAK
	SET @acc = @acc + CAST(@i AS varchar(3)) + ','
END
PRINT 'loop: ' + @acc
IF @i = 4 PRINT 'four' ELSE PRINT 'not four'
IF EXISTS (SELECT * FROM sys.schemas WHERE name = 'dbo')
BEGIN
	PRINT 'dbo exists'
END
GO
DECLARE @x int
SELECT @x = 5
SELECT @x AS x
DECLARE @x int
GO
SELECT @undeclared
GO
BEGIN TRY
	SELECT 1 / 0
	PRINT 'not reached'
END TRY
BEGIN CATCH
	PRINT 'caught'
END CATCH
RAISERROR('custom %s %d', 16, 1, 'msg', 42)
RAISERROR('info only', 10, 1)
PRINT 'after raiserror'
GO
THROW 50001, 'thrown', 3
PRINT 'not reached'
GO
-- procedures
EXEC sp_executesql N'SELECT @a + 1 AS r, @b AS s', N'@a int, @b nvarchar(10)', @a = 41, @b = N'hi'
DECLARE @out int
EXEC sp_executesql N'SET @o = 7', N'@o int OUTPUT', @o = @out OUTPUT
SELECT @out AS outval
EXEC ('SELECT ''dynamic'' AS d')
EXEC nosuchproc
GO
-- transactions: nesting, ENVCHANGE, rollback undoes, commit without begin
CREATE TABLE dbo.tx (id int PRIMARY KEY)
BEGIN TRAN
INSERT INTO dbo.tx VALUES (1)
BEGIN TRANSACTION
SELECT @@TRANCOUNT AS nested
COMMIT
SELECT @@TRANCOUNT AS after_inner_commit
ROLLBACK
SELECT COUNT(*) AS rolled_back FROM dbo.tx
COMMIT
ROLLBACK TRAN
GO
BEGIN TRAN
INSERT INTO dbo.tx VALUES (2)
SAVE TRANSACTION sp1
INSERT INTO dbo.tx VALUES (3)
ROLLBACK TRANSACTION sp1
COMMIT TRAN
SELECT id FROM dbo.tx
GO
-- XACT_ABORT: an error rolls the transaction back and ends the batch
SET XACT_ABORT ON
BEGIN TRAN
INSERT INTO dbo.tx VALUES (4)
INSERT INTO dbo.tx VALUES (2)
SELECT 'not reached'
GO
SELECT @@TRANCOUNT AS tc, COUNT(*) AS n FROM dbo.tx
SET XACT_ABORT OFF
GO
-- without XACT_ABORT a failed statement leaves the transaction open
BEGIN TRAN
INSERT INTO dbo.tx VALUES (2)
INSERT INTO dbo.tx VALUES (5)
COMMIT
SELECT id FROM dbo.tx ORDER BY id
GO
