/*
 * engine_tsqlfuncs.c
 *		T-SQL built-ins registered as functions: EOMONTH, SWITCHOFFSET,
 *		TODATETIMEOFFSET and FORMAT.
 *
 * FORMAT follows .NET's en-US formatting (SQL Server calls .NET): the
 * standard numeric formats N, F, D, P, C, X, G with an optional precision
 * ("N2" gives 1,234.50), custom numeric patterns made of 0, #, ',' and '.'
 * ("#,##0.00"), and custom date/time patterns (yyyy, MM, dd, HH, mm, ss,
 * fff, tt, ...).  Numbers are rounded half away from zero, from their
 * exact decimal spelling.  An unsupported format gives NULL, as SQL Server
 * does for an invalid one.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_convert.h"

extern void engine_tsqlfuncs_register(void);

static const SimType date_type = {SIM_DATE, 0, 0, 0};
static const SimType dto_type = {SIM_DATETIMEOFFSET, 0, 0, 7};
static const SimType format_type = {SIM_NVARCHAR, 4000, 0, 0};

/* Parse a date/time argument; reports 241 and returns false if it is none. */
static bool
datetime_arg(sqlite3_context *ctx, sqlite3_value *v, EngineDateTime *dt)
{
	const char *t = (const char *) sqlite3_value_text(v);

	if (t == NULL || !engine_parse_datetime(t, dt))
	{
		engine_func_error(ctx, 241, "Conversion failed when converting date and/or time from character string.");
		return false;
	}
	return true;
}

