/*
 * engine_convert.c
 *		Conversion of values to the storage form of a SQL Server type, with
 *		SQL Server's conversion errors, plus the date/time and decimal text
 *		helpers the collations use.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_convert.h"
#include "sim_datetime.h"

void
engine_value_free(EngineValue *ev)
{
	free(ev->p);
	ev->p = NULL;
	ev->type = SQLITE_NULL;
}

/* Bind ev to parameter idx; ownership of ev->p passes to SQLite. */
int
engine_value_bind(sqlite3_stmt *stmt, int idx, EngineValue *ev)
{
	int			rc;

	switch (ev->type)
	{
		case SQLITE_INTEGER:
			return sqlite3_bind_int64(stmt, idx, ev->i);
		case SQLITE_FLOAT:
			return sqlite3_bind_double(stmt, idx, ev->d);
		case SQLITE_TEXT:
			rc = sqlite3_bind_text(stmt, idx, ev->p, ev->n, free);
			ev->p = NULL;
			return rc;
		case SQLITE_BLOB:
			rc = sqlite3_bind_blob(stmt, idx, ev->p ? ev->p : "", ev->n,
								   ev->p ? free : SQLITE_TRANSIENT);
			ev->p = NULL;
			return rc;
		default:
			return sqlite3_bind_null(stmt, idx);
	}
}

/* Return ev as the result of a SQL function; ownership passes to SQLite. */
void
engine_value_result(sqlite3_context *ctx, EngineValue *ev)
{
	switch (ev->type)
	{
		case SQLITE_INTEGER:
			sqlite3_result_int64(ctx, ev->i);
			break;
		case SQLITE_FLOAT:
			sqlite3_result_double(ctx, ev->d);
			break;
		case SQLITE_TEXT:
			sqlite3_result_text(ctx, ev->p, ev->n, free);
			ev->p = NULL;
			break;
		case SQLITE_BLOB:
			if (ev->p)
				sqlite3_result_blob(ctx, ev->p, ev->n, free);
			else
				sqlite3_result_zeroblob(ctx, 0);
			ev->p = NULL;
			break;
		default:
			sqlite3_result_null(ctx);
			break;
	}
}

static void
set_text(EngineValue *out, const char *s, int n)
{
	out->type = SQLITE_TEXT;
	out->p = estrndup(s, (size_t) n);
	out->n = n;
}

static void
set_blob(EngineValue *out, const void *s, int n)
{
	out->type = SQLITE_BLOB;
	out->p = emalloc((size_t) n + 1);
	memcpy(out->p, s, (size_t) n);
	out->n = n;
}

/* ------------------------------------------------------------------------
 * Decimal text
 * ------------------------------------------------------------------------
 */

/*
 * Parse a decimal number (with optional exponent) into sign, and a digit
 * string with the decimal point at position *point (digits before it).
 * digits gets at most 80 significant digits, no leading zeros.
 */
bool
engine_parse_decimal(const char *s, bool *neg, char *digits, int *ndigits, int *point)
{
	int			n = 0;
	int			pt = 0;			/* digits before the point, once seen */
	bool		seen_point = false;
	int			exp = 0;
	bool		any = false;

	while (isspace((unsigned char) *s))
		s++;
	*neg = false;
	if (*s == '-' || *s == '+')
	{
		*neg = (*s == '-');
		s++;
	}
	/* money literals may carry a currency sign */
	if (*s == '$')
		s++;
	for (;; s++)
	{
		if (isdigit((unsigned char) *s))
		{
			any = true;
			if (n == 0 && *s == '0')
			{
				if (seen_point)
					pt--;		/* leading zero after the point shifts it */
				continue;
			}
			if (n < 80)
				digits[n++] = *s;
			else if (!seen_point)
				exp++;
		}
		else if (*s == '.' && !seen_point)
		{
			pt = n;
			seen_point = true;
		}
		else
			break;
	}
	if (!any)
		return false;
	if (*s == 'e' || *s == 'E')
	{
		char	   *end;
		long		e = strtol(s + 1, &end, 10);

		if (end == s + 1)
			return false;
		exp += (int) e;
		s = end;
	}
	while (isspace((unsigned char) *s))
		s++;
	if (*s != '\0')
		return false;
	digits[n] = '\0';
	*ndigits = n;
	*point = (seen_point ? pt : n) + exp;
	if (n == 0)
		*neg = false;
	return true;
}

/*
 * Format a parsed decimal rounded (half away from zero) to scale digits.
 * Returns false if more than maxint integer digits result.
 */
