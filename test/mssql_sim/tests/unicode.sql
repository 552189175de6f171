-- unicode.sql: lengths of nvarchar values count UTF-16 code units (a
-- character beyond the BMP, such as an emoji, is 2 of them), char/varchar
-- lengths count bytes of the code page (one per character), as in SQL
-- Server under a non-_SC collation (SQL_Latin1_General_CP1_CI_AS).
-- literals: N'ü😀' is nvarchar(3), 6 bytes
SELECT N'ü😀' AS lit, LEN(N'ü😀') AS len3, DATALENGTH(N'ü😀') AS dlen6,
	N'😀' AS emoji, 'ü' AS vlit, DATALENGTH('ü') AS dlen1, DATALENGTH(N'abc') AS dlen_n6,
	DATALENGTH('abc') AS dlen_v3, LEN(N'😀 ') AS len_trailing2
GO
CREATE TABLE dbo.u (
	id int PRIMARY KEY,
	n2 nvarchar(2),
	n10 nvarchar(10),
	v10 varchar(10),
	nc3 nchar(3),
	d date,
	m decimal(12, 2),
	dt2 datetime2(3)
)
GO
-- one emoji fills an nvarchar(2)
INSERT INTO dbo.u VALUES (1, N'😀', N'ü😀', 'ü', N'ab', '2020-01-02', 1.5, '2020-01-02 03:04:05')
SELECT n2, LEN(n2) AS len_n2, DATALENGTH(n2) AS dlen_n2, LEN(n10) AS len_n10,
	DATALENGTH(n10) AS dlen_n10, LEN(v10) AS len_v10, DATALENGTH(v10) AS dlen_v10,
	DATALENGTH(nc3) AS dlen_nc3, DATALENGTH(d) AS dlen_date, DATALENGTH(m) AS dlen_dec,
	DATALENGTH(dt2) AS dlen_dt2, DATALENGTH(n10 + v10) AS dlen_concat
FROM dbo.u
GO
-- 3 code units do not fit: 2628 on INSERT and UPDATE, silent in CAST
INSERT INTO dbo.u (id, n2) VALUES (2, N'a😀')
UPDATE dbo.u SET n2 = N'😀😀' WHERE id = 1
SELECT CAST(N'😀😀' AS nvarchar(2)) AS cast_keeps_one, n2 FROM dbo.u
GO
-- variables
DECLARE @v nvarchar(2) = N'😀'
SELECT @v AS v, LEN(@v) AS len_v, DATALENGTH(@v) AS dlen_v
GO