/* EOMONTH(start_date [, month_to_add]): the last day of the month, a date */
static void
fn_eomonth(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;
	int64_t		months,
				days;
	int			y,
				m,
				d;
	char		buf[16];

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
		(argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_NULL))
		return;
	if (!datetime_arg(ctx, argv[0], &dt))
		return;
	months = (int64_t) dt.year * 12 + (dt.month - 1) + (argc > 1 ? sqlite3_value_int64(argv[1]) : 0);
	y = (int) (months / 12);
	m = (int) (months % 12) + 1;
	if (y < 1 || y > 9999)
	{
		engine_func_error(ctx, 517, "Adding a value to a 'date' column caused an overflow.");
		return;
	}
	/* the day before the first of the next month */
	days = (m == 12 ? engine_days_from_civil(y + 1, 1, 1) : engine_days_from_civil(y, m + 1, 1)) - 1;
	engine_civil_from_days(days, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* A time zone argument: '+hh:mm' / '-hh:mm' or minutes; false if invalid. */
static bool
tz_minutes(sqlite3_value *v, int *minutes)
{
	const char *t;
	int			h,
				m;
	char		sign;

	if (sqlite3_value_type(v) == SQLITE_INTEGER)
	{
		*minutes = sqlite3_value_int(v);
		return *minutes >= -840 && *minutes <= 840;
	}
	t = (const char *) sqlite3_value_text(v);
	if (t == NULL)
		return false;
	while (*t == ' ')
		t++;
	if (sscanf(t, "%c%d:%d", &sign, &h, &m) != 3 || (sign != '+' && sign != '-') ||
		h > 14 || m > 59 || (h == 14 && m > 0))
		return false;
	*minutes = (sign == '-' ? -1 : 1) * (h * 60 + m);
	return true;
}

/* Move the local time of dt by delta minutes (date included). */
static void
shift_minutes(EngineDateTime *dt, int delta)
{
	int64_t		mins = engine_days_from_civil(dt->year, dt->month, dt->day) * 1440 +
		dt->hour * 60 + dt->minute + delta;
	int64_t		days = mins >= 0 ? mins / 1440 : -((-mins + 1439) / 1440);

	mins -= days * 1440;
	engine_civil_from_days(days, &dt->year, &dt->month, &dt->day);
	dt->hour = (int) (mins / 60);
	dt->minute = (int) (mins % 60);
}

/* Result: dt as datetimeoffset text with the given offset */
static void
result_dto(sqlite3_context *ctx, EngineDateTime *dt, int offset)
{
	char		buf[64];

	dt->has_offset = true;
	dt->offset_min = offset;
	dt->has_date = dt->has_time = true;
	if (!engine_format_datetime(dt, &dto_type, buf, sizeof(buf)))
	{
		engine_func_error(ctx, 517, "Adding a value to a 'datetimeoffset' column caused an overflow.");
		return;
	}
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/*
 * Read the (value, time_zone) arguments shared by SWITCHOFFSET and
 * TODATETIMEOFFSET into *dt and *tz (minutes).  False when the result is
 * NULL (a NULL argument) or an error was raised (fname names the function
 * in error 9812).
 */
static bool
offset_args(sqlite3_context *ctx, sqlite3_value **argv, const char *fname,
			EngineDateTime *dt, int *tz)
{
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return false;
	if (!tz_minutes(argv[1], tz))
	{
		char		msg[128];

		snprintf(msg, sizeof(msg), "The timezone provided to builtin function %s is invalid.", fname);
		engine_func_error(ctx, 9812, msg);
		return false;
	}
	return datetime_arg(ctx, argv[0], dt);
}

/* SWITCHOFFSET(datetimeoffset, time_zone): the same instant in another zone */
static void
fn_switchoffset(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;
	int			tz;

	(void) argc;
	if (!offset_args(ctx, argv, "switchoffset", &dt, &tz))
		return;
	shift_minutes(&dt, tz - (dt.has_offset ? dt.offset_min : 0));
	result_dto(ctx, &dt, tz);
}

/* TODATETIMEOFFSET(datetime, time_zone): the same local time with an offset */
static void
fn_todatetimeoffset(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineDateTime dt;
	int			tz;

	(void) argc;
	if (!offset_args(ctx, argv, "todatetimeoffset", &dt, &tz))
		return;
	result_dto(ctx, &dt, tz);
}

/* ------------------------------------------------------------------------
 * FORMAT
 * ------------------------------------------------------------------------
 */

/*
 * The number v rounded (half away from zero) to `decimals` fractional
 * digits, as its integer digits (no leading zeros, "" for 0) and exactly
 * `decimals` fraction digits.  False if v is not a number.
 */
static bool
number_parts_text(const char *src, int decimals, bool *neg, char *intpart, size_t intlen,
				  char *frac)
{
	char		digits[90],
				work[200];
	int			nd,
				pt,
				k,
				total,
				intd;
	bool		carry;

	if (!engine_parse_decimal(src, neg, digits, &nd, &pt) || pt > 60 || decimals > 60)
		return false;
	/* work = integer digits then decimals fraction digits, one carry slot first */
	intd = pt > 0 ? pt : 0;
	total = intd + decimals;
	work[0] = 0;
	for (k = 0; k < total; k++)
	{
		int			src_i = k - (intd - pt);

		work[k + 1] = (char) ((src_i >= 0 && src_i < nd) ? digits[src_i] - '0' : 0);
	}
	{
		int			src_i = total - (intd - pt);

		carry = src_i >= 0 && src_i < nd && digits[src_i] >= '5';
	}
	for (k = total; k >= 0 && carry; k--)
	{
		if (work[k] == 9)
			work[k] = 0;
		else
		{
			work[k]++;
			carry = false;
		}
	}
	{
		int			start = 0,
					o = 0;
		bool		zero = true;

		while (start <= intd && work[start] == 0)
			start++;
		for (k = start; k <= intd && o < (int) intlen - 1; k++)
			intpart[o++] = (char) ('0' + work[k]);
		intpart[o] = '\0';
		for (k = 0; k < decimals; k++)
			frac[k] = (char) ('0' + work[intd + 1 + k]);
		frac[decimals] = '\0';
		for (k = 0; k <= total; k++)
			if (work[k] != 0)
				zero = false;
		if (zero)
			*neg = false;
	}
	return true;
}

/* number_parts_text of any SQLite value; false if it is not a number */
static bool
number_parts(sqlite3_value *v, int decimals, bool *neg, char *intpart, size_t intlen,
			 char *frac)
{
	char		src[128];

	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			snprintf(src, sizeof(src), "%lld", (long long) sqlite3_value_int64(v));
			break;
		case SQLITE_FLOAT:
			engine_double_text(sqlite3_value_double(v), src, sizeof(src));
			break;
		case SQLITE_TEXT:
			snprintf(src, sizeof(src), "%s", (const char *) sqlite3_value_text(v));
			break;
		default:
			return false;
	}
	return number_parts_text(src, decimals, neg, intpart, intlen, frac);
}

/* Append integer digits with "," every three (group) and a minimum width. */
static void
append_int(EngineBuf *b, const char *intpart, int min_digits, bool group)
{
	int			n = (int) strlen(intpart);
	int			width = n > min_digits ? n : min_digits;
	int			k;

	for (k = 0; k < width; k++)
	{
		int			src = k - (width - n);

		ebuf_appendc(b, src >= 0 ? intpart[src] : '0');
		if (group && k < width - 1 && (width - 1 - k) % 3 == 0)
			ebuf_appendc(b, ',');
	}
}

/* A standard numeric format (N2, F0, D5, P1, C, X4, G); false if it is none. */
static bool
format_standard(sqlite3_value *v, const char *fmt, EngineBuf *out)
{
	char		kind = (char) toupper((unsigned char) fmt[0]);
	int			prec = -1;
	bool		neg;
	char		intpart[100],
				frac[64];

	if (fmt[0] == '\0' || !strchr("NFDPCXG", kind))
		return false;
	if (fmt[1])
	{
		char	   *end;

		prec = (int) strtol(fmt + 1, &end, 10);
		if (*end != '\0' || prec < 0 || prec > 60)
			return false;
	}
	if (kind == 'X' || kind == 'D')
	{
		int64_t		i;
		char		buf[96];	/* sign + up to 60 padded digits */

		if (sqlite3_value_type(v) != SQLITE_INTEGER)
			return false;		/* .NET: D and X need an integer */
		i = sqlite3_value_int64(v);
		if (kind == 'X')
			snprintf(buf, sizeof(buf), fmt[0] == 'x' ? "%0*llx" : "%0*llX", prec < 0 ? 0 : prec,
					 (unsigned long long) i);
		else if (snprintf(buf, sizeof(buf), "%s%0*llu", i < 0 ? "-" : "", prec < 0 ? 0 : prec,
						  (unsigned long long) (i < 0 ? -(i + 1) + 1ULL : (uint64_t) i)) >= (int) sizeof(buf))
			return false;		/* cannot happen: prec <= 60 */
		ebuf_append(out, buf);
		return true;
	}
	if (kind == 'G')
	{
		sqlite3_value *tmp = v;
		char		buf[64];

		if (sqlite3_value_type(tmp) == SQLITE_FLOAT)
		{
			engine_double_text(sqlite3_value_double(tmp), buf, sizeof(buf));
			ebuf_append(out, buf);
		}
		else
			ebuf_append(out, (const char *) sqlite3_value_text(tmp));
		return true;
	}
	if (prec < 0)
		prec = 2;
	if (kind == 'P')
	{
		/* value * 100: move the point two places */
		char		src[128],
					digits[90],
					shifted[200];
		bool		n;
		int			nd,
					pt;
		if (sqlite3_value_type(v) == SQLITE_FLOAT)
			engine_double_text(sqlite3_value_double(v), src, sizeof(src));
		else if (sqlite3_value_text(v))
			snprintf(src, sizeof(src), "%s", (const char *) sqlite3_value_text(v));
		else
			return false;
		if (!engine_parse_decimal(src, &n, digits, &nd, &pt))
			return false;
		snprintf(shifted, sizeof(shifted), "%s0.%se%d", n ? "-" : "", nd ? digits : "0", pt + 2);
		if (!number_parts_text(shifted, prec, &neg, intpart, sizeof(intpart), frac))
			return false;
	}
	else if (!number_parts(v, prec, &neg, intpart, sizeof(intpart), frac))
		return false;
	if (kind == 'C')
		ebuf_append(out, neg ? "($" : "$");
	else if (neg)
		ebuf_appendc(out, '-');
	append_int(out, intpart, 1, kind != 'F');
	if (prec > 0)
	{
		ebuf_appendc(out, '.');
		ebuf_append(out, frac);
	}
	if (kind == 'P')
		ebuf_append(out, " %");
	if (kind == 'C' && neg)
		ebuf_appendc(out, ')');
	return true;
}

/* A custom numeric pattern of 0 # , . with literal text around; false if none. */
static bool
format_custom_number(sqlite3_value *v, const char *fmt, EngineBuf *out)
{
	const char *first = strpbrk(fmt, "0#");
	const char *p;
	const char *dot;
	int			min_int = 0,
				decimals = 0;
	bool		group = false;
	bool		neg;
	char		intpart[100],
				frac[64];
	const char *last;

	if (first == NULL)
		return false;
	last = first;
	for (p = first; *p && strchr("0#,.", *p); p++)
		last = p;
	dot = memchr(first, '.', (size_t) (last - first + 1));
	for (p = first; p <= last; p++)
	{
		if (*p == ',' && (dot == NULL || p < dot))
			group = true;
		else if (*p == '0' && (dot == NULL || p < dot))
			min_int++;
		else if ((*p == '0' || *p == '#') && dot && p > dot)
			decimals++;
	}
	if (!number_parts(v, decimals, &neg, intpart, sizeof(intpart), frac))
		return false;
	if (neg)
		ebuf_appendc(out, '-');
	ebuf_appendn(out, fmt, (size_t) (first - fmt));
	if (intpart[0] || min_int > 0)
		append_int(out, intpart, min_int, group);
	if (decimals > 0)
	{
		/* trailing '#' positions drop trailing zeros */
		int			keep = decimals;
		int			mandatory = 0;

		for (p = dot + 1; p <= last; p++)
			if (*p == '0')
				mandatory = (int) (p - dot);
		while (keep > mandatory && frac[keep - 1] == '0')
			keep--;
		if (keep > 0)
		{
			ebuf_appendc(out, '.');
			ebuf_appendn(out, frac, (size_t) keep);
		}
	}
	ebuf_append(out, last + 1);
	return true;
}

/* A custom date/time pattern (yyyy MM dd HH hh mm ss fff tt ...). */
static void
format_datetime(const EngineDateTime *dt, const char *fmt, EngineBuf *out)
{
	static const char *const months[] = {"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"};
	static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday", "Sunday"};
	const char *p = fmt;

	while (*p)
	{
		char		c = *p;
		int			n = 1;

		while (p[n] == c)
			n++;
		switch (c)
		{
			case 'y':
				if (n <= 2)
					ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->year % 100);
				else
					ebuf_printf(out, "%0*d", n, dt->year);
				break;
			case 'M':
				if (n >= 4)
					ebuf_append(out, months[dt->month - 1]);
				else if (n == 3)
					ebuf_appendn(out, months[dt->month - 1], 3);
				else
					ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->month);
				break;
			case 'd':
				if (n >= 3)
				{
					int64_t		dd = engine_days_from_civil(dt->year, dt->month, dt->day);
					const char *name = days[((dd % 7) + 7) % 7];

					if (n == 3)
						ebuf_appendn(out, name, 3);
					else
						ebuf_append(out, name);
				}
				else
					ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->day);
				break;
			case 'H':
				ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->hour);
				break;
			case 'h':
				ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->hour % 12 == 0 ? 12 : dt->hour % 12);
				break;
			case 'm':
				ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->minute);
				break;
			case 's':
				ebuf_printf(out, n == 1 ? "%d" : "%02d", dt->second);
				break;
			case 'f':
			case 'F':
				{
					char		buf[16];

					snprintf(buf, sizeof(buf), "%09lld", (long long) dt->nanos);
					ebuf_appendn(out, buf, (size_t) (n > 7 ? 7 : n));
					break;
				}
			case 't':
				ebuf_append(out, n == 1 ? (dt->hour < 12 ? "A" : "P") : (dt->hour < 12 ? "AM" : "PM"));
				break;
			case '\\':
				if (p[1])
				{
					ebuf_appendc(out, p[1]);
					n = 2;
				}
				break;
			default:
				ebuf_appendn(out, p, (size_t) n);
				break;
		}
		p += n;
	}
}