static bool
format_decimal(bool neg, const char *digits, int ndigits, int point, int scale,
			   int maxint, char *buf)
{
	/* digit k of the number (k = 0 is the first integer position) */
	char		work[200];
	int			intdigits = point > 0 ? point : 0;
	int			total;
	int			k;
	int			carry;
	char	   *o = buf;
	bool		allzero = true;

	if (intdigits > 120 || scale > 38)
		return false;
	total = intdigits + scale;
	/* work[1..total] holds the digits, work[0] is room for a carry */
	work[0] = '0';
	for (k = 0; k < total; k++)
	{
		int			src = k - (intdigits - point);	/* index into digits */

		work[k + 1] = (src >= 0 && src < ndigits) ? digits[src] : '0';
	}
	/* rounding digit */
	{
		int			src = total - (intdigits - point);

		carry = (src >= 0 && src < ndigits && digits[src] >= '5') ? 1 : 0;
	}
	for (k = total; k >= 0 && carry; k--)
	{
		if (work[k] == '9')
			work[k] = '0';
		else
		{
			work[k]++;
			carry = 0;
		}
	}
	/* integer part: work[0..intdigits] without leading zeros */
	{
		int			start = 0;
		int			nint;

		/* work[0] is the carry slot: skip it too when it stays '0' */
		while (start <= intdigits && work[start] == '0')
			start++;
		nint = intdigits + 1 - start;
		if (nint > maxint)
			return false;
		for (k = 0; k <= total; k++)
			if (work[k] != '0')
				allzero = false;
		if (neg && !allzero)
			*o++ = '-';
		if (nint == 0)
			*o++ = '0';
		else
		{
			memcpy(o, work + start, (size_t) nint);
			o += nint;
		}
		if (scale > 0)
		{
			*o++ = '.';
			memcpy(o, work + intdigits + 1, (size_t) scale);
			o += scale;
		}
		*o = '\0';
	}
	return true;
}

/*
 * Compare two decimal texts numerically; returns <0, 0, >0.  Text that is
 * not a number sorts after numbers, bytewise among itself.
 */
int
engine_decimal_cmp(const char *a, int alen, const char *b, int blen)
{
	char		ab[128],
				bb[128],
				ad[90],
				bd[90];
	bool		an,
				bn;
	int			and,
				bnd,
				ap,
				bp;
	bool		aok,
				bok;
	int			r;
	int			k;

	if (alen > 120 || blen > 120)
		goto bytes;
	memcpy(ab, a, (size_t) alen);
	ab[alen] = '\0';
	memcpy(bb, b, (size_t) blen);
	bb[blen] = '\0';
	aok = engine_parse_decimal(ab, &an, ad, &and, &ap);
	bok = engine_parse_decimal(bb, &bn, bd, &bnd, &bp);
	if (!aok || !bok)
	{
		if (aok != bok)
			return aok ? -1 : 1;
		goto bytes;
	}
	if (and == 0)
		an = false, ap = 0;
	if (bnd == 0)
		bn = false, bp = 0;
	if (and == 0 && bnd == 0)
		return 0;
	if (an != bn)
		return an ? -1 : 1;
	if (and == 0)
		return bn ? 1 : -1;
	if (bnd == 0)
		return an ? -1 : 1;
	if (ap != bp)
		r = ap > bp ? 1 : -1;
	else
	{
		r = 0;
		for (k = 0; k < and || k < bnd; k++)
		{
			char		ca = k < and ? ad[k] : '0';
			char		cb = k < bnd ? bd[k] : '0';

			if (ca != cb)
			{
				r = ca > cb ? 1 : -1;
				break;
			}
		}
	}
	return an ? -r : r;

bytes:
	r = memcmp(a, b, (size_t) (alen < blen ? alen : blen));
	return r ? r : alen - blen;
}

/* ------------------------------------------------------------------------
 * Dates and times
 * ------------------------------------------------------------------------
 */

/* Days from 0001-01-01 (proleptic Gregorian) to y-m-d (sim_datetime.c). */
int64_t
engine_days_from_civil(int y, int m, int d)
{
	return sim_days_from_civil(y, m, d);
}

/* Inverse of engine_days_from_civil (sim_datetime.c). */
void
engine_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	sim_civil_from_days(days, y, m, d);
}

