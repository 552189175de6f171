-- int_overflow.sql: integer arithmetic overflows as on SQL Server (SQLite
-- computes in 64 bits, so 2147483647 + 1 used to come back as an "int"
-- 2147483648): 8115 for int and bigint, 220 naming the value for tinyint
-- and smallint (same-type operands keep their type; with an int the
-- result is int).
SELECT 2147483647 + 1 AS ov
GO
SELECT CAST(2147483647 AS int) * 2 AS ov2
GO
SELECT -7 / 2 AS d, -7 % 2 AS m, 3 * 4 - 5 AS e, CAST(2147483647 AS bigint) + 1 AS big,
	(1.5) * 2 AS dec, (2) + 3 AS par
GO
CREATE TABLE dbo.t(i int, b bigint, ti tinyint, si smallint)
INSERT dbo.t VALUES (2147483647, 9223372036854775807, 255, 32767)
GO
SELECT i + 1 FROM dbo.t
GO
SELECT (i + 1) - 1 FROM dbo.t
GO
SELECT ti + 1 AS t1, si + 1 AS s1, i - 1 AS i1, (i - 1) + 1 AS back FROM dbo.t
GO
SELECT b + 1 FROM dbo.t
GO
SELECT ti * ti FROM dbo.t
GO
SELECT si + si FROM dbo.t
GO
UPDATE dbo.t SET i = i + 1
GO
UPDATE dbo.t SET i = i - 1
SELECT i FROM dbo.t WHERE i + 0 > 5
GO
