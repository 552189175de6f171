-- utf16_units.sql: under the server's non-_SC collation (SQL_Latin1_General_CP1_CI_AS)
-- a character beyond the BMP is two UTF-16 code units for LIKE's '_', LEN,
-- SUBSTRING, LEFT, RIGHT and CHARINDEX, which may cut the surrogate pair
-- (a lone surrogate has DATALENGTH 2, LEN 1).
SELECT CASE WHEN N'😀' LIKE N'_' THEN 1 ELSE 0 END AS one_us,
	CASE WHEN N'😀' LIKE N'__' THEN 1 ELSE 0 END AS two_us,
	CASE WHEN N'a😀b' LIKE N'a%b' THEN 1 ELSE 0 END AS pct,
	CASE WHEN N'a😀b' LIKE N'a😀_' THEN 1 ELSE 0 END AS lit,
	CASE WHEN N'a😀b' LIKE N'a__b' THEN 1 ELSE 0 END AS a2b,
	CASE WHEN N'a😀b' LIKE N'a_b' THEN 1 ELSE 0 END AS a1b
SELECT LEN(N'😀') AS len, LEN(N'a😀b') AS len3,
	DATALENGTH(SUBSTRING(N'😀x', 1, 1)) AS sub_half_bytes, LEN(SUBSTRING(N'😀x', 1, 1)) AS sub_half_len,
	SUBSTRING(N'😀x', 1, 2) AS sub_pair, SUBSTRING(N'😀x', 3, 1) AS sub_x,
	LEFT(N'😀x', 2) AS left2, LEN(LEFT(N'😀x', 1)) AS left1_len, RIGHT(N'x😀', 2) AS right2,
	RIGHT(N'😀x', 1) AS right1, LEN(RIGHT(N'x😀', 1)) AS right1_len
SELECT CHARINDEX(N'x', N'😀x') AS ci, CHARINDEX(N'😀', N'a😀') AS ci_pair,
	CHARINDEX(N'b', N'a😀b😀b', 5) AS ci_start
GO
-- a CAST that cuts a pair keeps the high surrogate (the value has the
-- type's length in units; nchar is not padded past it)
SELECT LEN(CAST(N'a😀' AS nvarchar(2))) AS l1, DATALENGTH(CAST(N'a😀' AS nchar(2))) AS d1,
	CAST(N'a😀b' AS nvarchar(3)) AS whole, LEN(CAST(N'😀' AS nvarchar(1))) AS l2
GO
-- UNICODE gives the first code unit (the high surrogate), NCHAR takes 0 to
-- 65535 (NULL above) under a non-_SC collation (UNICODE (Transact-SQL),
-- NCHAR (Transact-SQL))
SELECT UNICODE(N'😀') AS u, UNICODE(N'Å') AS a, UNICODE(N'') AS e, NCHAR(197) AS c,
	NCHAR(128512) AS big, LEN(NCHAR(55357)) AS half, NCHAR(8364) AS eur
GO