static int
read_int(const char **p, int maxdigits, int *ndig)
{
	int			v = 0;
	int			n = 0;

	while (n < maxdigits && isdigit((unsigned char) **p))
	{
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*ndig = n;
	return v;
}

/*
 * Parse the date/time literal forms SQL Server accepts most commonly:
 * [date][ |T][time][ ][offset], date as YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD,
 * MM/DD/YYYY, MM-DD-YYYY; time as hh:mm[:ss[.fffffffff]] [AM|PM]; offset
 * as +hh:mm, -hh:mm or Z.
 */
__thread char engine_dateformat[4] = "mdy";

bool
engine_parse_datetime(const char *s, EngineDateTime *dt)
{
	const char *p = s;
	int			n1,
				n2,
				n3,
				a,
				b,
				c;

	memset(dt, 0, sizeof(*dt));
	dt->year = 1900;
	dt->month = 1;
	dt->day = 1;
	while (isspace((unsigned char) *p))
		p++;
	/* date part? */
	a = read_int(&p, 8, &n1);
	if (n1 == 8 && (*p == '\0' || *p == ' ' || *p == 'T'))
	{
		dt->year = a / 10000;
		dt->month = (a / 100) % 100;
		dt->day = a % 100;
		dt->has_date = true;
	}
	else if (n1 >= 1 && (*p == '-' || *p == '/' || *p == '.'))
	{
		char		sep = *p++;

		b = read_int(&p, 2, &n2);
		if (n2 == 0 || *p != sep)
			return false;
		p++;
		c = read_int(&p, 4, &n3);
		if (n3 == 0)
			return false;
		if (n1 == 4)
		{
			dt->year = a;
			dt->month = b;
			dt->day = c;
		}
		else if (n3 == 4)
		{
			/* SET DATEFORMAT dmy / dym read 02/03/2024 as 2 March */
			bool		dmy = engine_dateformat[0] == 'd' ||
				(engine_dateformat[0] == 'y' && engine_dateformat[1] == 'd');

			dt->month = dmy ? b : a;
			dt->day = dmy ? a : b;
			dt->year = c;
		}
		else
			return false;
		dt->has_date = true;
	}
	else if (n1 >= 1 && n1 <= 2 && *p == ':')
		p = s;					/* a time only */
	else if (n1 == 0)
		return false;
	else
		return false;
	while (isspace((unsigned char) *p))
		p++;
	if (*p == 'T')
		p++;
	while (*p == ' ')
		p++;
	if (p != s)
		while (isspace((unsigned char) *p))
			p++;
	if (isdigit((unsigned char) *p) && (dt->has_date || p == s))
	{
		const char *save = p;

		while (isspace((unsigned char) *p))
			p++;
		a = read_int(&p, 2, &n1);
		if (n1 == 0 || *p != ':')
		{
			p = save;
			goto offset;
		}
		p++;
		b = read_int(&p, 2, &n2);
		if (n2 == 0)
			return false;
		dt->hour = a;
		dt->minute = b;
		dt->has_time = true;
		if (*p == ':')
		{
			p++;
			c = read_int(&p, 2, &n3);
			if (n3 == 0)
				return false;
			dt->second = c;
			if (*p == '.')
			{
				int			k = 0;
				int64_t		frac = 0;

				p++;
				while (isdigit((unsigned char) *p))
				{
					if (k < 9)
					{
						frac = frac * 10 + (*p - '0');
						k++;
					}
					p++;
				}
				while (k < 9)
				{
					frac *= 10;
					k++;
				}
				dt->nanos = frac;
			}
		}
		while (*p == ' ')
			p++;
		if ((p[0] == 'A' || p[0] == 'a' || p[0] == 'P' || p[0] == 'p') &&
			(p[1] == 'M' || p[1] == 'm'))
		{
			bool		pm = (p[0] == 'P' || p[0] == 'p');

			if (dt->hour > 12)
				return false;
			if (dt->hour == 12)
				dt->hour = 0;
			if (pm)
				dt->hour += 12;
			p += 2;
		}
	}
offset:
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z')
	{
		dt->has_offset = true;
		p++;
	}
	else if ((*p == '+' || *p == '-') && dt->has_time)
	{
		int			sign = (*p == '-') ? -1 : 1;

		p++;
		a = read_int(&p, 2, &n1);
		if (n1 == 0 || *p != ':')
			return false;
		p++;
		b = read_int(&p, 2, &n2);
		if (n2 == 0 || a > 14 || b > 59)
			return false;
		dt->has_offset = true;
		dt->offset_min = sign * (a * 60 + b);
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		return false;
	if (!dt->has_date && !dt->has_time)
		return false;
	if (dt->month < 1 || dt->month > 12 || dt->day < 1 || dt->year < 1 || dt->year > 9999 ||
		dt->day > sim_days_in_month(dt->year, dt->month) ||
		dt->hour > 23 || dt->minute > 59 || dt->second > 59)
		return false;
	return true;
}

/* Seconds-since-0001 representation for carrying and comparing. */
static void
dt_add_nanos_carry(EngineDateTime *dt, int64_t nanos_rounded)
{
	int64_t		days = engine_days_from_civil(dt->year, dt->month, dt->day);
	int64_t		secs = dt->hour * 3600 + dt->minute * 60 + dt->second;

	if (nanos_rounded >= 1000000000)
	{
		nanos_rounded -= 1000000000;
		secs++;
		if (secs >= 86400)
		{
			secs -= 86400;
			days++;
		}
	}
	dt->nanos = nanos_rounded;
	engine_civil_from_days(days, &dt->year, &dt->month, &dt->day);
	dt->hour = (int) (secs / 3600);
	dt->minute = (int) ((secs / 60) % 60);
	dt->second = (int) (secs % 60);
}

/*
 * Format dt as the storage form of type t (one of the date/time types).
 * Rounds the fraction to the type's precision.  Returns false when out of
 * the type's range.
 */
bool
engine_format_datetime(EngineDateTime *dt, const SimType *t, char *buf, size_t len)
{
	static const int64_t pow10[] = {1000000000, 100000000, 10000000, 1000000, 100000,
	10000, 1000, 100, 10, 1};
	int			digits = t->scale;
	char		frac[16] = "";

	switch (t->id)
	{
		case SIM_DATE:
			snprintf(buf, len, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
			return true;
		case SIM_DATETIME:
			{
				int64_t		ticks = (dt->nanos * 300 + 500000000) / 1000000000;
				int			ms;

				dt_add_nanos_carry(dt, ticks >= 300 ? 1000000000 : 0);
				if (ticks >= 300)
					ticks = 0;
				ms = (int) ((ticks * 1000 + 150) / 300);
				if (dt->year < 1753)
					return false;
				snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03d", dt->year, dt->month,
						 dt->day, dt->hour, dt->minute, dt->second, ms);
				return true;
			}
		case SIM_SMALLDATETIME:
			{
				int64_t		days = engine_days_from_civil(dt->year, dt->month, dt->day);
				int64_t		mins = dt->hour * 60 + dt->minute;

				if (dt->second * 1000000000LL + dt->nanos >= 29999000000LL)
					mins++;
				if (mins >= 1440)
				{
					mins -= 1440;
					days++;
				}
				engine_civil_from_days(days, &dt->year, &dt->month, &dt->day);
				if (dt->year < 1900 || dt->year > 2079 || (dt->year == 2079 && dt->month > 6))
					return false;
				snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:00", dt->year, dt->month,
						 dt->day, (int) (mins / 60), (int) (mins % 60));
				return true;
			}
		default:
			break;
	}
	if (digits < 0 || digits > 7)
		digits = 7;
	{
		int64_t		unit = pow10[digits];
		int64_t		r = ((dt->nanos + unit / 2) / unit) * unit;

		if (t->id == SIM_TIME && r >= 1000000000 && dt->hour == 23 && dt->minute == 59 &&
			dt->second == 59)
			r = 1000000000 - unit;
		dt_add_nanos_carry(dt, r);
		if (dt->year > 9999)
			return false;
		if (digits > 0)
			snprintf(frac, sizeof(frac), ".%0*lld", digits, (long long) (dt->nanos / unit));
	}
	switch (t->id)
	{
		case SIM_TIME:
			snprintf(buf, len, "%02d:%02d:%02d%s", dt->hour, dt->minute, dt->second, frac);
			break;
		case SIM_DATETIME2:
			snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d%s", dt->year, dt->month,
					 dt->day, dt->hour, dt->minute, dt->second, frac);
			break;
		default:				/* SIM_DATETIMEOFFSET */
			snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d%s %c%02d:%02d", dt->year,
					 dt->month, dt->day, dt->hour, dt->minute, dt->second, frac,
					 dt->offset_min < 0 ? '-' : '+', abs(dt->offset_min) / 60,
					 abs(dt->offset_min) % 60);
			break;
	}
	return true;
}

