-- update_keyshift.sql: SQL Server checks PRIMARY KEY and UNIQUE constraints
-- at the end of an UPDATE, so shifting keys into each other's places
-- succeeds (SQLite checks row by row; the stand-in then updates the rows
-- one at a time in an order that works).  Each row is still one update for
-- Change Tracking: a key change is a delete and an insert, a non-key change
-- an update.  Keys trading places in a cycle (a swap) are updated together
-- (not under CDC); real duplicates fail (2627) and the statement is undone
-- as a whole.
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
-- a swap succeeds; a real duplicate fails
UPDATE dbo.t SET id = 5 - id WHERE id IN (1, 4)
SELECT @@ROWCOUNT AS rc
SELECT * FROM dbo.t
UPDATE dbo.t SET id = CASE id WHEN 1 THEN 3 WHEN 3 THEN 1 END OUTPUT deleted.id AS old_id, inserted.id AS new_id, inserted.v WHERE id IN (1, 3)
SELECT * FROM dbo.t
-- a three-cycle beside a shift, and a unique column swapped
UPDATE dbo.t SET id = CASE id WHEN 1 THEN 3 WHEN 3 THEN 4 WHEN 4 THEN 1 ELSE id END
SELECT * FROM dbo.t
UPDATE dbo.t SET code = CASE code WHEN 'b' THEN 'c' WHEN 'c' THEN 'b' ELSE code END
SELECT * FROM dbo.t
-- a swap beside a real duplicate: undone
UPDATE dbo.t SET id = CASE id WHEN 1 THEN 3 WHEN 3 THEN 1 WHEN 4 THEN 1 END
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
-- a swap: each row one delete and one insert
SET @v = CHANGE_TRACKING_CURRENT_VERSION()
UPDATE dbo.t SET id = CASE id WHEN 1 THEN 3 WHEN 3 THEN 1 END WHERE id IN (1, 3)
SELECT c.id, c.SYS_CHANGE_OPERATION AS op FROM CHANGETABLE(CHANGES dbo.t, @v) AS c ORDER BY c.id
SELECT * FROM dbo.t
GO
-- limitation: under CDC a swap still fails (2627): its net changes would
-- lose one of the keys
EXEC sys.sp_cdc_enable_db
GO
CREATE TABLE dbo.c(id int PRIMARY KEY, v int)
INSERT dbo.c VALUES (1, 10), (2, 20), (3, 30)
EXEC sys.sp_cdc_enable_table @source_schema = 'dbo', @source_name = 'c', @role_name = NULL
GO
UPDATE dbo.c SET id = CASE id WHEN 1 THEN 3 WHEN 3 THEN 1 END WHERE id IN (1, 3)
UPDATE dbo.c SET id = id + 1
SELECT * FROM dbo.c
SELECT "__$operation" AS op, id, v FROM cdc.dbo_c_CT ORDER BY "__$seqval", "__$operation"
GO
