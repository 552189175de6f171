/*
 * engine_datefuncs.c
 *		T-SQL date and time functions as SQLite functions: GETDATE and
 *		friends, DATEADD, DATEDIFF, DATEPART, YEAR/MONTH/DAY, ISDATE.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "engine_int.h"
#include "engine_convert.h"

/* ------------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------------
 */

/*
 * Current time as text: local or UTC, with digits fractional digits (3 for
 * GETDATE's datetime, 7 for SYSDATETIME), optionally with the offset.
 */
void
engine_now_text(char *buf, size_t len, bool utc, int digits, bool offset)
{
	struct timespec ts;
	struct tm	tm;
	char		frac[16] = "";
	long		off = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (utc)
		gmtime_r(&ts.tv_sec, &tm);
	else
	{
		localtime_r(&ts.tv_sec, &tm);
		off = tm.tm_gmtoff / 60;
	}
	if (digits == 3)
	{
		/* datetime: round to 1/300 s */
		EngineDateTime dt;
		SimType		t = {SIM_DATETIME, 0, 0, 3};

		memset(&dt, 0, sizeof(dt));
		dt.year = tm.tm_year + 1900;
		dt.month = tm.tm_mon + 1;
		dt.day = tm.tm_mday;
		dt.hour = tm.tm_hour;
		dt.minute = tm.tm_min;
		dt.second = tm.tm_sec;
		dt.nanos = ts.tv_nsec;
		engine_format_datetime(&dt, &t, buf, len);
		return;
	}
	if (digits > 0)
		snprintf(frac, sizeof(frac), ".%07d", (int) ((ts.tv_nsec / 100) % 10000000));
	if (offset)
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d%s %c%02ld:%02ld", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac,
				 off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	else
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1,
				 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static void
fn_getdate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char		buf[64];

	(void) argc;
	(void) argv;
	engine_now_text(buf, sizeof(buf), false, 3, false);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void
fn_getutcdate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char		buf[64];

	(void) argc;
	(void) argv;
	engine_now_text(buf, sizeof(buf), true, 3, false);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void
fn_sysdatetime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char		buf[64];

	(void) argc;
	(void) argv;
	engine_now_text(buf, sizeof(buf), false, 7, false);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void
fn_sysutcdatetime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char		buf[64];

	(void) argc;
	(void) argv;
	engine_now_text(buf, sizeof(buf), true, 7, false);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void
fn_sysdatetimeoffset(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char		buf[64];

	(void) argc;
	(void) argv;
	engine_now_text(buf, sizeof(buf), false, 7, true);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

typedef enum DatePart
{
	DP_YEAR,
	DP_QUARTER,
	DP_MONTH,
	DP_DAYOFYEAR,
	DP_DAY,
	DP_WEEK,
	DP_WEEKDAY,
	DP_HOUR,
	DP_MINUTE,
	DP_SECOND,
	DP_MILLISECOND,
	DP_MICROSECOND,
	DP_NANOSECOND,
	DP_BAD
} DatePart;

/*
 * A DATEADD/DATEDIFF/DATEPART part name or abbreviation.
 */
static DatePart
datepart_of(const char *s)
{
	static const struct
	{
		const char *name;
		DatePart	dp;
	}			names[] = {
		{"year", DP_YEAR}, {"yy", DP_YEAR}, {"yyyy", DP_YEAR},
		{"quarter", DP_QUARTER}, {"qq", DP_QUARTER}, {"q", DP_QUARTER},
		{"month", DP_MONTH}, {"mm", DP_MONTH}, {"m", DP_MONTH},
		{"dayofyear", DP_DAYOFYEAR}, {"dy", DP_DAYOFYEAR}, {"y", DP_DAYOFYEAR},
		{"day", DP_DAY}, {"dd", DP_DAY}, {"d", DP_DAY},
		{"week", DP_WEEK}, {"wk", DP_WEEK}, {"ww", DP_WEEK},
		{"weekday", DP_WEEKDAY}, {"dw", DP_WEEKDAY}, {"w", DP_WEEKDAY},
		{"hour", DP_HOUR}, {"hh", DP_HOUR},
		{"minute", DP_MINUTE}, {"mi", DP_MINUTE}, {"n", DP_MINUTE},
		{"second", DP_SECOND}, {"ss", DP_SECOND}, {"s", DP_SECOND},
		{"millisecond", DP_MILLISECOND}, {"ms", DP_MILLISECOND},
		{"microsecond", DP_MICROSECOND}, {"mcs", DP_MICROSECOND},
		{"nanosecond", DP_NANOSECOND}, {"ns", DP_NANOSECOND},
		{NULL, DP_BAD}
	};
	int			i;

	for (i = 0; names[i].name; i++)
		if (engine_strcasecmp(names[i].name, s) == 0)
			return names[i].dp;
	return DP_BAD;
}

/* Parse a date argument; on failure raises 241 and returns false. */
static bool
date_arg(sqlite3_context *ctx, sqlite3_value *v, EngineDateTime *dt)
{
	if (sqlite3_value_type(v) == SQLITE_TEXT &&
		engine_parse_datetime((const char *) sqlite3_value_text(v), dt))
		return true;
	engine_func_error(ctx, 241, "Conversion failed when converting date and/or time from character string.");
	return false;
}

static int64_t
dt_total_nanos_of_day(const EngineDateTime *dt)
{
	return ((int64_t) dt->hour * 3600 + dt->minute * 60 + dt->second) * 1000000000LL + dt->nanos;
}

/*
 * DATEADD(part, n, date): the result keeps the input's shape (date only,
 * datetime with 3 digits, datetime2/time with as many digits as given).
 */
static void
fn_dateadd(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	DatePart	dp;
	int64_t		n;
	EngineDateTime dt;
	const char *src;
	int64_t		days,
				ns;
	char		buf[80];
	int			fracdigits = 0;
	const char *dot;
	SimType		t;

	(void) argc;
	if (sqlite3_value_type(argv[1]) == SQLITE_NULL || sqlite3_value_type(argv[2]) == SQLITE_NULL)
		return;
	dp = datepart_of((const char *) sqlite3_value_text(argv[0]));
	n = sqlite3_value_int64(argv[1]);
	if (!date_arg(ctx, argv[2], &dt))
		return;
	src = (const char *) sqlite3_value_text(argv[2]);
	days = engine_days_from_civil(dt.year, dt.month, dt.day);
	ns = dt_total_nanos_of_day(&dt);
	switch (dp)
	{
		case DP_YEAR:
		case DP_QUARTER:
		case DP_MONTH:
			{
				int64_t		months = (int64_t) dt.year * 12 + (dt.month - 1) +
					n * (dp == DP_YEAR ? 12 : dp == DP_QUARTER ? 3 : 1);
				int			dim;

				dt.year = (int) (months / 12);
				dt.month = (int) (months % 12) + 1;
				dim = (dt.month == 2) ? (((dt.year % 4 == 0 && dt.year % 100 != 0) || dt.year % 400 == 0) ? 29 : 28)
					: (dt.month == 4 || dt.month == 6 || dt.month == 9 || dt.month == 11) ? 30 : 31;
				if (dt.day > dim)
					dt.day = dim;
				days = engine_days_from_civil(dt.year, dt.month, dt.day);
				break;
			}
		case DP_DAYOFYEAR:
		case DP_DAY:
		case DP_WEEKDAY:
			days += n;
			break;
		case DP_WEEK:
			days += n * 7;
			break;
		case DP_HOUR:
			ns += n * 3600000000000LL;
			break;
		case DP_MINUTE:
			ns += n * 60000000000LL;
			break;
		case DP_SECOND:
			ns += n * 1000000000LL;
			break;
		case DP_MILLISECOND:
			ns += n * 1000000LL;
			break;
		case DP_MICROSECOND:
			ns += n * 1000LL;
			break;
		case DP_NANOSECOND:
			ns += n;
			break;
		default:
			engine_func_error(ctx, 155, "'datepart' is not a recognized dateadd option.");
			return;
	}
	days += ns / 86400000000000LL;
	ns %= 86400000000000LL;
	if (ns < 0)
	{
		ns += 86400000000000LL;
		days--;
	}
	engine_civil_from_days(days, &dt.year, &dt.month, &dt.day);
	dt.hour = (int) (ns / 3600000000000LL);
	dt.minute = (int) ((ns / 60000000000LL) % 60);
	dt.second = (int) ((ns / 1000000000LL) % 60);
	dt.nanos = ns % 1000000000LL;
	/* keep the input's shape: date only, datetime (3 digits), or n digits */
	dot = strchr(src, '.');
	if (dot)
		for (dot++; isdigit((unsigned char) *dot); dot++)
			fracdigits++;
	memset(&t, 0, sizeof(t));
	if (!dt.has_time && dp <= DP_WEEKDAY)
		t.id = SIM_DATE;
	else if (dt.has_offset)
	{
		t.id = SIM_DATETIMEOFFSET;
		t.scale = fracdigits;
	}
	else if (fracdigits == 3 || (fracdigits == 0 && dt.has_date))
	{
		t.id = fracdigits == 3 ? SIM_DATETIME : SIM_DATETIME2;
		t.scale = fracdigits;
	}
	else
	{
		t.id = dt.has_date ? SIM_DATETIME2 : SIM_TIME;
		t.scale = fracdigits;
	}
	if (!engine_format_datetime(&dt, &t, buf, sizeof(buf)))
	{
		engine_func_error(ctx, 517, "Adding a value to a 'datetime' column caused an overflow.");
		return;
	}
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/*
 * DATEDIFF(part, a, b): boundaries crossed, as SQL Server counts them.
 */
static void
fn_datediff(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	DatePart	dp;
	EngineDateTime a,
				b;
	int64_t		da,
				db,
				na,
				nb,
				r;

	(void) argc;
	if (sqlite3_value_type(argv[1]) == SQLITE_NULL || sqlite3_value_type(argv[2]) == SQLITE_NULL)
		return;
	dp = datepart_of((const char *) sqlite3_value_text(argv[0]));
	if (!date_arg(ctx, argv[1], &a) || !date_arg(ctx, argv[2], &b))
		return;
	da = engine_days_from_civil(a.year, a.month, a.day);
	db = engine_days_from_civil(b.year, b.month, b.day);
	na = dt_total_nanos_of_day(&a);
	nb = dt_total_nanos_of_day(&b);
	switch (dp)
	{
		case DP_YEAR:
			r = b.year - a.year;
			break;
		case DP_QUARTER:
			r = (b.year * 4 + (b.month - 1) / 3) - (a.year * 4 + (a.month - 1) / 3);
			break;
		case DP_MONTH:
			r = (b.year * 12 + b.month) - (a.year * 12 + a.month);
			break;
		case DP_DAYOFYEAR:
		case DP_DAY:
		case DP_WEEKDAY:
			r = db - da;
			break;
		case DP_WEEK:
			/* week boundaries are Sundays (DATEFIRST 7); day 0 is a Monday */
			r = ((db + 1) / 7) - ((da + 1) / 7);
			break;
		case DP_HOUR:
			r = (db * 24 + nb / 3600000000000LL) - (da * 24 + na / 3600000000000LL);
			break;
		case DP_MINUTE:
			r = (db * 1440 + nb / 60000000000LL) - (da * 1440 + na / 60000000000LL);
			break;
		case DP_SECOND:
			r = (db * 86400 + nb / 1000000000LL) - (da * 86400 + na / 1000000000LL);
			break;
		case DP_MILLISECOND:
			r = (db - da) * 86400000LL + nb / 1000000LL - na / 1000000LL;
			break;
		case DP_MICROSECOND:
			r = (db - da) * 86400000000LL + nb / 1000LL - na / 1000LL;
			break;
		case DP_NANOSECOND:
			r = (db - da) * 86400000000000LL + nb - na;
			break;
		default:
			engine_func_error(ctx, 155, "'datepart' is not a recognized datediff option.");
			return;
	}
	if (r > INT32_MAX || r < INT32_MIN)
	{
		engine_func_error(ctx, 535, "The datediff function resulted in an overflow. The number of dateparts separating two date/time instances is too large. Try to use datediff with a less precise datepart.");
		return;
	}
	sqlite3_result_int64(ctx, r);
}

/*
 * DATEPART(part, date); weekday and week follow the session's SET DATEFIRST
 * (the function's user data is the session).
 */
static void
fn_datepart(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	DatePart	dp;
	EngineDateTime dt;
	int64_t		r;
	int64_t		days;
	SimSession *s = sqlite3_user_data(ctx);
	int			datefirst = s ? s->datefirst : 7;

	(void) argc;
	if (sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	dp = datepart_of((const char *) sqlite3_value_text(argv[0]));
	if (!date_arg(ctx, argv[1], &dt))
		return;
	days = engine_days_from_civil(dt.year, dt.month, dt.day);
	switch (dp)
	{
		case DP_YEAR:
			r = dt.year;
			break;
		case DP_QUARTER:
			r = (dt.month - 1) / 3 + 1;
			break;
		case DP_MONTH:
			r = dt.month;
			break;
		case DP_DAYOFYEAR:
			r = days - engine_days_from_civil(dt.year, 1, 1) + 1;
			break;
		case DP_DAY:
			r = dt.day;
			break;
		case DP_WEEK:
			{
				int64_t		jan1 = engine_days_from_civil(dt.year, 1, 1);
				int			shift = 8 - datefirst;	/* weeks start on DATEFIRST */

				r = ((days + shift) / 7) - ((jan1 + shift) / 7) + 1;
				break;
			}
		case DP_WEEKDAY:
			/* 0001-01-01 was a Monday (ISO day 1); DATEFIRST d makes day d 1 */
			r = ((days % 7) + 1 - datefirst + 7) % 7 + 1;
			break;
		case DP_HOUR:
			r = dt.hour;
			break;
		case DP_MINUTE:
			r = dt.minute;
			break;
		case DP_SECOND:
			r = dt.second;
			break;
		case DP_MILLISECOND:
			r = dt.nanos / 1000000;
			break;
		case DP_MICROSECOND:
			r = dt.nanos / 1000;
			break;
		case DP_NANOSECOND:
			r = dt.nanos;
			break;
		default:
			engine_func_error(ctx, 155, "'datepart' is not a recognized datepart option.");
			return;
	}
	sqlite3_result_int64(ctx, r);
}

static void
fn_year(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !date_arg(ctx, argv[0], &dt))
		return;
	sqlite3_result_int(ctx, dt.year);
}

static void
fn_month(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !date_arg(ctx, argv[0], &dt))
		return;
	sqlite3_result_int(ctx, dt.month);
}

static void
fn_day(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !date_arg(ctx, argv[0], &dt))
		return;
	sqlite3_result_int(ctx, dt.day);
}

static void
fn_isdate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;

	(void) argc;
	sqlite3_result_int(ctx, sqlite3_value_type(argv[0]) == SQLITE_TEXT &&
					   engine_parse_datetime((const char *) sqlite3_value_text(argv[0]), &dt));
}

