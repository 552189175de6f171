-- comparisons of literals, variables and function results follow the
-- database collation (CI, trailing spaces ignored), as columns already do
DECLARE @v varchar(10) = 'ABC '
SELECT CASE WHEN N'a' = N'A' THEN 'ci' ELSE 'cs' END AS lit,
       CASE WHEN 'a ' = 'a' THEN 'pad' ELSE 'nopad' END AS pad,
       CASE WHEN @v = 'abc' THEN 1 ELSE 0 END AS var,
       CASE WHEN UPPER(@v) <> 'abc' THEN 1 ELSE 0 END AS fn,
       IIF('b' > 'A', 1, 0) AS lt
GO
-- typed columns keep their own comparison rules
CREATE TABLE dbo.t (d date, s varchar(10), n decimal(5,2))
INSERT dbo.t VALUES ('2024-01-01', 'x', 1.5)
SELECT COUNT(*) AS n FROM dbo.t WHERE d = '2024-01-01 00:00' AND s = 'X ' AND n = '1.50'
GO
-- simple CASE compares the same way
DECLARE @v nvarchar(5) = N'ABC'
SELECT CASE @v WHEN N'abc' THEN 'ci' ELSE 'cs' END AS s1,
       CASE 'a ' WHEN 'A' THEN 1 WHEN 'b' THEN 2 END AS s2, CASE 5 WHEN 5 THEN 'n' END AS s3
GO
