-- compare_string_int.sql: a string column compared with an integer literal
-- is converted to int (data type precedence), as on SQL Server: N'05' = 5
-- and ' 7' = 7 hold, and a value that is no number is 245.  SQLite
-- compared the literal as text.  (A literal inside arithmetic, "s = 5 + 0",
-- is not covered.)
CREATE TABLE dbo.t(i int, s nvarchar(10), v varchar(10))
INSERT dbo.t VALUES (1, N'05', ' 7'), (2, N'5', '8'), (3, NULL, NULL)
GO
SELECT i FROM dbo.t WHERE s = 5 ORDER BY i
SELECT i FROM dbo.t WHERE 7 = v
SELECT i FROM dbo.t WHERE -7 < v AND 8 >= v ORDER BY i
SELECT i FROM dbo.t AS t WHERE 5 = t.s ORDER BY i
SELECT i FROM dbo.t WHERE s = '5'
SELECT CASE WHEN s = 5 THEN 'y' ELSE 'n' END AS c FROM dbo.t ORDER BY i
UPDATE dbo.t SET i = i + 10 WHERE s = 5
SELECT i FROM dbo.t ORDER BY i
GO
INSERT dbo.t VALUES (4, N'x', 'y')
SELECT i FROM dbo.t WHERE s = 5
GO