/* ------------------------------------------------------------------------
 * CONVERT styles
 * ------------------------------------------------------------------------
 * CONVERT(varchar, date_value, style) formats as Microsoft's table of date
 * and time styles says; CONVERT(date_type, 'text', style) reads the text
 * in the style's day/month/year order.  The translator wraps the value in
 * __sim_datestyle / __sim_parsestyle when CONVERT has a literal style.
 */

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
"Aug", "Sep", "Oct", "Nov", "Dec"};

/* ".fffffff" with digits digits of nanos (nothing for 0 digits). */
static void
append_fraction(EngineBuf *b, char sep, int64_t nanos, int digits)
{
	char		f[16];
	int			k;

	if (digits <= 0)
		return;
	snprintf(f, sizeof(f), "%09lld", (long long) nanos);
	ebuf_appendc(b, sep);
	for (k = 0; k < digits && k < 9; k++)
		ebuf_appendc(b, f[k]);
}

/*
 * __sim_datestyle(value, style, kind, digits): the date/time value (storage
 * form) as text in CONVERT style "style".  kind: 1 date, 2 datetime, 3
 * smalldatetime, 4 datetime2, 5 datetimeoffset, 6 time; digits: its
 * fractional digits.  Unknown styles and unreadable values pass unchanged.
 */
