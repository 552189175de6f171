-- update_keyshift.sql: SQL Server checks PRIMARY KEY and UNIQUE constraints
-- at the end of an UPDATE, so shifting keys into each other's places
-- succeeds (SQLite checks row by row; the stand-in then updates the rows
-- one at a time in an order that works).  Each row is still one update for
-- Change Tracking: a key change is a delete and an insert, a non-key change
-- an update.  Keys trading places in a cycle (a swap) are not done (2627),
-- nor are real duplicates; the statement is undone as a whole.
CREATE TABLE dbo.t(id int PRIMARY KEY, v int, code varchar(5) UNIQUE)
INSERT dbo.t VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')
UPDATE dbo.t SET id = id + 1
SELECT @@ROWCOUNT AS rc
SELECT * FROM dbo.t
UPDATE dbo.t SET id = id - 1
SELECT * FROM dbo.t
-- a unique constraint, shifted
UPDATE dbo.t SET code = CASE code WHEN 'a' THEN 'b' WHEN 'b' THEN 'c' WHEN 'c' THEN 'd' END
SELECT * FROM dbo.t
-- OUTPUT sees each row once
UPDATE dbo.t SET id = id + 1 OUTPUT deleted.id AS old_id, inserted.id AS new_id WHERE id >= 2
SELECT * FROM dbo.t
GO
-- limitation: a swap fails (SQL Server succeeds); a real duplicate fails
UPDATE dbo.t SET id = 5 - id WHERE id IN (1, 4)
UPDATE dbo.t SET id = 3 WHERE id = 1
SELECT * FROM dbo.t
GO
-- Change Tracking of a key shift
CREATE DATABASE ctdb
GO
USE ctdb
GO
ALTER DATABASE ctdb SET CHANGE_TRACKING = ON
GO
CREATE TABLE dbo.t(id int PRIMARY KEY, v int)
INSERT dbo.t VALUES (1, 10), (2, 20), (3, 30)
ALTER TABLE dbo.t ENABLE CHANGE_TRACKING
GO
DECLARE @v bigint = CHANGE_TRACKING_CURRENT_VERSION()
UPDATE dbo.t SET id = id + 1
SELECT c.id, c.SYS_CHANGE_OPERATION AS op FROM CHANGETABLE(CHANGES dbo.t, @v) AS c ORDER BY c.id
SET @v = CHANGE_TRACKING_CURRENT_VERSION()
UPDATE dbo.t SET v = v + 1, id = id - 1 WHERE id > 0
SELECT c.id, c.SYS_CHANGE_OPERATION AS op FROM CHANGETABLE(CHANGES dbo.t, @v) AS c ORDER BY c.id
SET @v = CHANGE_TRACKING_CURRENT_VERSION()
UPDATE dbo.t SET v = v + 1
SELECT c.id, c.SYS_CHANGE_OPERATION AS op FROM CHANGETABLE(CHANGES dbo.t, @v) AS c ORDER BY c.id
SELECT * FROM dbo.t
GO
