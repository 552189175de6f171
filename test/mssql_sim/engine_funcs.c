/*
 * engine_funcs.c
 *		SQLite collations and functions that give SQL Server semantics:
 *		the SIM_CI / SIM_NUM / SIM_DT collations, the conversion function
 *		behind CAST/CONVERT/assignments, and T-SQL built-ins (LEN,
 *		CHARINDEX, GETDATE, NEWID, OBJECT_ID, DB_NAME, ...).
 *
 * Every function gets the SimSession as user data.
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
 * Errors raised from functions
 * ------------------------------------------------------------------------
 */

void
engine_func_error(sqlite3_context *ctx, int number, const char *text)
{
	char		buf[1024];

	snprintf(buf, sizeof(buf), ENGINE_ERR_PREFIX "%d:%s", number, text);
	sqlite3_result_error(ctx, buf, -1);
}

bool
engine_parse_func_error(const char *msg, int *number, const char **text)
{
	const char *p;

	if (msg == NULL)
		return false;
	p = strstr(msg, ENGINE_ERR_PREFIX);
	if (p == NULL)
		return false;
	p += strlen(ENGINE_ERR_PREFIX);
	*number = atoi(p);
	p = strchr(p, ':');
	*text = p ? p + 1 : "";
	return true;
}

/* ------------------------------------------------------------------------
 * Collations
 * ------------------------------------------------------------------------
 */

/* Next code point of a UTF-8 string, folded to lower case for Latin-1. */
static unsigned
next_folded(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	unsigned	c = *s++;

	if (c >= 0xC0 && s < end)
	{
		int			extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;

		c &= (0x3F >> extra);
		while (extra-- > 0 && s < end)
			c = (c << 6) | (*s++ & 0x3F);
	}
	*p = s;
	if (c >= 'A' && c <= 'Z')
		c += 32;
	else if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		c += 32;
	return c;
}

static int
trimmed_len(const unsigned char *s, int n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}