/* Instant of dt in nanoseconds-ish units for comparison (UTC when offset). */
void
engine_datetime_key(const EngineDateTime *dt, int64_t *secs, int64_t *nanos)
{
	int64_t		days = engine_days_from_civil(dt->year, dt->month, dt->day);

	*secs = days * 86400 + dt->hour * 3600 + dt->minute * 60 + dt->second -
		(int64_t) dt->offset_min * 60;
	*nanos = dt->nanos;
}

/* ------------------------------------------------------------------------
 * The conversion
 * ------------------------------------------------------------------------
 */

static const char *
type_name(const SimType *t, char *buf, size_t len)
{
	SimType		base = *t;

	/* messages name the base type: "int", "numeric", "nvarchar" */
	if (t->id == SIM_DECIMAL || t->id == SIM_NUMERIC)
		return "numeric";
	base.length = 0;
	sim_type_format(&base, buf, len);
	{
		char	   *paren = strchr(buf, '(');

		if (paren)
			*paren = '\0';
	}
	return buf;
}

/*
 * Contract in engine_int.h.
 */
int
engine_text_length(const char *text, int n, bool utf16)
{
	const unsigned char *s = (const unsigned char *) text;
	int			count = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
		{
			count++;
			if (utf16 && s[i] >= 0xF0)
				count++;
		}
	}
	return count;
}

/* Byte length of the first nchars characters. */
static int
char_prefix_bytes(const unsigned char *s, int n, int nchars, bool utf16)
{
	int			count = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
		{
			int			w = (utf16 && s[i] >= 0xF0) ? 2 : 1;

			if (count + w > nchars)
				return i;
			count += w;
		}
	}
	return n;
}

/*
 * A datetime or smalldatetime (storage text) written as an implicit
 * conversion to a string does: style 0, 'Feb 10 2024  1:05PM' (the CAST
 * and CONVERT page: 0 is the default for datetime and smalldatetime).
 * Returns the length written into buf, or 0 when text is no date/time.
 */
static int
datetime_style0(const char *text, char *buf, size_t buflen)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	"Aug", "Sep", "Oct", "Nov", "Dec"};
	EngineDateTime dt;
	int			n;

	if (!engine_parse_datetime(text, &dt) || !dt.has_date || dt.month < 1 || dt.month > 12)
		return 0;
	n = snprintf(buf, buflen, "%s %2d %04d %2d:%02d%s", months[dt.month - 1], dt.day, dt.year,
				 dt.hour % 12 == 0 ? 12 : dt.hour % 12, dt.minute, dt.hour < 12 ? "AM" : "PM");
	return n > 0 && (size_t) n < buflen ? n : 0;
}