/* FORMAT(value, format [, culture]) */
static void
fn_format(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *fmt = (const char *) sqlite3_value_text(argv[1]);
	EngineBuf	out;
	bool		ok = false;
	int			vt = sqlite3_value_type(argv[0]);

	if (vt == SQLITE_NULL || fmt == NULL)
		return;
	if (argc > 2 && sqlite3_value_type(argv[2]) == SQLITE_TEXT)
	{
		const char *culture = (const char *) sqlite3_value_text(argv[2]);

		if (culture[0] && engine_strcasecmp(culture, "en-US") != 0 &&
			engine_strcasecmp(culture, "en") != 0)
			return;				/* other cultures: not supported, NULL */
	}
	ebuf_init(&out);
	if (vt == SQLITE_INTEGER || vt == SQLITE_FLOAT)
		ok = format_standard(argv[0], fmt, &out) || format_custom_number(argv[0], fmt, &out);
	else if (vt == SQLITE_TEXT)
	{
		const char *txt = (const char *) sqlite3_value_text(argv[0]);
		char		digits[90];
		bool		neg;
		int			nd,
					pt;
		EngineDateTime dt;

		if (engine_parse_decimal(txt, &neg, digits, &nd, &pt))
			ok = format_standard(argv[0], fmt, &out) || format_custom_number(argv[0], fmt, &out);
		else if (engine_parse_datetime(txt, &dt))
		{
			if (strcmp(fmt, "d") == 0)
				format_datetime(&dt, "M/d/yyyy", &out);
			else if (strcmp(fmt, "D") == 0)
				format_datetime(&dt, "dddd, MMMM d, yyyy", &out);
			else if (strcmp(fmt, "t") == 0)
				format_datetime(&dt, "h:mm tt", &out);
			else if (strcmp(fmt, "T") == 0)
				format_datetime(&dt, "h:mm:ss tt", &out);
			else if (strcmp(fmt, "g") == 0)
				format_datetime(&dt, "M/d/yyyy h:mm tt", &out);
			else if (strcmp(fmt, "G") == 0)
				format_datetime(&dt, "M/d/yyyy h:mm:ss tt", &out);
			else
				format_datetime(&dt, fmt, &out);
			ok = true;
		}
	}
	if (ok)
		sqlite3_result_text(ctx, out.data, (int) out.len, SQLITE_TRANSIENT);
	ebuf_free(&out);
}

/* Register function: see engine_extensions.c. */
void
engine_tsqlfuncs_register(void)
{
	int			det = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	engine_register_function("EOMONTH", 1, det, fn_eomonth, &date_type);
	engine_register_function("EOMONTH", 2, det, fn_eomonth, &date_type);
	engine_register_function("SWITCHOFFSET", 2, det, fn_switchoffset, &dto_type);
	engine_register_function("TODATETIMEOFFSET", 2, det, fn_todatetimeoffset, &dto_type);
	engine_register_function("FORMAT", 2, det, fn_format, &format_type);
	engine_register_function("FORMAT", 3, det, fn_format, &format_type);
}
