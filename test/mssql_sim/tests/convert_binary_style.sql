-- CONVERT(varchar, varbinary, 1 | 2): hexadecimal text with / without 0x
SELECT CONVERT(varchar(20), 0x1A2B, 1) AS s1, CONVERT(varchar(20), 0x1A2B, 2) AS s2,
       CONVERT(varchar(20), 0x4142) AS s0, CONVERT(nvarchar(10), 0xABCDEF, 1) AS n1,
       CONVERT(varchar(10), CAST(NULL AS varbinary(4)), 1) AS null1
GO