/*
 * To a char/varchar/nchar/nvarchar/text/xml storage form: lengths in characters
 * (UTF-16 units for n-types); truncation is 2628 on assignment (errbuf gets
 * the kept prefix), silent in CAST; char(n)/nchar(n) are padded.
 */
static bool
convert_string(sqlite3_value *v, int src, const SimType *t, bool explicit_cast,
			   EngineValue *out, int *errnum, char *errbuf, size_t errlen)
{
	char		tmp[64];
	const unsigned char *s;
	int			n;
	bool		utf16 = (t->id == SIM_NCHAR || t->id == SIM_NVARCHAR || t->id == SIM_NTEXT ||
						 t->id == SIM_SYSNAME);
	int			limit = t->length;
	int			nchars;
	bool		fixed = (t->id == SIM_CHAR || t->id == SIM_NCHAR);

	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			n = snprintf(tmp, sizeof(tmp), "%lld", (long long) sqlite3_value_int64(v));
			s = (const unsigned char *) tmp;
			break;
		case SQLITE_FLOAT:
			n = snprintf(tmp, sizeof(tmp), "%.15g", sqlite3_value_double(v));
			s = (const unsigned char *) tmp;
			break;
		case SQLITE_BLOB:
			s = sqlite3_value_blob(v);
			n = sqlite3_value_bytes(v);
			if (s == NULL)
				s = (const unsigned char *) "";
			break;
		default:
			s = sqlite3_value_text(v);
			n = sqlite3_value_bytes(v);
			if ((src & CV_DATETIME) && s != NULL)
			{
				n = datetime_style0((const char *) s, tmp, sizeof(tmp));
				s = n > 0 ? (const unsigned char *) tmp : sqlite3_value_text(v);
				if (n <= 0)
					n = sqlite3_value_bytes(v);
			}
			break;
	}
	if (t->id == SIM_TEXT || t->id == SIM_NTEXT || t->id == SIM_XML || limit == SIM_MAX_LENGTH ||
		limit <= 0)
	{
		set_text(out, (const char *) s, n);
		return true;
	}
	nchars = engine_text_length((const char *) s, n, utf16);
	if (nchars > limit)
	{
		int			keep = char_prefix_bytes(s, n, limit, utf16);
		int			k;
		bool		only_spaces = true;

		for (k = keep; k < n; k++)
			if (s[k] != ' ')
				only_spaces = false;
		if (!explicit_cast && !only_spaces)
		{
			*errnum = 2628;
			snprintf(errbuf, errlen, "%.*s", keep > 200 ? 200 : keep, s);
			return false;
		}
		if (utf16 && engine_text_length((const char *) s, keep, true) < limit &&
			keep < n && s[keep] >= 0xF0)
		{
			/*
			 * The cut falls inside a surrogate pair: SQL Server keeps the
			 * high surrogate (non-_SC), written in its 3-byte form; the
			 * value then has exactly limit units (no padding).
			 */
			int			m;
			unsigned char *split = engine_utf16_split(s + keep, 4, &m);
			EngineBuf	b;

			ebuf_init(&b);
			ebuf_appendn(&b, (const char *) s, (size_t) keep);
			ebuf_appendn(&b, (const char *) split, 3);
			free(split);
			out->type = SQLITE_TEXT;
			out->p = b.data;
			out->n = (int) b.len;
			return true;
		}
		n = keep;
		nchars = limit;
	}
	if (fixed && nchars < limit)
	{
		EngineBuf	b;

		ebuf_init(&b);
		ebuf_appendn(&b, (const char *) s, (size_t) n);
		while (nchars++ < limit)
			ebuf_appendc(&b, ' ');
		out->type = SQLITE_TEXT;
		out->p = b.data;
		out->n = (int) b.len;
		return true;
	}
	set_text(out, (const char *) s, n);
	return true;
}

/*
 * To a binary/varbinary/image/rowversion BLOB: integers become big-endian
 * bytes, text its bytes; binary(n) is zero-padded; truncation as for strings.
 */
