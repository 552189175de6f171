-- exact decimal literals, CAST and arithmetic (no detour through a double)
SELECT CAST(99999999999999999999999999999999999999 AS decimal(38,0)) AS big,
       CAST(1.5 AS decimal(38,37)) AS p37, CAST(0.1 AS decimal(38,38)) AS p38,
       CAST(-0.5 AS decimal(1,1)) AS neg, 0.5 AS lit
GO
CREATE TABLE dbo.t (id int PRIMARY KEY, d decimal(18,2), m money)
INSERT dbo.t VALUES (1, 12.34, 5.5), (2, -0.01, 1), (3, NULL, 2)
SELECT id, d * 2 AS dbl, d + m AS dm, m * 2 AS m2, d / 3 AS third, d % 5 AS md,
       -d * 2 AS neg, ABS(d) AS a, ROUND(d, 1) AS r1, ROUND(d, -1) AS rm1,
       SUM(d) OVER (ORDER BY id) AS running
FROM dbo.t ORDER BY id
SELECT SUM(d) AS s, AVG(d) AS a, SUM(m) AS sm, AVG(m) AS am FROM dbo.t
-- results compare by value, like decimal columns
SELECT id FROM dbo.t WHERE d * 2 > 10
SELECT id FROM dbo.t WHERE d * 2 < 1 ORDER BY d * 2 DESC
GO
SELECT 10 / 3.0 AS q, CAST(1.10 AS decimal(18,2)) * 2 AS x2, ROUND(2.5, 0) AS r,
       ROUND(-2.5, 0) AS rn, ROUND(1.2345, 2, 1) AS rt, 1.0 / 3 AS third,
       2 / 3.0 AS trunc6, 10 % 3.5 AS md, 1 - 0.9 - 0.1 AS zero
GO
DECLARE @x decimal(10,3) = 1.5
SELECT @x * 3 AS a, (@x + 1) * 2 - 0.5 AS b
UPDATE dbo.t SET d = d * 3 WHERE id = 1
SELECT d FROM dbo.t WHERE id = 1
GO
-- 8134 and 8115
SELECT 5.0 / 0
GO
SELECT CAST(12345678901234567890.12 AS decimal(38,2)) * CAST(98765432109876543210.98 AS decimal(38,2))
GO
SELECT CAST(9.99 AS decimal(2,1))
GO
DECLARE @v decimal(10,2) = 1.25
SET @v = @v * 1.1
SELECT @v AS v
GO
-- columns of derived tables and CTEs keep the expression's type
SELECT x FROM (SELECT d * 2 AS x FROM dbo.t) s
;WITH c AS (SELECT d * 2 AS x, d AS dd FROM dbo.t) SELECT x, dd, c.x AS cx FROM c
GO
