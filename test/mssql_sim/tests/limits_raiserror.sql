-- identifiers longer than 128 characters: error 103
SELECT 1 AS aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
GO
SELECT 1 AS bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
GO
CREATE TABLE [cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc] (x int)
GO
DECLARE @vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv int
GO
-- RAISERROR severity >= 19 needs WITH LOG (2754); >= 20 WITH LOG ends the batch
-- and the connection
RAISERROR('sev 19 without log', 19, 1)
SELECT 'next' AS after_2754
GO
RAISERROR('sev 19 with log', 19, 1) WITH LOG
SELECT 'next' AS after_19
GO
RAISERROR('fatal', 20, 1) WITH LOG
SELECT 'not reached' AS after_20
GO
-- a fatal error is not caught by TRY (the protocol side then closes the
-- connection; sim_cli goes on)
BEGIN TRY
	RAISERROR('fatal in try', 20, 1) WITH LOG
END TRY
BEGIN CATCH
	SELECT 'caught' AS not_reached
END CATCH
SELECT 'not reached' AS after_try
GO
RAISERROR('plain %s', 16, 1, 'x') WITH NOWAIT
GO
