-- convert_nvarchar.sql: conversion errors name the source's type: an nchar/nvarchar
-- value (N'' literal, nvarchar column or variable) is 'nvarchar' in 245, 8114
-- and 242, as in SQL Server's messages; char/varchar stays 'varchar'.
SELECT CAST(N'abc' AS int)
GO
SELECT CAST('abc' AS int)
GO
SELECT CONVERT(int, N'abc')
GO
SELECT CAST(N'abc' AS decimal(5,2))
GO
SELECT CAST(N'abc' AS float)
GO
SELECT CAST(N'99999-01-01' AS datetime)
GO
DECLARE @s nvarchar(10) = N'x1'
SELECT CAST(@s AS int)
GO
CREATE TABLE dbo.t(i int, s nvarchar(10), v varchar(10))
INSERT dbo.t VALUES (1, N'q', 'q')
GO
UPDATE dbo.t SET i = s
GO
UPDATE dbo.t SET i = v
GO
UPDATE dbo.t SET i = N'zz'
GO
INSERT dbo.t(i) VALUES (N'abc')
GO
INSERT dbo.t(i) SELECT s FROM dbo.t
GO
DECLARE @i int = N'abc'
GO
ALTER TABLE dbo.t ALTER COLUMN s int
GO
MERGE dbo.t AS t USING (SELECT 1 AS a) AS s ON 1 = 1 WHEN MATCHED THEN UPDATE SET i = N'w';
GO