/* SQL_Latin1_General_CP1_CI_AS-like: case-insensitive, trailing spaces ignored. */
static int
coll_ci(void *arg, int alen, const void *a, int blen, const void *b)
{
	const unsigned char *pa = a,
			   *pb = b;
	const unsigned char *ea = pa + trimmed_len(pa, alen);
	const unsigned char *eb = pb + trimmed_len(pb, blen);

	(void) arg;
	while (pa < ea && pb < eb)
	{
		unsigned	ca = next_folded(&pa, ea);
		unsigned	cb = next_folded(&pb, eb);

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (pa < ea)
		return 1;
	if (pb < eb)
		return -1;
	return 0;
}

static int
coll_num(void *arg, int alen, const void *a, int blen, const void *b)
{
	(void) arg;
	return engine_decimal_cmp(a, alen, b, blen);
}

static int
coll_dt(void *arg, int alen, const void *a, int blen, const void *b)
{
	char		ab[80],
				bb[80];
	EngineDateTime da,
				db;
	int64_t		sa,
				na,
				sb,
				nb;
	int			r;

	(void) arg;
	if (alen < (int) sizeof(ab) && blen < (int) sizeof(bb))
	{
		memcpy(ab, a, (size_t) alen);
		ab[alen] = '\0';
		memcpy(bb, b, (size_t) blen);
		bb[blen] = '\0';
		if (engine_parse_datetime(ab, &da) && engine_parse_datetime(bb, &db))
		{
			engine_datetime_key(&da, &sa, &na);
			engine_datetime_key(&db, &sb, &nb);
			if (sa != sb)
				return sa < sb ? -1 : 1;
			if (na != nb)
				return na < nb ? -1 : 1;
			return 0;
		}
	}
	r = memcmp(a, b, (size_t) (alen < blen ? alen : blen));
	return r ? r : alen - blen;
}

void
engine_collations_create(sqlite3 *db)
{
	sqlite3_create_collation(db, "SIM_CI", SQLITE_UTF8, NULL, coll_ci);
	sqlite3_create_collation(db, "SIM_NUM", SQLITE_UTF8, NULL, coll_num);
	sqlite3_create_collation(db, "SIM_DT", SQLITE_UTF8, NULL, coll_dt);
}

/* ------------------------------------------------------------------------
 * LIKE with T-SQL's patterns ([set], [^set], [a-z]) and the CI collation
 * ------------------------------------------------------------------------
 */

/* Match a [...] set at *pp against c; advances *pp past the ']'. */
static bool
like_set(const unsigned char **pp, const unsigned char *pe, unsigned c, bool *ok)
{
	const unsigned char *p = *pp;
	bool		negate = false;
	bool		match = false;
	unsigned	prev = 0;
	bool		have_prev = false;

	if (p < pe && *p == '^')
	{
		negate = true;
		p++;
	}
	while (p < pe && *p != ']')
	{
		unsigned	x = next_folded(&p, pe);

		if (x == '-' && have_prev && p < pe && *p != ']')
		{
			unsigned	hi = next_folded(&p, pe);

			if (c >= prev && c <= hi)
				match = true;
			have_prev = false;
			continue;
		}
		if (x == c)
			match = true;
		prev = x;
		have_prev = true;
	}
	if (p >= pe)
	{
		*ok = false;			/* no closing bracket: not a set */
		return false;
	}
	*pp = p + 1;
	*ok = true;
	return negate ? !match : match;
}

static bool
like_match(const unsigned char *p, const unsigned char *pe, const unsigned char *s,
		   const unsigned char *se, unsigned esc)
{
	while (p < pe)
	{
		const unsigned char *pstart = p;
		unsigned	pc = next_folded(&p, pe);

		if (esc && pc == esc && p < pe)
		{
			unsigned	lit = next_folded(&p, pe);

			if (s >= se || next_folded(&s, se) != lit)
				return false;
			continue;
		}
		if (pc == '%')
		{
			while (p < pe && *p == '%')
				p++;
			if (p >= pe)
				return true;
			while (s <= se)
			{
				if (like_match(p, pe, s, se, esc))
					return true;
				if (s >= se)
					break;
				next_folded(&s, se);
			}
			return false;
		}
		if (s >= se)
			return false;
		if (pc == '_')
		{
			next_folded(&s, se);
			continue;
		}
		if (pc == '[')
		{
			const unsigned char *q = p;
			bool		ok;
			unsigned	sc;
			const unsigned char *s2 = s;

			sc = next_folded(&s2, se);
			if (like_set(&q, pe, sc, &ok))
			{
				p = q;
				s = s2;
				continue;
			}
			if (ok)
				return false;
			p = pstart + 1;		/* a lone '[' matches itself */
		}
		if (next_folded(&s, se) != pc)
			return false;
	}
	/* trailing spaces of the value do not matter (as for '=') */
	while (s < se && *s == ' ')
		s++;
	return s >= se;
}

/* like(pattern, value [, escape]): SQLite calls it for "value LIKE pattern" */
static void
fn_like(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *p,
			   *v;
	unsigned	esc = 0;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	p = sqlite3_value_text(argv[0]);
	v = sqlite3_value_text(argv[1]);
	if (argc == 3 && sqlite3_value_type(argv[2]) != SQLITE_NULL)
	{
		const unsigned char *e = sqlite3_value_text(argv[2]);

		esc = next_folded(&e, e + sqlite3_value_bytes(argv[2]));
	}
	sqlite3_result_int(ctx, like_match(p, p + sqlite3_value_bytes(argv[0]), v,
									   v + sqlite3_value_bytes(argv[1]), esc));
}

/* ------------------------------------------------------------------------
 * Conversion
 * ------------------------------------------------------------------------
 */

/* __sim_cv(value, type_id, length, precision, scale, explicit) */
static void
fn_cv(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimType		t;
	EngineValue ev;
	int			errnum = 0;
	char		err[512];

	(void) argc;
	t.id = (SimTypeId) sqlite3_value_int(argv[1]);
	t.length = sqlite3_value_int(argv[2]);
	t.precision = sqlite3_value_int(argv[3]);
	t.scale = sqlite3_value_int(argv[4]);
	if (!engine_convert(argv[0], &t, sqlite3_value_int(argv[5]) != 0, &ev, &errnum, err, sizeof(err)))
	{
		if (errnum == 2628)
		{
			char		msg[700];

			snprintf(msg, sizeof(msg), "String or binary data would be truncated.");
			engine_func_error(ctx, 8152, msg);
		}
		else
			engine_func_error(ctx, errnum, err);
		return;
	}
	engine_value_result(ctx, &ev);
}

/* __sim_try_cv: like __sim_cv but NULL on failure (TRY_CAST/TRY_CONVERT) */
static void
fn_try_cv(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimType		t;
	EngineValue ev;
	int			errnum = 0;
	char		err[512];

	(void) argc;
	t.id = (SimTypeId) sqlite3_value_int(argv[1]);
	t.length = sqlite3_value_int(argv[2]);
	t.precision = sqlite3_value_int(argv[3]);
	t.scale = sqlite3_value_int(argv[4]);
	if (!engine_convert(argv[0], &t, true, &ev, &errnum, err, sizeof(err)))
	{
		sqlite3_result_null(ctx);
		return;
	}
	engine_value_result(ctx, &ev);
}

/* __sim_nz(x): x, or error 8134 when x is zero (the divisor of / and %) */
static void
fn_nz(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	switch (sqlite3_value_type(argv[0]))
	{
		case SQLITE_INTEGER:
			if (sqlite3_value_int64(argv[0]) == 0)
			{
				engine_func_error(ctx, 8134, "Divide by zero error encountered.");
				return;
			}
			break;
		case SQLITE_FLOAT:
			if (sqlite3_value_double(argv[0]) == 0.0)
			{
				engine_func_error(ctx, 8134, "Divide by zero error encountered.");
				return;
			}
			break;
		case SQLITE_TEXT:
			{
				bool		neg;
				char		d[90];
				int			nd,
							pt;

				if (engine_parse_decimal((const char *) sqlite3_value_text(argv[0]), &neg, d, &nd, &pt) &&
					nd == 0)
				{
					engine_func_error(ctx, 8134, "Divide by zero error encountered.");
					return;
				}
				break;
			}
		default:
			break;
	}
	sqlite3_result_value(ctx, argv[0]);
}

/* ------------------------------------------------------------------------
 * Strings
 * ------------------------------------------------------------------------
 */

static int
utf8_chars(const unsigned char *s, int n)
{
	int			c = 0,
				i;

	for (i = 0; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* byte offset of character index k (0-based) */
static int
utf8_offset(const unsigned char *s, int n, int k)
{
	int			c = 0,
				i;

	for (i = 0; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
		{
			if (c == k)
				return i;
			c++;
		}
	return n;
}

static void
fn_len(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	int			n;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	s = sqlite3_value_text(argv[0]);
	n = trimmed_len(s, sqlite3_value_bytes(argv[0]));
	sqlite3_result_int(ctx, utf8_chars(s, n));
}

static void
fn_datalength(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	switch (sqlite3_value_type(argv[0]))
	{
		case SQLITE_NULL:
			return;
		case SQLITE_INTEGER:
			sqlite3_result_int(ctx, 4);
			return;
		case SQLITE_FLOAT:
			sqlite3_result_int(ctx, 8);
			return;
		default:
			sqlite3_result_int(ctx, sqlite3_value_bytes(argv[0]));
	}
}

/* CHARINDEX(needle, haystack [, start]) with the CI collation */
static void
fn_charindex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *nd,
			   *hs;
	int			nn,
				hn,
				start = 1,
				pos,
				k;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	nd = sqlite3_value_text(argv[0]);
	nn = sqlite3_value_bytes(argv[0]);
	hs = sqlite3_value_text(argv[1]);
	hn = sqlite3_value_bytes(argv[1]);
	if (argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL)
		start = sqlite3_value_int(argv[2]);
	if (start < 1)
		start = 1;
	if (nn == 0)
	{
		sqlite3_result_int(ctx, 0);
		return;
	}
	pos = utf8_offset(hs, hn, start - 1);
	for (k = start; pos + nn <= hn; k++)
	{
		const unsigned char *a = hs + pos,
				   *b = nd;
		const unsigned char *ea = hs + pos + nn,
				   *eb = nd + nn;
		bool		eq = true;

		while (a < ea && b < eb)
			if (next_folded(&a, ea) != next_folded(&b, eb))
			{
				eq = false;
				break;
			}
		if (eq)
		{
			sqlite3_result_int(ctx, k);
			return;
		}
		pos++;
		while (pos < hn && (hs[pos] & 0xC0) == 0x80)
			pos++;
	}
	sqlite3_result_int(ctx, 0);
}

static void
fn_left(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	int			n,
				k;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	s = sqlite3_value_text(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	k = sqlite3_value_int(argv[1]);
	if (k < 0)
	{
		engine_func_error(ctx, 536, "Invalid length parameter passed to the left function.");
		return;
	}
	sqlite3_result_text(ctx, (const char *) s, utf8_offset(s, n, k), SQLITE_TRANSIENT);
}

static void
fn_right(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	int			n,
				k,
				total,
				off;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	s = sqlite3_value_text(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	k = sqlite3_value_int(argv[1]);
	if (k < 0)
	{
		engine_func_error(ctx, 536, "Invalid length parameter passed to the right function.");
		return;
	}
	total = utf8_chars(s, n);
	off = k >= total ? 0 : utf8_offset(s, n, total - k);
	sqlite3_result_text(ctx, (const char *) s + off, n - off, SQLITE_TRANSIENT);
}

/* SUBSTRING(s, start, length): 1-based; start < 1 eats into the length */
static void
fn_substring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			start,
				len,
				n,
				b0,
				b1;
	bool		blob;
	const unsigned char *s;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL ||
		sqlite3_value_type(argv[2]) == SQLITE_NULL)
		return;
	start = sqlite3_value_int(argv[1]);
	len = sqlite3_value_int(argv[2]);
	if (len < 0)
	{
		engine_func_error(ctx, 537, "Invalid length parameter passed to the substring function.");
		return;
	}
	if (start < 1)
	{
		len += start - 1;
		start = 1;
	}
	if (len < 0)
		len = 0;
	blob = sqlite3_value_type(argv[0]) == SQLITE_BLOB;
	if (blob)
	{
		s = sqlite3_value_blob(argv[0]);
		n = sqlite3_value_bytes(argv[0]);
		b0 = start - 1 > n ? n : start - 1;
		b1 = b0 + len > n ? n : b0 + len;
		sqlite3_result_blob(ctx, s ? (const char *) s + b0 : "", b1 - b0, SQLITE_TRANSIENT);
		return;
	}
	s = sqlite3_value_text(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	b0 = utf8_offset(s, n, start - 1);
	b1 = utf8_offset(s, n, start - 1 + len);
	sqlite3_result_text(ctx, (const char *) s + b0, b1 - b0, SQLITE_TRANSIENT);
}

static void
fn_replicate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineBuf	b;
	int			k,
				n;
	const char *s;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	s = (const char *) sqlite3_value_text(argv[0]);
	n = sqlite3_value_int(argv[1]);
	if (n < 0)
		return;
	ebuf_init(&b);
	for (k = 0; k < n && b.len < 100000000; k++)
		ebuf_append(&b, s);
	sqlite3_result_text(ctx, b.data, (int) b.len, free);
}

static void
fn_space(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			n;
	char	   *p;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	n = sqlite3_value_int(argv[0]);
	if (n < 0)
		return;
	p = emalloc((size_t) n + 1);
	memset(p, ' ', (size_t) n);
	sqlite3_result_text(ctx, p, n, free);
}

/* CONCAT(a, b, ...): NULLs are empty strings */
static void
fn_concat(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineBuf	b;
	int			k;

	ebuf_init(&b);
	for (k = 0; k < argc; k++)
		if (sqlite3_value_type(argv[k]) != SQLITE_NULL)
			ebuf_appendn(&b, (const char *) sqlite3_value_text(argv[k]),
						 (size_t) sqlite3_value_bytes(argv[k]));
	sqlite3_result_text(ctx, b.data, (int) b.len, free);
}

static void
fn_isnumeric(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	bool		neg;
	char		d[90];
	int			nd,
				pt;

	(void) argc;
	switch (sqlite3_value_type(argv[0]))
	{
		case SQLITE_INTEGER:
		case SQLITE_FLOAT:
			sqlite3_result_int(ctx, 1);
			return;
		case SQLITE_TEXT:
			sqlite3_result_int(ctx, engine_parse_decimal((const char *) sqlite3_value_text(argv[0]),
														 &neg, d, &nd, &pt) ? 1 : 0);
			return;
		default:
			sqlite3_result_int(ctx, 0);
	}
}

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

static void
fn_datepart(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	DatePart	dp;
	EngineDateTime dt;
	int64_t		r;
	int64_t		days;

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

				r = ((days + 1) / 7) - ((jan1 + 1) / 7) + 1;
				break;
			}
		case DP_WEEKDAY:
			/* 0001-01-01 was a Monday; DATEFIRST 7 makes Sunday 1 */
			r = ((days + 1) % 7) + 1;
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
 * Identity, GUIDs
 * ------------------------------------------------------------------------
 */

void
engine_new_guid(char *buf)
{
	static __thread unsigned long long state;
	unsigned char b[16];
	int			k;

	if (state == 0)
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		state = ((unsigned long long) ts.tv_nsec << 20) ^ (unsigned long long) ts.tv_sec ^
			(unsigned long long) (uintptr_t) &k;
	}
	for (k = 0; k < 16; k++)
	{
		/* xorshift64* */
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		b[k] = (unsigned char) ((state * 2685821657736338717ULL) >> 56);
	}
	b[6] = (b[6] & 0x0F) | 0x40;
	b[8] = (b[8] & 0x3F) | 0x80;
	snprintf(buf, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
			 b[12], b[13], b[14], b[15]);
}

/* __sim_rowversion(): the database's next rowversion, 8 bytes big-endian */
static void
fn_rowversion(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	unsigned char b[8];

	(void) argc;
	(void) argv;
	engine_rowversion_blob(engine_rowversion_next(s), b);
	sqlite3_result_blob(ctx, b, 8, SQLITE_TRANSIENT);
}

static void
fn_newid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char		buf[37];

	(void) argc;
	(void) argv;
	engine_new_guid(buf);
	sqlite3_result_text(ctx, buf, 36, SQLITE_TRANSIENT);
}

/* ------------------------------------------------------------------------
 * Catalog functions
 * ------------------------------------------------------------------------
 */

/* Run a one-value query with up to two text/int bindings; result copied. */
static void
catalog_scalar(sqlite3_context *ctx, const char *sql, sqlite3_value *a, sqlite3_value *b)
{
	sqlite3    *db = sqlite3_context_db_handle(ctx);
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
	{
		sqlite3_result_error(ctx, sqlite3_errmsg(db), -1);
		return;
	}
	if (a)
		sqlite3_bind_value(stmt, 1, a);
	if (b)
		sqlite3_bind_value(stmt, 2, b);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(stmt, 0));
	sqlite3_finalize(stmt);
}