static bool
convert_binary(sqlite3_value *v, const SimType *t, bool explicit_cast,
			   EngineValue *out, int *errnum, char *errbuf, size_t errlen)
{
	unsigned char tmp[8];
	const unsigned char *s;
	int			n;
	int			limit = t->length;

	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			{
				int64_t		x = sqlite3_value_int64(v);
				int			k;

				n = (x >= INT32_MIN && x <= INT32_MAX) ? 4 : 8;
				for (k = 0; k < n; k++)
					tmp[k] = (unsigned char) (x >> (8 * (n - 1 - k)));
				s = tmp;
				break;
			}
		case SQLITE_FLOAT:
			*errnum = 529;
			snprintf(errbuf, errlen, "Explicit conversion from data type float to %s is not allowed.",
					 t->id == SIM_BINARY ? "binary" : "varbinary");
			return false;
		case SQLITE_TEXT:
			s = sqlite3_value_text(v);
			n = sqlite3_value_bytes(v);
			break;
		default:
			s = sqlite3_value_blob(v);
			n = sqlite3_value_bytes(v);
			if (s == NULL)
				s = (const unsigned char *) "";
			break;
	}
	if (t->id == SIM_ROWVERSION)
		limit = 8;
	if (t->id == SIM_IMAGE || limit == SIM_MAX_LENGTH || limit <= 0)
	{
		set_blob(out, s, n);
		return true;
	}
	if (n > limit)
	{
		if (!explicit_cast)
		{
			*errnum = 2628;
			snprintf(errbuf, errlen, "0x...");
			return false;
		}
		n = limit;
	}
	if ((t->id == SIM_BINARY || t->id == SIM_ROWVERSION) && n < limit)
	{
		unsigned char *p = calloc(1, (size_t) limit + 1);

		if (p == NULL)
			abort();
		memcpy(p, s, (size_t) n);
		out->type = SQLITE_BLOB;
		out->p = (char *) p;
		out->n = limit;
		return true;
	}
	set_blob(out, s, n);
	return true;
}

/*
 * To bit/tinyint/smallint/int/bigint: floats truncate toward zero, text must
 * be an integer (245) or a decimal (truncated); range errors are 8115.
 */
static bool
convert_integer(sqlite3_value *v, const char *sname, bool from_text, const SimType *t,
				EngineValue *out, int *errnum, char *errbuf, size_t errlen)
{
	int64_t		x;
	int64_t		lo,
				hi;
	char		tn[32];

	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			x = sqlite3_value_int64(v);
			break;
		case SQLITE_FLOAT:
			{
				double		d = sqlite3_value_double(v);

				if (t->id == SIM_BIT)
				{
					x = d != 0.0;
					break;
				}
				if (d >= 9.3e18 || d <= -9.3e18 || isnan(d))
					goto overflow;
				x = (int64_t) d;	/* truncates toward zero, as SQL Server */
				break;
			}
		case SQLITE_BLOB:
			{
				const unsigned char *b = sqlite3_value_blob(v);
				int			n = sqlite3_value_bytes(v);
				int			k;

				x = 0;
				for (k = 0; k < n && k < 8; k++)
					x = (x << 8) | b[k];
				break;
			}
		default:
			{
				const char *s = (const char *) sqlite3_value_text(v);
				char	   *end;

				while (isspace((unsigned char) *s))
					s++;
				if (t->id == SIM_BIT && (engine_strcasecmp(s, "true") == 0 ||
										 engine_strcasecmp(s, "false") == 0))
				{
					x = (s[0] == 't' || s[0] == 'T');
					break;
				}
				if (*s == '\0')
				{
					x = 0;		/* '' converts to 0 */
					break;
				}
				x = strtoll(s, &end, 10);
				while (isspace((unsigned char) *end))
					end++;
				if (*end != '\0')
				{
					bool		neg;
					char		digits[90];
					int			nd,
								pt;

					/*
					 * a decimal-looking text (a decimal column's value)
					 * truncates; a string holding one is 245
					 */
					if (!from_text && strchr(s, '.') && strpbrk(s, "eE") == NULL &&
						engine_parse_decimal(s, &neg, digits, &nd, &pt))
					{
						x = 0;
						for (int k = 0; k < pt && k < 19; k++)
							x = x * 10 + (k < nd ? digits[k] - '0' : 0);
						if (pt > 18)
							goto overflow;
						if (neg)
							x = -x;
						break;
					}
					*errnum = 245;
					snprintf(errbuf, errlen,
							 "Conversion failed when converting the %s value '%s' to data type %s.",
							 sname, (const char *) sqlite3_value_text(v),
							 type_name(t, tn, sizeof(tn)));
					return false;
				}
				break;
			}
	}
	switch (t->id)
	{
		case SIM_BIT:
			x = x != 0;
			lo = 0;
			hi = 1;
			break;
		case SIM_TINYINT:
			lo = 0;
			hi = 255;
			break;
		case SIM_SMALLINT:
			lo = -32768;
			hi = 32767;
			break;
		case SIM_INT:
			lo = INT32_MIN;
			hi = INT32_MAX;
			break;
		default:
			lo = INT64_MIN;
			hi = INT64_MAX;
			break;
	}
	if (x < lo || x > hi)
		goto overflow;
	out->type = SQLITE_INTEGER;
	out->i = x;
	return true;

overflow:
	*errnum = 8115;
	snprintf(errbuf, errlen, "Arithmetic overflow error converting expression to data type %s.",
			 type_name(t, tn, sizeof(tn)));
	return false;
}

/*
 * To decimal/numeric/money/smallmoney: canonical text rounded half away
 * from zero to the scale; 8114 for non-numbers, 8115 for overflow.
 */
