-- lock_timeout.sql: a writer waits for the write lock another session
-- holds: for ever by default (LOCK_TIMEOUT -1), or SET LOCK_TIMEOUT n
-- milliseconds, then error 1222; the statement fails, the session goes on.
-- (":session N" switches sim_cli's session; waiting for ever cannot be
-- shown by a single-threaded script: tds tests cover it.)
CREATE TABLE dbo.l (id int PRIMARY KEY, v int)
INSERT INTO dbo.l VALUES (1, 0)
SELECT @@LOCK_TIMEOUT AS default_timeout
GO
BEGIN TRAN
UPDATE dbo.l SET v = 1 WHERE id = 1
GO
:session 2
SET LOCK_TIMEOUT 0
SELECT @@LOCK_TIMEOUT AS no_wait
UPDATE dbo.l SET v = 2 WHERE id = 1
SELECT @@ERROR AS err
GO
SET LOCK_TIMEOUT 200
SELECT @@LOCK_TIMEOUT AS ms
INSERT INTO dbo.l VALUES (2, 2)
-- readers do not wait (READ COMMITTED reads the last committed data)
SELECT id, v FROM dbo.l
GO
:session 1
COMMIT
GO
:session 2
UPDATE dbo.l SET v = 2 WHERE id = 1
SET LOCK_TIMEOUT -1
SELECT @@LOCK_TIMEOUT AS forever
GO
-- only a number
SET LOCK_TIMEOUT N'x'
GO
SELECT @@LOCK_TIMEOUT AS still_forever
SELECT id, v FROM dbo.l
GO