static void
fn_datestyle(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;
	EngineBuf	b;
	int			style = sqlite3_value_int(argv[1]);
	int			kind = sqlite3_value_int(argv[2]);
	int			digits = sqlite3_value_int(argv[3]);
	int			y,
				yy,
				h12;
	const char *ampm,
			   *mon;
	int			ms;

	(void) argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
		!engine_parse_datetime((const char *) sqlite3_value_text(argv[0]), &dt))
	{
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	if (!dt.has_date)
	{
		dt.year = 1900;
		dt.month = 1;
		dt.day = 1;
	}
	if (kind == 2)
		digits = 3;
	else if (kind == 3 || kind == 1)
		digits = 0;
	y = dt.year;
	yy = dt.year % 100;
	h12 = dt.hour % 12 == 0 ? 12 : dt.hour % 12;
	ampm = dt.hour < 12 ? "AM" : "PM";
	mon = month_abbr[(dt.month >= 1 && dt.month <= 12) ? dt.month - 1 : 0];
	ms = (int) (dt.nanos / 1000000);
	ebuf_init(&b);
	switch (style)
	{
		case 0:
		case 100:
			ebuf_printf(&b, "%s %2d %04d %2d:%02d%s", mon, dt.day, y, h12, dt.minute, ampm);
			break;
		case 1:
		case 101:
			ebuf_printf(&b, style < 100 ? "%02d/%02d/%02d" : "%02d/%02d/%04d", dt.month, dt.day,
						style < 100 ? yy : y);
			break;
		case 2:
		case 102:
			ebuf_printf(&b, style < 100 ? "%02d.%02d.%02d" : "%04d.%02d.%02d",
						style < 100 ? yy : y, dt.month, dt.day);
			break;
		case 3:
		case 103:
			ebuf_printf(&b, style < 100 ? "%02d/%02d/%02d" : "%02d/%02d/%04d", dt.day, dt.month,
						style < 100 ? yy : y);
			break;
		case 4:
		case 104:
			ebuf_printf(&b, style < 100 ? "%02d.%02d.%02d" : "%02d.%02d.%04d", dt.day, dt.month,
						style < 100 ? yy : y);
			break;
		case 5:
		case 105:
			ebuf_printf(&b, style < 100 ? "%02d-%02d-%02d" : "%02d-%02d-%04d", dt.day, dt.month,
						style < 100 ? yy : y);
			break;
		case 6:
		case 106:
			ebuf_printf(&b, style < 100 ? "%02d %s %02d" : "%02d %s %04d", dt.day, mon,
						style < 100 ? yy : y);
			break;
		case 7:
		case 107:
			ebuf_printf(&b, style < 100 ? "%s %02d, %02d" : "%s %02d, %04d", mon, dt.day,
						style < 100 ? yy : y);
			break;
		case 8:
		case 24:
		case 108:
			ebuf_printf(&b, "%02d:%02d:%02d", dt.hour, dt.minute, dt.second);
			break;
		case 9:
		case 109:
			ebuf_printf(&b, "%s %2d %04d %2d:%02d:%02d", mon, dt.day, y, h12, dt.minute, dt.second);
			if (kind == 2 || kind == 3)
				ebuf_printf(&b, ":%03d", ms);
			else
				append_fraction(&b, '.', dt.nanos, digits);
			ebuf_append(&b, ampm);
			break;
		case 10:
		case 110:
			ebuf_printf(&b, style < 100 ? "%02d-%02d-%02d" : "%02d-%02d-%04d", dt.month, dt.day,
						style < 100 ? yy : y);
			break;
		case 11:
		case 111:
			ebuf_printf(&b, style < 100 ? "%02d/%02d/%02d" : "%04d/%02d/%02d",
						style < 100 ? yy : y, dt.month, dt.day);
			break;
		case 12:
		case 112:
			ebuf_printf(&b, style < 100 ? "%02d%02d%02d" : "%04d%02d%02d",
						style < 100 ? yy : y, dt.month, dt.day);
			break;
		case 13:
		case 113:
			ebuf_printf(&b, "%02d %s %04d %02d:%02d:%02d", dt.day, mon, y, dt.hour, dt.minute,
						dt.second);
			if (kind == 2 || kind == 3)
				ebuf_printf(&b, ":%03d", ms);
			else
				append_fraction(&b, '.', dt.nanos, digits);
			break;
		case 14:
		case 114:
			ebuf_printf(&b, "%02d:%02d:%02d", dt.hour, dt.minute, dt.second);
			if (kind == 2 || kind == 3)
				ebuf_printf(&b, ":%03d", ms);
			else
				append_fraction(&b, '.', dt.nanos, digits);
			break;
		case 20:
		case 120:
			ebuf_printf(&b, "%04d-%02d-%02d %02d:%02d:%02d", y, dt.month, dt.day, dt.hour,
						dt.minute, dt.second);
			break;
		case 21:
		case 25:
		case 121:
			ebuf_printf(&b, "%04d-%02d-%02d %02d:%02d:%02d", y, dt.month, dt.day, dt.hour,
						dt.minute, dt.second);
			append_fraction(&b, '.', dt.nanos, kind == 3 || kind == 1 ? 3 : digits);
			break;
		case 22:
			ebuf_printf(&b, "%02d/%02d/%02d %2d:%02d:%02d %s", dt.month, dt.day, yy, h12,
						dt.minute, dt.second, ampm);
			break;
		case 23:
			ebuf_printf(&b, "%04d-%02d-%02d", y, dt.month, dt.day);
			break;
		case 126:
		case 127:
			{
				EngineDateTime u = dt;

				if (style == 127 && dt.has_offset && dt.offset_min != 0)
				{
					/* to UTC, for the Z */
					int64_t		days = engine_days_from_civil(dt.year, dt.month, dt.day);
					int64_t		mins = days * 1440 + dt.hour * 60 + dt.minute - dt.offset_min;

					days = mins >= 0 ? mins / 1440 : -((-mins + 1439) / 1440);
					mins -= days * 1440;
					engine_civil_from_days(days, &u.year, &u.month, &u.day);
					u.hour = (int) (mins / 60);
					u.minute = (int) (mins % 60);
				}
				ebuf_printf(&b, "%04d-%02d-%02dT%02d:%02d:%02d", u.year, u.month, u.day, u.hour,
							u.minute, u.second);
				/* datetime shows its milliseconds only when they are not 0 */
				if (!(kind == 2 && ms == 0))
					append_fraction(&b, '.', u.nanos, digits);
				if (style == 127 && kind == 5)
					ebuf_appendc(&b, 'Z');
				else if (kind == 5)
					ebuf_printf(&b, "%c%02d:%02d", dt.offset_min < 0 ? '-' : '+',
								abs(dt.offset_min) / 60, abs(dt.offset_min) % 60);
				break;
			}
		default:
			ebuf_free(&b);
			sqlite3_result_value(ctx, argv[0]);
			return;
	}
	sqlite3_result_text(ctx, b.data, (int) b.len, free);
}

