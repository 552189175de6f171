-- datetime_text.sql: CAST/CONVERT of datetime and smalldatetime to a string
-- without a style use style 0 ("mon dd yyyy hh:miAM"), as SQL Server does;
-- datetime2, date and time keep their ISO-like defaults.
DECLARE @d datetime = '2024-02-10 13:05:09.997', @s smalldatetime = '2024-02-10 13:05',
	@d2 datetime2 = '2024-02-10 13:05:09.1234567', @m datetime = '2024-02-10 00:00',
	@dd date = '2024-02-10', @t time = '13:05:09'
SELECT CAST(@d AS varchar(30)) AS castd, CONVERT(varchar(30), @d) AS convd,
	CAST(@s AS nvarchar(30)) AS casts, CAST(@d AS char(10)) AS shortc,
	CAST(@m AS varchar(20)) AS midnight, CONVERT(varchar(30), @d, 121) AS c121
SELECT CAST(@d2 AS varchar(30)) AS castd2, CAST(@dd AS varchar(10)) AS castdd,
	CAST(@t AS varchar(20)) AS castt
GO
CREATE TABLE dbo.t(d datetime)
INSERT dbo.t VALUES ('2024-02-10 13:05:09.997')
SELECT CAST(d AS varchar(30)) AS c FROM dbo.t WHERE CAST(d AS varchar(30)) LIKE 'Feb%'
GO
