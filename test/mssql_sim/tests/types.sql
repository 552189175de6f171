-- types.sql: every SQL Server type stored and read back, edge values,
-- conversions on assignment and their errors.
CREATE TABLE dbo.all_types (
	c_bit bit, c_tinyint tinyint, c_smallint smallint, c_int int, c_bigint bigint,
	c_decimal decimal(38,10), c_numeric numeric(5,2), c_money money, c_smallmoney smallmoney,
	c_float float, c_real real, c_date date, c_time time(3), c_datetime datetime,
	c_datetime2 datetime2, c_smalldatetime smalldatetime, c_dto datetimeoffset(2),
	c_char char(5), c_varchar varchar(10), c_varcharmax varchar(max), c_nchar nchar(3),
	c_nvarchar nvarchar(20), c_nvarcharmax nvarchar(max), c_text text, c_ntext ntext,
	c_binary binary(4), c_varbinary varbinary(8), c_varbinarymax varbinary(max), c_image image,
	c_guid uniqueidentifier, c_xml xml, c_rv rowversion)
GO
INSERT INTO dbo.all_types (c_bit, c_tinyint, c_smallint, c_int, c_bigint, c_decimal, c_numeric,
	c_money, c_smallmoney, c_float, c_real, c_date, c_time, c_datetime, c_datetime2,
	c_smalldatetime, c_dto, c_char, c_varchar, c_varcharmax, c_nchar, c_nvarchar, c_nvarcharmax,
	c_text, c_ntext, c_binary, c_varbinary, c_varbinarymax, c_image, c_guid, c_xml)
VALUES (1, 255, -32768, 2147483647, -9223372036854775808,
	1234567890123456789012345678.0123456789, 123.456, 922337203685477.5807, -214748.3648,
	1.5e300, 3.25, '2024-02-29', '23:59:59.9994', '2024-01-01T10:20:30.123',
	'0001-01-01 00:00:00.1234567', '2024-05-05 12:34:29', '2024-01-01 10:00:00.125 -05:30',
	'ab', 'hello', REPLICATE('x', 10), N'é', N'Ünïcødé ✓', N'long', 'text', N'ntext',
	0x0102, 0xDEADBEEF, 0x, 0xFF, '6f9619ff-8b86-d011-b42d-00c04fd430c8', '<a>1</a>')
INSERT INTO dbo.all_types (c_int, c_decimal, c_money, c_datetime, c_datetime2, c_dto, c_time)
VALUES (0, '-9999999999999999999999999999.9999999999', '-922337203685477.5808',
	'1753-01-01', '9999-12-31 23:59:59.9999999', '2000-01-01 00:00:00 +14:00', '00:00')
INSERT INTO dbo.all_types (c_int) VALUES (NULL)
SELECT * FROM dbo.all_types
GO
-- rounding: datetime to 1/300 s, decimal half away from zero, smalldatetime to the minute
SELECT CAST('2024-01-01 00:00:00.001' AS datetime) AS a, CAST('2024-01-01 00:00:00.005' AS datetime) AS b,
	CAST('2024-01-01 23:59:59.999' AS datetime) AS c, CAST(2.345 AS decimal(4,2)) AS d,
	CAST(-2.345 AS decimal(4,2)) AS e, CAST('2024-01-01 10:10:30' AS smalldatetime) AS f,
	CAST('2024-01-01 10:10:29.998' AS smalldatetime) AS g
GO
-- comparisons follow the type: decimals numerically, dates temporally
CREATE TABLE dbo.cmp (d decimal(10,2), t datetime2(0), o datetimeoffset(0))
INSERT INTO dbo.cmp VALUES (9.5, '2024-01-02 00:00:00', '2024-01-01 23:00:00 -02:00'),
	(10, '2024-01-01 12:00:00', '2024-01-02 00:30:00 +00:00'), (100.25, '2023-12-31', '2024-01-02 02:00:00 +03:00')
SELECT d FROM dbo.cmp ORDER BY d
SELECT d FROM dbo.cmp WHERE d > 9.75
SELECT t FROM dbo.cmp WHERE t >= '20240101' ORDER BY t
SELECT o FROM dbo.cmp ORDER BY o
GO
-- conversion errors (each aborts the batch)
INSERT INTO dbo.all_types (c_int) VALUES ('abc')
SELECT 'not reached'
GO
INSERT INTO dbo.all_types (c_tinyint) VALUES (256)
GO
INSERT INTO dbo.all_types (c_numeric) VALUES (1000)
GO
INSERT INTO dbo.all_types (c_date) VALUES ('2024-13-01')
GO
INSERT INTO dbo.all_types (c_datetime) VALUES ('1700-01-01')
GO
INSERT INTO dbo.all_types (c_guid) VALUES ('not-a-guid')
GO
INSERT INTO dbo.all_types (c_decimal) VALUES ('1.2.3')
GO
-- truncation aborts the statement only; trailing spaces are not data
INSERT INTO dbo.all_types (c_varchar) VALUES ('12345678901')
INSERT INTO dbo.all_types (c_binary) VALUES (0x0102030405)
INSERT INTO dbo.all_types (c_varchar) VALUES ('1234567890   ')
SELECT COUNT(*) AS rows_now FROM dbo.all_types
GO
-- variables keep their declared type (and truncate silently)
DECLARE @v varchar(3) = 'abcdef', @d decimal(5,1) = 2.25, @n nvarchar(max) = N'x', @b bit = 7
SELECT @v AS v, @d AS d, @n AS n, @b AS b
GO
-- decimals below 1: leading zeros of the fraction are kept when rescaling
SELECT CAST(0.0001 AS money) AS m, CAST(-0.01 AS numeric(10,2)) AS n, CAST('0.0000000001' AS decimal(38,10)) AS d, CAST('-0.004' AS decimal(5,2)) AS r;
