-- a decimal aggregate compared with a number compares numerically
-- (decimals are exact text inside the stand-in; text must not sort after numbers)
CREATE TABLE dbo.t (g int, amount decimal(10,2))
INSERT dbo.t VALUES (1, 5.00), (1, 3.00), (2, 9.75), (2, 1.00), (3, 100.00)
SELECT g, SUM(amount) AS s FROM dbo.t GROUP BY g HAVING SUM(amount) > 10 ORDER BY g
SELECT g FROM dbo.t GROUP BY g HAVING MAX(amount) >= 9.5 ORDER BY g
SELECT CASE WHEN SUM(amount) = 118.75 THEN 1 ELSE 0 END AS eq, CASE WHEN MIN(amount) < 2 THEN 1 ELSE 0 END AS lt FROM dbo.t
GO
