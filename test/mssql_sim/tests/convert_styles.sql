-- convert_styles.sql: CONVERT with a date/time style: values formatted as
-- Microsoft's table of styles says, strings read in the style's order.
DECLARE @d datetime = '2024-01-02 15:04:05.123', @d2 datetime2(3) = '2024-01-02 15:04:05.120',
	@dd date = '2024-01-02', @o datetimeoffset(0) = '2024-01-02 15:04:05 +02:00'
SELECT CONVERT(varchar(30), @d, 100) AS s100, CONVERT(varchar(10), @d, 101) AS s101,
	CONVERT(varchar(10), @d, 102) AS s102, CONVERT(varchar(10), @d, 103) AS s103,
	CONVERT(varchar(10), @d, 104) AS s104, CONVERT(varchar(10), @d, 105) AS s105,
	CONVERT(varchar(11), @d, 106) AS s106, CONVERT(varchar(12), @d, 107) AS s107,
	CONVERT(varchar(8), @d, 108) AS s108, CONVERT(varchar(10), @d, 110) AS s110,
	CONVERT(varchar(10), @d, 111) AS s111, CONVERT(varchar(8), @dd, 112) AS s112,
	CONVERT(varchar(6), @dd, 12) AS s12
SELECT CONVERT(varchar(30), @d, 109) AS s109, CONVERT(varchar(30), @d, 113) AS s113,
	CONVERT(varchar(12), @d, 114) AS s114, CONVERT(varchar(19), @d, 120) AS s120,
	CONVERT(varchar(23), @d, 121) AS s121, CONVERT(varchar(30), @d2, 121) AS s121_dt2,
	CONVERT(varchar(10), @d, 23) AS s23, CONVERT(varchar(30), @d, 126) AS s126,
	CONVERT(varchar(30), CAST('2024-01-02 03:04:05' AS datetime), 126) AS s126_no_ms,
	CONVERT(varchar(30), @o, 127) AS s127_utc, CONVERT(nvarchar(20), @d, 22) AS s22
GO
-- strings in a style's order
SELECT CONVERT(date, '20240102', 112) AS ymd, CONVERT(datetime, '02/01/2024', 103) AS dmy,
	CONVERT(date, '01/02/24', 1) AS mdy_yy, CONVERT(datetime, '31.12.2023 23:59', 104) AS dmy_time,
	CONVERT(datetime2(0), '2024-01-02T03:04:05', 126) AS iso
GO
-- month 13 in mdy order
SELECT CONVERT(date, '13/01/2024', 101) AS bad
GO
-- without a style nothing changes
SELECT CAST(CAST('2024-01-02' AS date) AS varchar(10)) AS cast_date, CONVERT(varchar(10), 42, 1) AS num
GO
