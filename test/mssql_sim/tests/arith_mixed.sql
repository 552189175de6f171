-- arith_mixed.sql: '+' between a number and a string is an addition, as in
-- SQL Server (int outranks the strings in data type precedence, so the
-- string is converted, with 245 when it is no number); only string + string
-- concatenates.  The stand-in used to concatenate ('5' + 2 gave '52').
CREATE TABLE dbo.t(i int, s nvarchar(10), v varchar(10), f float)
INSERT dbo.t VALUES (1, N'5', '7', 1.5)
GO
SELECT s + 1 AS a, 1 + s AS b, v + 1 AS c, N'5' + 1 AS d, '5' + 2 AS e, s + i AS f,
	s + v AS g, s + 'x' AS h, i * '3' AS k, f + '2.5' AS fl, ('1' + '2') + 3 AS m,
	10 / '2' AS dv
FROM dbo.t
GO
SELECT i FROM dbo.t WHERE s + 0 = 5
GO
SELECT 'x' + 1
GO
SELECT N'abc' + 1
GO
SELECT 10 / ('0' + 0)
GO