static bool
convert_decimal(sqlite3_value *v, const char *sname, const SimType *t, EngineValue *out,
				int *errnum, char *errbuf, size_t errlen)
{
	char		src[128];
	char		digits[90];
	char		res[160];
	bool		neg;
	int			nd,
				pt;
	int			maxint = t->precision - t->scale;
	int			scale = t->scale;
	bool		is_text = false;

	if (t->id == SIM_MONEY)
		maxint = 15, scale = 4;
	else if (t->id == SIM_SMALLMONEY)
		maxint = 6, scale = 4;
	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			snprintf(src, sizeof(src), "%lld", (long long) sqlite3_value_int64(v));
			break;
		case SQLITE_FLOAT:
			/* 1.5 and 0.1, not 0.10000000000000001 */
			engine_double_text(sqlite3_value_double(v), src, sizeof(src));
			break;
		case SQLITE_BLOB:
			*errnum = 8114;
			snprintf(errbuf, errlen, "Error converting data type varbinary to numeric.");
			return false;
		default:
			snprintf(src, sizeof(src), "%s", (const char *) sqlite3_value_text(v));
			is_text = true;
			break;
	}
	if (!engine_parse_decimal(src, &neg, digits, &nd, &pt))
	{
		*errnum = 8114;
		snprintf(errbuf, errlen, "Error converting data type %s to %s.",
				 is_text ? sname : "float",
				 (t->id == SIM_MONEY || t->id == SIM_SMALLMONEY) ? "money" : "numeric");
		return false;
	}
	if (!format_decimal(neg, digits, nd, pt, scale, maxint, res))
		goto overflow;
	if (t->id == SIM_MONEY || t->id == SIM_SMALLMONEY)
	{
		const char *lim = t->id == SIM_MONEY ? "922337203685477.5807" : "214748.3647";
		const char *r = res[0] == '-' ? res + 1 : res;

		if (engine_decimal_cmp(r, (int) strlen(r), lim, (int) strlen(lim)) > 0 &&
			!(res[0] == '-' && engine_decimal_cmp(r, (int) strlen(r),
												  t->id == SIM_MONEY ? "922337203685477.5808" : "214748.3648",
												  t->id == SIM_MONEY ? 20 : 11) == 0))
			goto overflow;
	}
	set_text(out, res, (int) strlen(res));
	return true;

overflow:
	*errnum = 8115;
	if (t->id == SIM_MONEY || t->id == SIM_SMALLMONEY)
		snprintf(errbuf, errlen, "Arithmetic overflow error converting expression to data type %s.",
				 t->id == SIM_MONEY ? "money" : "smallmoney");
	else
		snprintf(errbuf, errlen, "Arithmetic overflow error converting %s to data type numeric.",
				 is_text ? sname : "numeric");
	return false;
}

/*
 * To float/real (real rounded to single precision); 8114 for non-numbers.
 */
static bool
convert_float(sqlite3_value *v, const char *sname, const SimType *t, EngineValue *out,
			  int *errnum, char *errbuf, size_t errlen)
{
	double		d;

	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
		case SQLITE_FLOAT:
			d = sqlite3_value_double(v);
			break;
		default:
			{
				const char *s = (const char *) sqlite3_value_text(v);
				char	   *end;

				d = strtod(s, &end);
				while (isspace((unsigned char) *end))
					end++;
				if (end == s || *end != '\0')
				{
					*errnum = 8114;
					snprintf(errbuf, errlen, "Error converting data type %s to float.", sname);
					return false;
				}
				break;
			}
	}
	if (t->id == SIM_REAL)
		d = (double) (float) d;
	out->type = SQLITE_FLOAT;
	out->d = d;
	return true;
}

/*
 * To a date/time type from text (241 unparsable, 242 out of range).
 */
static bool
convert_temporal(sqlite3_value *v, const char *sname, const SimType *t, EngineValue *out,
				 int *errnum, char *errbuf, size_t errlen)
{
	EngineDateTime dt;
	char		buf[64];
	const char *s;
	char		tn[32];

	if (sqlite3_value_type(v) != SQLITE_TEXT)
	{
		*errnum = 529;
		snprintf(errbuf, errlen, "Explicit conversion from data type %s to %s is not allowed.",
				 sqlite3_value_type(v) == SQLITE_INTEGER ? "int" :
				 sqlite3_value_type(v) == SQLITE_FLOAT ? "float" : "varbinary",
				 type_name(t, tn, sizeof(tn)));
		return false;
	}
	s = (const char *) sqlite3_value_text(v);
	if (!engine_parse_datetime(s, &dt) || (t->id == SIM_DATE && !dt.has_date && dt.has_time &&
										  false))
	{
		*errnum = 241;
		snprintf(errbuf, errlen, "Conversion failed when converting date and/or time from character string.");
		return false;
	}
	if (t->id == SIM_DATETIMEOFFSET && !dt.has_offset)
		dt.offset_min = 0;
	if (!engine_format_datetime(&dt, t, buf, sizeof(buf)))
	{
		*errnum = 242;
		snprintf(errbuf, errlen, "The conversion of a %s data type to a %s data type resulted in an out-of-range value.",
				 sname, type_name(t, tn, sizeof(tn)));
		return false;
	}
	set_text(out, buf, (int) strlen(buf));
	return true;
}

