-- convert_text_int.sql: a string holding a decimal ('1.5') does not convert
-- to an integer type (245), as on SQL Server, while a decimal value
-- truncates; the stand-in used to truncate both, since decimals are stored
-- as text.  A VALUES column with a non-string value in some row is numeric.
SELECT CAST('1.5' AS int)
GO
SELECT CAST(1.5 AS int) AS a, CAST(CAST(2.5 AS decimal(5,2)) AS int) AS b, CAST(' 7 ' AS int) AS c
GO
CREATE TABLE dbo.t(i int, d decimal(5,2), s varchar(10))
INSERT dbo.t VALUES (1, 2.75, '3.5')
INSERT dbo.t(i) VALUES ('1.5')
GO
INSERT dbo.t(i) VALUES ('1.5'), (2.5)
INSERT dbo.t(i) SELECT d FROM dbo.t WHERE d IS NOT NULL
SELECT i FROM dbo.t
GO
INSERT dbo.t(i) SELECT s FROM dbo.t WHERE s IS NOT NULL
GO
UPDATE dbo.t SET i = d WHERE d IS NOT NULL
UPDATE dbo.t SET i = s WHERE s IS NOT NULL
GO
DECLARE @i int = '2.5'
GO
SELECT '1.5' + 1
GO
