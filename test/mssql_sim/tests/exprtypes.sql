-- exprtypes.sql: result types of expressions (clients bind and size their
-- buffers from them; the encoder cuts strings to the declared length).
-- They come from the expression, not from the first row's value: a NULL
-- first row used to make every such column nvarchar(max).
CREATE TABLE dbo.e (
	id int PRIMARY KEY,
	v varchar(10) NULL,
	n nvarchar(20) NULL,
	c char(3) NULL,
	qty int NULL,
	price decimal(10, 2) NULL,
	f float NULL,
	d date NULL,
	dt datetime2(3) NULL
)
INSERT INTO dbo.e VALUES (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
INSERT INTO dbo.e VALUES (2, 'abc', N'ünï', 'xy', 3, 1.25, 0.5, '2024-01-02', '2024-01-02 03:04:05')
GO
-- strings: functions keep the argument's type, + adds lengths
SELECT UPPER(v) AS up, v + 'x' AS cat, n + v AS ncat, LEFT(n, 2) AS l, LTRIM(c) AS lt,
	REPLACE(v, 'a', 'b') AS rep, CONCAT(v, qty) AS cc
FROM dbo.e ORDER BY id
GO
-- ISNULL: the first argument's type; COALESCE, CASE and IIF: every branch
-- considered (the type of higher precedence, the longest length)
SELECT ISNULL(v, 'none') AS isn, ISNULL(NULL, n) AS isn_null, COALESCE(v, n) AS co,
	CASE WHEN v IS NULL THEN 'n/a' ELSE v END AS cs,
	CASE id WHEN 1 THEN NULL ELSE qty END AS cs_int,
	CASE WHEN id = 1 THEN price ELSE qty END AS cs_dec,
	IIF(id = 1, N'one', v) AS iif_
FROM dbo.e ORDER BY id
GO
-- numbers: precedence, decimal precision and scale as SQL Server computes them
SELECT qty + 1 AS i, qty * price AS mul, price + price AS add2, price / 4 AS divd,
	qty * f AS fl, -price AS neg, qty / 2 AS idiv, SUM(qty) OVER () AS win
FROM dbo.e ORDER BY id
GO
SELECT SUM(price) AS s, AVG(price) AS a, MAX(v) AS mx, MIN(d) AS mn, COUNT(*) AS c,
	SUM(qty) AS si, MAX(qty) + 1 AS mxi
FROM dbo.e
GO
-- dates, casts, variables, LEN of a MAX value (bigint)
DECLARE @s nvarchar(max) = N'long'
SELECT DATEADD(day, 1, d) AS d1, DATEADD(hour, 1, dt) AS dt1, CAST(qty AS varchar(5)) AS cv,
	CONVERT(nvarchar(10), d) AS cn, @s + N'!' AS vm, LEN(@s) AS len_max, LEN(v) AS len_v
FROM dbo.e ORDER BY id
GO
-- one-column scalar subqueries and window functions
SELECT (SELECT MAX(v) FROM dbo.e) AS sub, (SELECT COUNT(*) FROM dbo.e) AS cnt,
	ROW_NUMBER() OVER (ORDER BY id) AS rn, SUM(price) OVER () AS total,
	LAG(v) OVER (ORDER BY id) AS prev
FROM dbo.e ORDER BY id
GO
-- qualified names are typed through their table or alias; a derived
-- table's column is not mistaken for a same-named table column
CREATE TABLE dbo.t1 (id int, name varchar(5))
CREATE TABLE dbo.t2 (id int, name varchar(50))
INSERT INTO dbo.t1 VALUES (1, 'abc')
INSERT INTO dbo.t2 VALUES (1, 'a much longer name')
GO
SELECT UPPER(b.name) AS ub, UPPER(a.name) AS ua, a.name + b.name AS ab, UPPER(dbo.t2.name) AS full_name
FROM dbo.t1 AS a JOIN dbo.t2 AS b ON a.id = b.id JOIN dbo.t2 ON dbo.t2.id = a.id
SELECT UPPER(q.name) AS from_derived FROM (SELECT CONCAT(name, name, name) AS name FROM dbo.t1) AS q
GO