static void
fn_db_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	char		sql[256];

	if (argc == 0 || sqlite3_value_type(argv[0]) == SQLITE_NULL)
	{
		if (argc == 0)
			sqlite3_result_text(ctx, s->dbname, -1, SQLITE_TRANSIENT);
		return;
	}
	snprintf(sql, sizeof(sql), "SELECT name FROM %s.__sim_databases WHERE database_id = ?1",
			 s->master_schema);
	catalog_scalar(ctx, sql, argv[0], NULL);
}

static void
fn_db_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	char		sql[256];

	if (argc == 0)
	{
		sqlite3_result_int(ctx, s->database_id);
		return;
	}
	snprintf(sql, sizeof(sql), "SELECT database_id FROM %s.__sim_databases WHERE name = ?1",
			 s->master_schema);
	catalog_scalar(ctx, sql, argv[0], NULL);
}

static void
fn_schema_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (argc == 0)
	{
		sqlite3_result_text(ctx, "dbo", -1, SQLITE_STATIC);
		return;
	}
	catalog_scalar(ctx, "SELECT name FROM main.__sim_schemas WHERE schema_id = ?1", argv[0], NULL);
}

static void
fn_schema_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (argc == 0)
	{
		sqlite3_result_int(ctx, 1);
		return;
	}
	catalog_scalar(ctx, "SELECT schema_id FROM main.__sim_schemas WHERE name = ?1", argv[0], NULL);
}

