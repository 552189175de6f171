-- datetime_to_text.sql: a datetime or smalldatetime implicitly converted to
-- a string (INSERT, UPDATE, INSERT ... SELECT, MERGE into a character
-- column, SET and DECLARE of a variable) is written in style 0 like CAST:
-- 'Feb 10 2024  1:05PM' (limitation: SELECT @v = keeps ISO); date,
-- time, datetime2 and datetimeoffset keep their ISO forms (the CAST and
-- CONVERT page).  An explicit CONVERT style stays as asked.
DECLARE @d datetime = '2024-02-10 13:05:00.997', @s smalldatetime = '2024-02-10 00:05',
	@d2 datetime2 = '2024-02-10 13:05:00.1234567', @dt date = '2024-02-10', @t time = '13:05:00',
	@o datetimeoffset = '2024-02-10 13:05:00 +01:00'
CREATE TABLE dbo.v(k int, a varchar(40), b nvarchar(40), c char(20))
INSERT dbo.v VALUES (1, @d, @d, @d)
INSERT dbo.v VALUES (2, @s, @s, @s)
INSERT dbo.v VALUES (3, @d2, @d2, NULL), (4, @dt, @dt, @dt)
INSERT dbo.v VALUES (5, @t, @t, @t)
INSERT dbo.v VALUES (6, @o, @o, NULL)
INSERT dbo.v (k, a, b) SELECT 7, @d, @s
INSERT dbo.v (k, a) VALUES (8, '2024-01-01'), (9, @d)
UPDATE dbo.v SET a = @s, b = CONVERT(nvarchar(30), @d, 121) WHERE k = 7
CREATE TABLE dbo.src(k int, d datetime)
INSERT dbo.src VALUES (1, '2001-12-31 23:59:00'), (10, '1999-01-05 09:00')
MERGE dbo.v AS t USING dbo.src AS s ON t.k = s.k
WHEN MATCHED THEN UPDATE SET a = s.d
WHEN NOT MATCHED THEN INSERT (k, a) VALUES (s.k, s.d);
SELECT k, a, b, c FROM dbo.v ORDER BY k
DECLARE @v varchar(40), @n nvarchar(40)
SET @v = @d
SELECT @n = @s
DECLARE @w varchar(40) = @d, @x varchar(40) = @d2
SELECT @v AS v, @n AS n, @w AS w, @x AS x, CONVERT(varchar(30), @d, 121) AS c121