/*
 * To uniqueidentifier text (upper case) from text with or without braces,
 * or from 16 bytes in SQL Server's byte order; 8169 otherwise.
 */
static bool
convert_guid(sqlite3_value *v, EngineValue *out, int *errnum, char *errbuf, size_t errlen)
{
	char		buf[37];

	if (sqlite3_value_type(v) == SQLITE_BLOB && sqlite3_value_bytes(v) == 16)
	{
		const unsigned char *b = sqlite3_value_blob(v);

		/* SQL Server's byte order: first three groups little-endian */
		snprintf(buf, sizeof(buf),
				 "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
				 b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10],
				 b[11], b[12], b[13], b[14], b[15]);
		set_text(out, buf, 36);
		return true;
	}
	if (sqlite3_value_type(v) == SQLITE_TEXT)
	{
		const char *s = (const char *) sqlite3_value_text(v);
		int			k,
					n = 0;
		bool		brace = false;

		while (isspace((unsigned char) *s))
			s++;
		if (*s == '{')
		{
			brace = true;
			s++;
		}
		for (k = 0; s[k] && n < 36; k++)
		{
			bool		dash = (n == 8 || n == 13 || n == 18 || n == 23);

			if (dash)
			{
				if (s[k] != '-')
					break;
				buf[n++] = '-';
			}
			else if (isxdigit((unsigned char) s[k]))
				buf[n++] = (char) toupper((unsigned char) s[k]);
			else
				break;
		}
		if (n == 36)
		{
			const char *rest = s + k;

			if (brace && *rest == '}')
				rest++;
			while (isspace((unsigned char) *rest))
				rest++;
			if (*rest == '\0')
			{
				buf[36] = '\0';
				set_text(out, buf, 36);
				return true;
			}
		}
	}
	*errnum = 8169;
	snprintf(errbuf, errlen, "Conversion failed when converting from a character string to uniqueidentifier.");
	return false;
}

/*
 * Dispatch on the target type (contract in engine.h); text is taken to be
 * varchar in messages.
 */
bool
engine_convert(sqlite3_value *v, const SimType *t, bool explicit_cast,
			   EngineValue *out, int *errnum, char *errbuf, size_t errlen)
{
	return engine_convert_from(v, 0, t, explicit_cast, out, errnum, errbuf, errlen);
}

/*
 * Contract in engine_int.h.
 */
int
engine_type_src_flags(const SimType *t)
{
	switch (t->id)
	{
		case SIM_NCHAR:
		case SIM_NVARCHAR:
		case SIM_NTEXT:
		case SIM_SYSNAME:
			return CV_TEXT | CV_UNICODE;
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_TEXT:
			return CV_TEXT;
		case SIM_DATETIME:
		case SIM_SMALLDATETIME:
			return CV_DATETIME;
		default:
			return 0;
	}
}

/*
 * Contract in engine_int.h.
 */
bool
engine_convert_from(sqlite3_value *v, int src, const SimType *t,
					bool explicit_cast, EngineValue *out, int *errnum, char *errbuf,
					size_t errlen)
{
	const char *sname = (src & CV_UNICODE) ? "nvarchar" : "varchar";

	memset(out, 0, sizeof(*out));
	out->type = SQLITE_NULL;
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return true;
	switch (t->id)
	{
		case SIM_BIT:
		case SIM_TINYINT:
		case SIM_SMALLINT:
		case SIM_INT:
		case SIM_BIGINT:
			return convert_integer(v, sname, (src & CV_TEXT) != 0, t, out, errnum, errbuf, errlen);
		case SIM_DECIMAL:
		case SIM_NUMERIC:
		case SIM_MONEY:
		case SIM_SMALLMONEY:
			return convert_decimal(v, sname, t, out, errnum, errbuf, errlen);
		case SIM_FLOAT:
		case SIM_REAL:
			return convert_float(v, sname, t, out, errnum, errbuf, errlen);
		case SIM_DATE:
		case SIM_TIME:
		case SIM_DATETIME:
		case SIM_DATETIME2:
		case SIM_SMALLDATETIME:
		case SIM_DATETIMEOFFSET:
			return convert_temporal(v, sname, t, out, errnum, errbuf, errlen);
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_NCHAR:
		case SIM_NVARCHAR:
		case SIM_TEXT:
		case SIM_NTEXT:
		case SIM_XML:
		case SIM_SYSNAME:
			return convert_string(v, src, t, explicit_cast, out, errnum, errbuf, errlen);
		case SIM_BINARY:
		case SIM_VARBINARY:
		case SIM_IMAGE:
		case SIM_ROWVERSION:
			return convert_binary(v, t, explicit_cast, out, errnum, errbuf, errlen);
		case SIM_UNIQUEIDENTIFIER:
			return convert_guid(v, out, errnum, errbuf, errlen);
	}
	*errnum = 529;
	snprintf(errbuf, errlen, "Explicit conversion to this data type is not allowed.");
	return false;
}