/* OBJECT_ID('[db.][schema.]name' [, 'type']) */
static void
fn_object_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	char		dbp[ENGINE_NAME_LEN],
				sch[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	sqlite3    *db = sqlite3_context_db_handle(ctx);
	sqlite3_stmt *stmt;
	const char *type = NULL;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	if (!engine_split_name((const char *) sqlite3_value_text(argv[0]), dbp, sch, name, ENGINE_NAME_LEN))
		return;
	if (dbp[0] && engine_strcasecmp(dbp, s->dbname) != 0)
		return;					/* other databases: not supported, NULL */
	if (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_TEXT)
		type = (const char *) sqlite3_value_text(argv[1]);
	if (sqlite3_prepare_v2(db,
						   "SELECT o.object_id FROM main.__sim_objects o "
						   "JOIN main.__sim_schemas s ON s.schema_id = o.schema_id "
						   "WHERE s.name = ?1 AND o.name = ?2 AND (?3 IS NULL OR trim(o.type) = trim(?3))",
						   -1, &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(stmt, 1, sch[0] ? sch : "dbo", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	if (type)
		sqlite3_bind_text(stmt, 3, type, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sqlite3_result_int64(ctx, sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
}

static void
fn_object_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	catalog_scalar(ctx, "SELECT name FROM main.__sim_objects WHERE object_id = ?1", argv[0], NULL);
}

static void
fn_object_schema_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	catalog_scalar(ctx, "SELECT s.name FROM main.__sim_objects o JOIN main.__sim_schemas s "
				   "ON s.schema_id = o.schema_id WHERE o.object_id = ?1", argv[0], NULL);
}

/* COLUMNPROPERTY(object_id, column, property) for ColumnId, AllowsNull, IsIdentity */
static void
fn_columnproperty(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *prop;
	char		sql[256];

	(void) argc;
	if (sqlite3_value_type(argv[2]) != SQLITE_TEXT)
		return;
	prop = (const char *) sqlite3_value_text(argv[2]);
	if (engine_strcasecmp(prop, "ColumnId") == 0)
		snprintf(sql, sizeof(sql), "SELECT column_id");
	else if (engine_strcasecmp(prop, "AllowsNull") == 0)
		snprintf(sql, sizeof(sql), "SELECT is_nullable");
	else if (engine_strcasecmp(prop, "IsIdentity") == 0)
		snprintf(sql, sizeof(sql), "SELECT is_identity");
	else if (engine_strcasecmp(prop, "Precision") == 0)
		snprintf(sql, sizeof(sql), "SELECT precision");
	else if (engine_strcasecmp(prop, "Scale") == 0)
		snprintf(sql, sizeof(sql), "SELECT scale");
	else
		return;
	strncat(sql, " FROM main.__sim_columns WHERE object_id = ?1 AND name = ?2",
			sizeof(sql) - strlen(sql) - 1);
	catalog_scalar(ctx, sql, argv[0], argv[1]);
}

static void
fn_ident_current(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	char		dbp[ENGINE_NAME_LEN],
				sch[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	sqlite3    *db = sqlite3_context_db_handle(ctx);
	sqlite3_stmt *stmt;

	(void) argc;
	(void) s;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
		!engine_split_name((const char *) sqlite3_value_text(argv[0]), dbp, sch, name, ENGINE_NAME_LEN))
		return;
	if (sqlite3_prepare_v2(db,
						   "SELECT coalesce(i.last_value, c.seed) FROM main.__sim_objects o "
						   "JOIN main.__sim_schemas s ON s.schema_id = o.schema_id "
						   "JOIN main.__sim_columns c ON c.object_id = o.object_id AND c.is_identity = 1 "
						   "LEFT JOIN main.__sim_identity i ON i.object_id = o.object_id "
						   "WHERE s.name = ?1 AND o.name = ?2", -1, &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(stmt, 1, sch[0] ? sch : "dbo", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(stmt, 0));
	sqlite3_finalize(stmt);
}

static void
fn_suser_sname(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);

	(void) argc;
	(void) argv;
	sqlite3_result_text(ctx, s->user, -1, SQLITE_TRANSIENT);
}

static void
fn_user_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);

	(void) argc;
	(void) argv;
	sqlite3_result_text(ctx, engine_strcasecmp(s->user, "sa") == 0 ? "dbo" : s->user, -1,
						SQLITE_TRANSIENT);
}

static void
fn_host_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	(void) argv;
	sqlite3_result_text(ctx, "localhost", -1, SQLITE_STATIC);
}

static void
fn_serverproperty(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *p;

	(void) argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT)
		return;
	p = (const char *) sqlite3_value_text(argv[0]);
	if (engine_strcasecmp(p, "ProductVersion") == 0)
		sqlite3_result_text(ctx, "16.0.1000.6", -1, SQLITE_STATIC);
	else if (engine_strcasecmp(p, "ProductMajorVersion") == 0)
		sqlite3_result_text(ctx, "16", -1, SQLITE_STATIC);
	else if (engine_strcasecmp(p, "Edition") == 0)
		sqlite3_result_text(ctx, "Developer Edition (64-bit)", -1, SQLITE_STATIC);
	else if (engine_strcasecmp(p, "EngineEdition") == 0)
		sqlite3_result_int(ctx, 3);
	else if (engine_strcasecmp(p, "ServerName") == 0 || engine_strcasecmp(p, "MachineName") == 0)
		sqlite3_result_text(ctx, engine_server_name(), -1, SQLITE_TRANSIENT);
	else if (engine_strcasecmp(p, "Collation") == 0)
		sqlite3_result_text(ctx, "SQL_Latin1_General_CP1_CI_AS", -1, SQLITE_STATIC);
	else if (engine_strcasecmp(p, "IsIntegratedSecurityOnly") == 0)
		sqlite3_result_int(ctx, 0);
}

