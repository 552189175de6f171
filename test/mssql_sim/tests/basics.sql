-- basics.sql: literals, result column names and types, built-in functions,
-- the queries clients send right after login.
SELECT CHARINDEX('Microsoft', @@version) AS is_sql_server
SELECT 1 AS one, 'abc' AS s, N'ünï' AS n, 1.50 AS d, 0x0A0B AS b, NULL AS nul, -7 AS neg
SELECT 1, 'no name'
SELECT total = 2 + 3, 'x' + 'y' AS concat_lit
SELECT @@SPID AS spid, @@TRANCOUNT AS tc, @@SERVERNAME AS srv, DB_NAME() AS db, SCHEMA_NAME() AS sch
SELECT CAST('12.345' AS decimal(5,1)) AS d, CONVERT(varchar(3), 'abcdef') AS v, CAST(1 AS bit) AS b,
	CAST('2024-01-01' AS datetime) AS dt, TRY_CAST('x' AS int) AS t, CAST(65 AS varchar) AS dflt_len
SELECT LEN('ab  ') AS len_trailing, DATALENGTH('ab  ') AS dlen, UPPER('abc') + LOWER('DEF') AS ul,
	SUBSTRING('abcdef', 2, 3) AS sub, LEFT('abc', 2) AS l, RIGHT('abc', 2) AS r, LTRIM('  x') AS lt,
	RTRIM('x  ') + '|' AS rt, REPLACE('aXbX', 'X', '-') AS rep, CHARINDEX('C', 'abcabc', 4) AS ci
SELECT ISNULL(NULL, 'dflt') AS isn, COALESCE(NULL, NULL, 3) AS co, NULLIF(1, 1) AS nif,
	IIF(1 < 2, 'yes', 'no') AS iif_, CASE WHEN 1 = 2 THEN 'a' ELSE 'b' END AS cs
SELECT DATEADD(day, 1, '2024-02-28') AS next_day, DATEADD(month, 1, '2024-01-31') AS eom,
	DATEDIFF(day, '2024-01-01', '2024-03-01') AS dd, DATEPART(year, '2024-05-06') AS y,
	YEAR('2024-05-06') AS y2, MONTH('2024-05-06') AS m, DAY('2024-05-06') AS d
SELECT 7 / 2 AS int_div, 7 % 3 AS modulo, 2 + 3 * 4 AS prec, -(5) AS neg, ABS(-3) AS ab
SELECT CONCAT('a', NULL, 1) AS cc, REPLICATE('ab', 3) AS rp, SPACE(2) + '|' AS sp
SELECT COUNT(*) AS c, COUNT_BIG(*) AS cb FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t
SELECT value FROM GENERATE_SERIES(1, 3)
SELECT DB_ID() AS dbid, OBJECT_ID('dbo.nosuch') AS no_object, SUSER_SNAME() AS login
GO
-- SET options clients send must all be accepted
set ansi_nulls on
set ansi_null_dflt_on on
set ansi_padding on
set ansi_warnings on
set arithabort on
set concat_null_yields_null on
set datefirst 7
set dateformat mdy
set implicit_transactions off
set language us_english
set numeric_roundabort off
set quoted_identifier on
set textsize 2147483647
set transaction isolation level read committed
set xact_abort off
SET CONCAT_NULL_YIELDS_NULL, ANSI_NULLS, ANSI_WARNINGS, QUOTED_IDENTIFIER, ANSI_PADDING, ANSI_NULL_DFLT_ON ON
set textsize 2147483647 
SELECT 'options accepted' AS result
GO
-- SET NOCOUNT ON drops the row counts
SET NOCOUNT ON
SELECT 1 AS quiet
SET NOCOUNT OFF
SELECT 2 AS loud
GO
-- SET ROWCOUNT limits results
SET ROWCOUNT 2
SELECT value FROM GENERATE_SERIES(1, 10)
SET ROWCOUNT 0
GO
-- comments /* nested /* block */ */ and -- line comments are skipped
SELECT /* a /* b */ c */ 1 AS after_comments -- trailing
GO
-- LIKE: T-SQL patterns, case-insensitive (Latin-1 too), value's trailing spaces ignored
SELECT CASE WHEN N'Ünïcode' LIKE N'ü%' THEN 1 ELSE 0 END AS latin1_ci,
	CASE WHEN 'abc' LIKE '[a-b]bc' THEN 1 ELSE 0 END AS range_set,
	CASE WHEN 'cbc' LIKE '[^c]%' THEN 1 ELSE 0 END AS negated_set,
	CASE WHEN '50%' LIKE '50!%' ESCAPE '!' THEN 1 ELSE 0 END AS escape_char,
	CASE WHEN 'a_b' LIKE 'a[_]b' THEN 1 ELSE 0 END AS bracket_literal,
	CASE WHEN 'ab  ' LIKE 'ab' THEN 1 ELSE 0 END AS trailing_value,
	CASE WHEN 'ab' LIKE 'ab ' THEN 1 ELSE 0 END AS trailing_pattern
GO
-- COLLATE: binary and case-sensitive collations compare bytewise
SELECT CASE WHEN 'a' = 'A' COLLATE Latin1_General_BIN2 THEN 1 ELSE 0 END AS bin,
	CASE WHEN 'a' = 'A' COLLATE Latin1_General_CS_AS THEN 1 ELSE 0 END AS cs,
	CASE WHEN 'a' = 'A' COLLATE SQL_Latin1_General_CP1_CI_AS THEN 1 ELSE 0 END AS ci
GO