/* Read an unsigned number of at most maxd digits at *p; -1 if none. */
static int
read_number(const char **p, int maxd)
{
	int			v = 0,
				n = 0;

	while (n < maxd && isdigit((unsigned char) **p))
	{
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

/*
 * __sim_parsestyle(text, style): the date in text, written in the order of
 * CONVERT style "style" (mdy for 1/101/10/110/22, dmy for 3/103/4/104/5/
 * 105, ymd for the others, yymmdd/yyyymmdd for 12/112), as 'yyyy-mm-dd'
 * followed by the rest of the text (the time).  Two-digit years: 1950 to
 * 2049, SQL Server's default cutoff.  What it cannot read passes unchanged
 * (the conversion then reports it).
 */
static void
fn_parsestyle(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text,
			   *p;
	int			style = sqlite3_value_int(argv[1]);
	int			a,
				b2,
				c,
				y,
				m,
				d;
	int			ylen;
	char		out[64];
	EngineBuf	b;

	(void) argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT)
	{
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	text = (const char *) sqlite3_value_text(argv[0]);
	p = text;
	while (*p == ' ')
		p++;
	if (style == 12 || style == 112)
	{
		const char *start = p;

		y = read_number(&p, style == 12 ? 2 : 4);
		ylen = (int) (p - start);
		m = read_number(&p, 2);
		d = read_number(&p, 2);
	}
	else
	{
		const char *start = p;
		const char *seps = "/.-";

		a = read_number(&p, 4);
		ylen = (int) (p - start);
		if (a < 0 || *p == '\0' || !strchr(seps, *p))
			goto unchanged;
		p++;
		b2 = read_number(&p, 2);
		if (b2 < 0 || *p == '\0' || !strchr(seps, *p))
			goto unchanged;
		p++;
		start = p;
		c = read_number(&p, 4);
		if (c < 0)
			goto unchanged;
		switch (style)
		{
			case 1:
			case 101:
			case 10:
			case 110:
			case 22:
				m = a;
				d = b2;
				y = c;
				ylen = (int) (p - start);
				break;
			case 3:
			case 103:
			case 4:
			case 104:
			case 5:
			case 105:
				d = a;
				m = b2;
				y = c;
				ylen = (int) (p - start);
				break;
			default:
				y = a;
				m = b2;
				d = c;
				break;
		}
	}
	if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
		goto unchanged;
	if (ylen <= 2)
		y += y < 50 ? 2000 : 1900;
	snprintf(out, sizeof(out), "%04d-%02d-%02d", y, m, d);
	ebuf_init(&b);
	ebuf_append(&b, out);
	if (*p == 'T')
	{
		ebuf_appendc(&b, ' ');
		p++;
	}
	ebuf_append(&b, p);
	sqlite3_result_text(ctx, b.data, (int) b.len, free);
	return;

unchanged:
	sqlite3_result_value(ctx, argv[0]);
}

typedef struct DateFuncDef
{
	const char *name;
	int			nargs;
	bool		deterministic;
	void		(*fn) (sqlite3_context *, int, sqlite3_value **);
} DateFuncDef;

static const DateFuncDef date_funcs[] = {
	{"getdate", 0, false, fn_getdate},
	{"getutcdate", 0, false, fn_getutcdate},
	{"sysdatetime", 0, false, fn_sysdatetime},
	{"sysutcdatetime", 0, false, fn_sysutcdatetime},
	{"sysdatetimeoffset", 0, false, fn_sysdatetimeoffset},
	{"dateadd", 3, true, fn_dateadd},
	{"datediff", 3, true, fn_datediff},
	{"datepart", 2, true, fn_datepart},
	{"year", 1, true, fn_year},
	{"month", 1, true, fn_month},
	{"day", 1, true, fn_day},
	{"isdate", 1, true, fn_isdate},
	{"__sim_datestyle", 4, true, fn_datestyle},
	{"__sim_parsestyle", 2, true, fn_parsestyle},
	{NULL, 0, false, NULL}
};

/* The date functions on a new handle (user data: the session). */
void
engine_datefuncs_create(SimSession *s, sqlite3 *db)
{
	const DateFuncDef *f;

	for (f = date_funcs; f->name; f++)
		sqlite3_create_function_v2(db, f->name, f->nargs,
								   SQLITE_UTF8 | (f->deterministic ? SQLITE_DETERMINISTIC : 0),
								   s, f->fn, NULL, NULL, NULL);
}