/* ------------------------------------------------------------------------
 * Registration on a handle
 * ------------------------------------------------------------------------
 */

typedef struct FuncDef
{
	const char *name;
	int			nargs;
	bool		deterministic;
	void		(*fn) (sqlite3_context *, int, sqlite3_value **);
} FuncDef;

static const FuncDef builtin_funcs[] = {
	{"__sim_cv", 6, true, fn_cv},
	{"__sim_try_cv", 6, true, fn_try_cv},
	{"__sim_nz", 1, true, fn_nz},
	{"like", 2, true, fn_like},
	{"like", 3, true, fn_like},
	{"len", 1, true, fn_len},
	{"datalength", 1, true, fn_datalength},
	{"charindex", 2, true, fn_charindex},
	{"charindex", 3, true, fn_charindex},
	{"sim_left", 2, true, fn_left},
	{"sim_right", 2, true, fn_right},
	{"substring", 3, true, fn_substring},
	{"replicate", 2, true, fn_replicate},
	{"space", 1, true, fn_space},
	{"concat", -1, true, fn_concat},
	{"isnumeric", 1, true, fn_isnumeric},
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
	{"newid", 0, false, fn_newid},
	{"__sim_rowversion", 0, false, fn_rowversion},
	{"db_name", 0, false, fn_db_name},
	{"db_name", 1, false, fn_db_name},
	{"db_id", 0, false, fn_db_id},
	{"db_id", 1, false, fn_db_id},
	{"schema_name", 0, false, fn_schema_name},
	{"schema_name", 1, false, fn_schema_name},
	{"schema_id", 0, false, fn_schema_id},
	{"schema_id", 1, false, fn_schema_id},
	{"object_id", 1, false, fn_object_id},
	{"object_id", 2, false, fn_object_id},
	{"object_name", 1, false, fn_object_name},
	{"object_schema_name", 1, false, fn_object_schema_name},
	{"columnproperty", 3, false, fn_columnproperty},
	{"ident_current", 1, false, fn_ident_current},
	{"suser_sname", 0, false, fn_suser_sname},
	{"suser_name", 0, false, fn_suser_sname},
	{"system_user", 0, false, fn_suser_sname},
	{"user_name", 0, false, fn_user_name},
	{"current_user", 0, false, fn_user_name},
	{"host_name", 0, false, fn_host_name},
	{"serverproperty", 1, false, fn_serverproperty},
	{NULL, 0, false, NULL}
};

/* Create the engine's functions, then the registered extension functions. */
void
engine_funcs_create(SimSession *s, sqlite3 *db)
{
	const FuncDef *f;

	for (f = builtin_funcs; f->name; f++)
		sqlite3_create_function_v2(db, f->name, f->nargs,
								   SQLITE_UTF8 | (f->deterministic ? SQLITE_DETERMINISTIC : 0),
								   s, f->fn, NULL, NULL, NULL);
	engine_funcs_create_registered(s, db);
}
