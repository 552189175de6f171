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
RAISERROR('sev 19 without log', 19, 1)
SELECT 'next' AS after_2754
GO
RAISERROR('sev 19 with log', 19, 1) WITH LOG
SELECT 'next' AS after_19
GO
RAISERROR('fatal', 20, 1) WITH LOG
SELECT 'not reached' AS after_20
GO
RAISERROR('plain %s', 16, 1, 'x') WITH NOWAIT
GO
