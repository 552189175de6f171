-- merge.sql: MERGE decides every row's fate from the state before the
-- statement, then updates, deletes and inserts, atomically, with one row
-- count for all.
CREATE TABLE dbo.tgt (id int PRIMARY KEY, name nvarchar(10) NOT NULL, qty int, seen bit DEFAULT 0)
CREATE TABLE dbo.src (id int, name nvarchar(10), qty int)
INSERT INTO dbo.tgt (id, name, qty) VALUES (1, N'a', 1), (2, N'b', 2), (3, N'c', 3)
INSERT INTO dbo.src VALUES (2, N'B', 20), (3, N'C', 0), (4, N'D', 40)
GO
-- the first WHEN MATCHED whose condition holds wins; BY SOURCE sees only
-- the target rows no source row matched (not the rows being inserted)
MERGE INTO dbo.tgt WITH (HOLDLOCK) AS t
USING dbo.src AS s ON t.id = s.id
WHEN MATCHED AND s.qty = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET t.name = s.name, qty += s.qty, seen = 1
WHEN NOT MATCHED BY TARGET THEN INSERT (id, name, qty) VALUES (s.id, s.name + N'!', s.qty)
WHEN NOT MATCHED BY SOURCE THEN UPDATE SET qty = -1;
SELECT @@ROWCOUNT AS merged
SELECT id, name, qty, seen FROM dbo.tgt ORDER BY id
GO
-- a query as the source, a variable, no target alias, INSERT without a column list
DECLARE @bonus int = 100
MERGE dbo.tgt
USING (SELECT id, name, qty FROM dbo.src WHERE id > 2 UNION ALL SELECT 9, N'nine', 9) AS s (id, name, qty)
ON tgt.id = s.id
WHEN MATCHED THEN UPDATE SET qty = tgt.qty + @bonus
WHEN NOT MATCHED AND s.qty > 0 THEN INSERT VALUES (s.id, s.name, s.qty, 1);
SELECT id, name, qty, seen FROM dbo.tgt ORDER BY id
GO
-- errors: a target row matched twice (8672); a failing INSERT undoes the
-- whole statement, the UPDATE part included
INSERT INTO dbo.src VALUES (2, N'again', 1)
MERGE dbo.tgt AS t USING dbo.src AS s ON t.id = s.id
WHEN MATCHED THEN UPDATE SET qty = 0;
GO
MERGE dbo.tgt AS t USING (SELECT 1 AS id UNION ALL SELECT 5 UNION ALL SELECT 5) AS s ON t.id = s.id
WHEN MATCHED THEN UPDATE SET qty = 1000
WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, N'five');
SELECT id, name, qty FROM dbo.tgt ORDER BY id
SELECT OBJECT_ID('tempdb..#__sim_merge_src') AS no_leftover
GO
-- a #temp target
CREATE TABLE #m (k int, v int)
INSERT INTO #m VALUES (1, 1)
MERGE #m AS m USING (SELECT 1 AS k, 10 AS v UNION ALL SELECT 2, 20) AS s ON m.k = s.k
WHEN MATCHED THEN UPDATE SET v = s.v
WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v);
SELECT k, v FROM #m ORDER BY k
GO
-- OUTPUT with $action, and OUTPUT ... INTO
CREATE TABLE dbo.mt (id int PRIMARY KEY, v int)
INSERT INTO dbo.mt VALUES (1, 1), (2, 2)
CREATE TABLE #log (act nvarchar(10), id int)
GO
MERGE dbo.mt AS t USING (SELECT 2 AS id, 20 AS v UNION ALL SELECT 3, 30) AS s ON t.id = s.id
WHEN MATCHED THEN UPDATE SET v = s.v
WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)
WHEN NOT MATCHED BY SOURCE THEN DELETE
OUTPUT $action, inserted.id, deleted.v AS old_v, inserted.v AS new_v;
MERGE dbo.mt AS t USING (SELECT 3 AS id) AS s ON t.id = s.id
WHEN MATCHED THEN DELETE
OUTPUT $action, deleted.id INTO #log;
SELECT act, id FROM #log
SELECT id, v FROM dbo.mt ORDER BY id
GO
-- truncated and malformed statements end in errors
MERGE
GO
MERGE dbo.tgt
GO
MERGE dbo.tgt USING
GO
MERGE dbo.tgt USING dbo.src ON
GO
MERGE dbo.tgt USING dbo.src ON 1 = 1 WHEN
GO
MERGE dbo.tgt USING dbo.src ON 1 = 1 WHEN MATCHED THEN
GO
MERGE dbo.tgt USING dbo.src ON 1 = 1 WHEN MATCHED THEN UPDATE SET
GO
MERGE dbo.tgt USING dbo.src s ON 1 = 0 WHEN NOT MATCHED THEN INSERT
GO
MERGE dbo.tgt USING dbo.src s ON 1 = 0 WHEN NOT MATCHED THEN INSERT VALUES (
GO
MERGE dbo.tgt USING (SELECT 1 AS x) AS ON 1 = 1 WHEN MATCHED THEN DELETE;
GO
MERGE dbo.nosuch USING dbo.src ON 1 = 1 WHEN MATCHED THEN DELETE;
GO
MERGE dbo.tgt USING dbo.src s ON 1 = 1 WHEN MATCHED THEN UPDATE SET nosuch = 1;
GO
MERGE dbo.tgt USING dbo.src s ON 1 = 1 WHEN NOT MATCHED THEN DELETE;
GO
MERGE dbo.tgt USING dbo.src s ON 1 = 0 WHEN MATCHED THEN DELETE OUTPUT nosuch.id;
GO
SELECT COUNT(*) AS still_four FROM dbo.tgt
GO
