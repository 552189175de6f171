/*
 * engine_funcs.c
 *		SQLite functions for T-SQL: the conversion function behind
 *		CAST/CONVERT/assignments, divide-by-zero checks, string built-ins
 *		(LEN, CHARINDEX, SUBSTRING, ...), NEWID, rowversion, and catalog
 *		functions (OBJECT_ID, DB_NAME, COLUMNPROPERTY, ...).  Registers them,
 *		the collations (engine_collate.c) and the date functions
 *		(engine_datefuncs.c) on every handle.
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

/*
 * Contract in engine_int.h: find the number and text engine_func_error put in
 * a SQLite error message msg; *text points into msg.
 */
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
 * Conversion
 * ------------------------------------------------------------------------
 */

/* The target type of __sim_cv / __sim_try_cv: arguments 1 to 4. */
static void
cv_target_type(sqlite3_value **argv, SimType *t)
{
	t->id = (SimTypeId) sqlite3_value_int(argv[1]);
	t->length = sqlite3_value_int(argv[2]);
	t->precision = sqlite3_value_int(argv[3]);
	t->scale = sqlite3_value_int(argv[4]);
}

/*
 * __sim_cv(value, type_id, length, precision, scale, flags [, table,
 * column]): the value converted to the type.  flags: CV_EXPLICIT for
 * CAST/CONVERT (else an assignment), CV_TEXT and CV_UNICODE for the
 * value's SQL Server type (engine_convert_from).  A string
 * cut short is error 8152, or 2628 naming the column when the assignment's
 * target is given (UPDATE ... SET, "db.schema.table" and the column name).
 */
static void
fn_cv(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimType		t;
	EngineValue ev;
	int			errnum = 0;
	char		err[512];

	(void) argc;
	cv_target_type(argv, &t);
	/* CAST/CONVERT has formatted a datetime already (its style) */
	if (!engine_convert_from(argv[0], sqlite3_value_int(argv[5]) &
							 ((sqlite3_value_int(argv[5]) & CV_EXPLICIT) ?
							  ~(CV_EXPLICIT | CV_DATETIME) : ~CV_EXPLICIT), &t,
							 (sqlite3_value_int(argv[5]) & CV_EXPLICIT) != 0, &ev, &errnum,
							 err, sizeof(err)))
	{
		if (errnum == 2628 && argc >= 8)
		{
			char		msg[1000];

			snprintf(msg, sizeof(msg), "String or binary data would be truncated in table '%.300s', column '%.128s'. Truncated value: '%.200s'.",
					 (const char *) sqlite3_value_text(argv[6]),
					 (const char *) sqlite3_value_text(argv[7]), err);
			engine_func_error(ctx, 2628, msg);
		}
		else if (errnum == 2628)
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
	cv_target_type(argv, &t);
	if (!engine_convert(argv[0], &t, true, &ev, &errnum, err, sizeof(err)))
	{
		sqlite3_result_null(ctx);
		return;
	}
	engine_value_result(ctx, &ev);
}

/* __sim_nz(x): x, or error 8134 when x is zero (the divisor of / and %) */
/*
 * __sim_ichk(x, type_id): x, the result of integer arithmetic whose SQL
 * Server type is tinyint/smallint/int/bigint, or an error when it is
 * outside the type's range (SQLite computes in 64 bits and turns a 64-bit
 * overflow into a REAL): 220 naming the value for tinyint and smallint,
 * 8115 for int and bigint.
 */
static void
fn_ichk(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimTypeId	id = (SimTypeId) sqlite3_value_int(argv[1]);
	int64_t		lo = INT64_MIN,
				hi = INT64_MAX;
	const char *name = "bigint";
	char		msg[128];

	(void) argc;
	switch (id)
	{
		case SIM_TINYINT:
			lo = 0, hi = 255, name = "tinyint";
			break;
		case SIM_SMALLINT:
			lo = INT16_MIN, hi = INT16_MAX, name = "smallint";
			break;
		case SIM_INT:
			lo = INT32_MIN, hi = INT32_MAX, name = "int";
			break;
		default:
			break;
	}
	switch (sqlite3_value_type(argv[0]))
	{
		case SQLITE_INTEGER:
			if (sqlite3_value_int64(argv[0]) >= lo && sqlite3_value_int64(argv[0]) <= hi)
				break;
			if (id == SIM_TINYINT || id == SIM_SMALLINT)
			{
				/* the narrow types name the value (220) */
				snprintf(msg, sizeof(msg), "Arithmetic overflow error for data type %s, value = %lld.",
						 name, (long long) sqlite3_value_int64(argv[0]));
				engine_func_error(ctx, 220, msg);
				return;
			}
			/* FALLTHROUGH */
		case SQLITE_FLOAT:
			snprintf(msg, sizeof(msg), "Arithmetic overflow error converting expression to data type %s.",
					 name);
			engine_func_error(ctx, 8115, msg);
			return;
		default:
			break;
	}
	sqlite3_result_value(ctx, argv[0]);
}

/*
 * __sim_nz(x): x, or error 8134 when x is zero (integer, float or decimal
 * text); wraps every divisor.
 */
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

/* Length of s without its trailing spaces. */
static int
trimmed_len(const unsigned char *s, int n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}

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

/*
 * The text of v as UTF-16 code units: the value itself, or when it holds a
 * character beyond the BMP its split form (engine_utf16.c), then in *buf
 * (malloc'd, caller frees; NULL otherwise).  *n receives the byte length.
 */
static const unsigned char *
unit_text(sqlite3_value *v, int *n, unsigned char **buf)
{
	const unsigned char *s = sqlite3_value_text(v);

	*n = sqlite3_value_bytes(v);
	*buf = NULL;
	if (s != NULL && engine_utf16_has_supplementary(s, *n))
	{
		*buf = engine_utf16_split(s, *n, n);
		return *buf;
	}
	return s;
}

/* Result [s, s + n) of text from unit_text (split: rejoin surrogate pairs). */
static void
result_units(sqlite3_context *ctx, const unsigned char *s, int n, bool split)
{
	if (split)
	{
		int			m;
		unsigned char *j = engine_utf16_join(s, n, &m);

		sqlite3_result_text(ctx, (const char *) j, m, free);
	}
	else
		sqlite3_result_text(ctx, (const char *) s, n, SQLITE_TRANSIENT);
}

/*
 * LEN(x [, mode]): characters without the trailing spaces, counted the way
 * SQL Server counts them under the server's (non-_SC) collation: UTF-16
 * code units (mode 0, the translator's choice for nvarchar and unknown
 * types), or one per character for char/varchar (mode 1).  Binary values
 * count their bytes.
 */
static void
fn_len(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	int			n;
	int			mode = argc > 1 ? sqlite3_value_int(argv[1]) : 0;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	if (sqlite3_value_type(argv[0]) == SQLITE_BLOB)
	{
		sqlite3_result_int(ctx, sqlite3_value_bytes(argv[0]));
		return;
	}
	s = sqlite3_value_text(argv[0]);
	n = trimmed_len(s, sqlite3_value_bytes(argv[0]));
	sqlite3_result_int(ctx, engine_text_length((const char *) s, n, mode != 1));
}

/*
 * DATALENGTH(x [, kind, size]): the bytes SQL Server stores for x.  kind
 * (from the translator, which knows the argument's type): 1 char/varchar
 * (a byte per character), 2 nchar/nvarchar (2 per UTF-16 code unit), 3
 * binary (its bytes), 4 a fixed-size type (size); 0 unknown: text as
 * nvarchar, blobs their bytes, integers 4, floats 8.
 */
static void
fn_datalength(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			kind = argc > 1 ? sqlite3_value_int(argv[1]) : 0;
	int			type = sqlite3_value_type(argv[0]);
	const char *s;
	int			n;

	if (type == SQLITE_NULL)
		return;
	if (kind == 4)
	{
		sqlite3_result_int(ctx, sqlite3_value_int(argv[2]));
		return;
	}
	if (type == SQLITE_BLOB || kind == 3)
	{
		sqlite3_result_int(ctx, sqlite3_value_bytes(argv[0]));
		return;
	}
	if (kind == 0 && type == SQLITE_INTEGER)
	{
		sqlite3_result_int(ctx, 4);
		return;
	}
	if (kind == 0 && type == SQLITE_FLOAT)
	{
		sqlite3_result_int(ctx, 8);
		return;
	}
	s = (const char *) sqlite3_value_text(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	if (kind == 1)
		sqlite3_result_int(ctx, engine_text_length(s, n, false));
	else
		sqlite3_result_int(ctx, 2 * engine_text_length(s, n, true));
}

/*
 * CHARINDEX(needle, haystack [, start]) with the CI collation; positions in
 * UTF-16 code units (a character beyond the BMP counts 2, non-_SC).
 */
static void
fn_charindex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *nd,
			   *hs;
	unsigned char *ndbuf,
			   *hsbuf;
	int			nn,
				hn,
				start = 1,
				pos,
				k;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	nd = unit_text(argv[0], &nn, &ndbuf);
	hs = unit_text(argv[1], &hn, &hsbuf);
	if (argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL)
		start = sqlite3_value_int(argv[2]);
	if (start < 1)
		start = 1;
	if (nn == 0)
	{
		sqlite3_result_int(ctx, 0);
		goto out;
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
			if (engine_next_folded(&a, ea) != engine_next_folded(&b, eb))
			{
				eq = false;
				break;
			}
		if (eq)
		{
			sqlite3_result_int(ctx, k);
			goto out;
		}
		pos++;
		while (pos < hn && (hs[pos] & 0xC0) == 0x80)
			pos++;
	}
	sqlite3_result_int(ctx, 0);
out:
	free(ndbuf);
	free(hsbuf);
}

/* sim_left(s, n): LEFT in UTF-16 code units (see unit_text); 536 for n < 0. */
static void
fn_left(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	unsigned char *buf;
	int			n,
				k;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	k = sqlite3_value_int(argv[1]);
	if (k < 0)
	{
		engine_func_error(ctx, 536, "Invalid length parameter passed to the left function.");
		return;
	}
	s = unit_text(argv[0], &n, &buf);
	result_units(ctx, s, utf8_offset(s, n, k), buf != NULL);
	free(buf);
}

/* sim_right(s, n): RIGHT, counting as fn_left does; 536 for n < 0. */
static void
fn_right(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	unsigned char *buf;
	int			n,
				k,
				total,
				off;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	k = sqlite3_value_int(argv[1]);
	if (k < 0)
	{
		engine_func_error(ctx, 536, "Invalid length parameter passed to the right function.");
		return;
	}
	s = unit_text(argv[0], &n, &buf);
	total = utf8_chars(s, n);
	off = k >= total ? 0 : utf8_offset(s, n, total - k);
	result_units(ctx, s + off, n - off, buf != NULL);
	free(buf);
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
	unsigned char *buf;

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
	s = unit_text(argv[0], &n, &buf);
	b0 = utf8_offset(s, n, start - 1);
	b1 = utf8_offset(s, n, start - 1 + len);
	result_units(ctx, s + b0, b1 - b0, buf != NULL);
	free(buf);
}

/*
 * The upper (to_upper) or lower case of code point c, for the scripts
 * SQL Server's Unicode case tables cover that tests meet: Latin-1, Latin
 * Extended-A, Greek, Cyrillic (SQLite's upper/lower only map ASCII).
 */
static unsigned
case_map(unsigned c, bool to_upper)
{
	if (c < 0x80)
		return to_upper ? (c >= 'a' && c <= 'z' ? c - 32 : c) : (c >= 'A' && c <= 'Z' ? c + 32 : c);
	if (to_upper)
	{
		if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
			return c - 32;
		if (c == 0xFF)
			return 0x178;
		if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
			return c - 32;
		if (c >= 0x430 && c <= 0x44F)
			return c - 32;
		if (c >= 0x450 && c <= 0x45F)
			return c - 80;
	}
	else
	{
		if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
			return c + 32;
		if (c == 0x178)
			return 0xFF;
		if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
			return c + 32;
		if (c >= 0x410 && c <= 0x42F)
			return c + 32;
		if (c >= 0x400 && c <= 0x40F)
			return c + 80;
	}
	/* Latin Extended-A: pairs, upper case first (even, or odd in two runs) */
	if ((c >= 0x100 && c <= 0x137 && c != 0x130 && c != 0x131) || (c >= 0x14A && c <= 0x177))
		return to_upper ? (c & ~1u) : (c | 1u);
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return to_upper ? ((c & 1u) ? c : c - 1) : ((c & 1u) ? c + 1 : c);
	return c;
}

/* UPPER(s) (to_upper) or LOWER(s) of argv[0] as the result */
static void
case_text(sqlite3_context *ctx, sqlite3_value **argv, bool to_upper)
{
	const unsigned char *s,
			   *e;
	EngineBuf	b;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	s = sqlite3_value_text(argv[0]);
	e = s + sqlite3_value_bytes(argv[0]);
	ebuf_init(&b);
	while (s < e)
	{
		unsigned	c = *s;
		int			len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		unsigned	cp,
					m;
		char		out[4];
		int			k;

		if (s + len > e || (len == 2 && c < 0xC2))
		{
			ebuf_appendn(&b, (const char *) s, 1);	/* not UTF-8: as is */
			s++;
			continue;
		}
		cp = len == 1 ? c : c & (0x3F >> (len - 1));
		for (k = 1; k < len; k++)
			cp = (cp << 6) | (s[k] & 0x3F);
		m = len <= 2 ? case_map(cp, to_upper) : cp;
		if (m == cp)
			ebuf_appendn(&b, (const char *) s, (size_t) len);
		else if (m < 0x80)
			ebuf_appendc(&b, (char) m);
		else
		{
			out[0] = (char) (0xC0 | (m >> 6));
			out[1] = (char) (0x80 | (m & 0x3F));
			ebuf_appendn(&b, out, 2);
		}
		s += len;
	}
	sqlite3_result_text(ctx, b.data, (int) b.len, free);
}

/*
 * __sim_unicode(s): UNICODE(s), the first UTF-16 code unit of s (under a
 * non-_SC collation a character beyond the BMP gives its high surrogate).
 */
static void
fn_unicode(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s;
	int			n;
	unsigned	cp;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	s = sqlite3_value_text(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	if (n == 0)
		return;					/* UNICODE(N'') is NULL */
	if (s[0] < 0x80)
		cp = s[0];
	else if (s[0] >= 0xF0 && n >= 4)
	{
		cp = ((unsigned) (s[0] & 0x07) << 18) | ((unsigned) (s[1] & 0x3F) << 12) |
			((unsigned) (s[2] & 0x3F) << 6) | (unsigned) (s[3] & 0x3F);
		cp = 0xD800 + ((cp - 0x10000) >> 10);
	}
	else if (s[0] >= 0xE0 && n >= 3)
		cp = ((unsigned) (s[0] & 0x0F) << 12) | ((unsigned) (s[1] & 0x3F) << 6) |
			(unsigned) (s[2] & 0x3F);
	else if (s[0] >= 0xC0 && n >= 2)
		cp = ((unsigned) (s[0] & 0x1F) << 6) | (unsigned) (s[1] & 0x3F);
	else
		cp = s[0];
	sqlite3_result_int(ctx, (int) cp);
}

/*
 * __sim_nchar(n): NCHAR(n), the character with UTF-16 code unit n (0 to
 * 65535 under a non-_SC collation, NULL otherwise; a surrogate comes out
 * alone, in its 3-byte form).
 */
static void
fn_nchar(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t		v;
	unsigned char out[4];
	int			n;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	v = sqlite3_value_int64(argv[0]);
	if (v < 0 || v > 0xFFFF)
		return;
	if (v < 0x80)
	{
		out[0] = (unsigned char) v;
		n = 1;
	}
	else if (v < 0x800)
	{
		out[0] = (unsigned char) (0xC0 | (v >> 6));
		out[1] = (unsigned char) (0x80 | (v & 0x3F));
		n = 2;
	}
	else
	{
		out[0] = (unsigned char) (0xE0 | (v >> 12));
		out[1] = (unsigned char) (0x80 | ((v >> 6) & 0x3F));
		out[2] = (unsigned char) (0x80 | (v & 0x3F));
		n = 3;
	}
	sqlite3_result_text(ctx, (const char *) out, n, SQLITE_TRANSIENT);
}

static void
fn_upper(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	case_text(ctx, argv, true);
}

static void
fn_lower(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	case_text(ctx, argv, false);
}

/* REPLICATE(s, n): NULL for a negative n; stops at 100 MB. */
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

/* SPACE(n): n blanks; NULL for a negative n. */
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

/* ISNUMERIC(x): 1 for numbers and decimal text, else 0. */
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
 * Identity, GUIDs
 * ------------------------------------------------------------------------
 */

/*
 * A random (version 4) GUID in upper-case text; buf holds 37 bytes.
 */
static void
new_guid_text(char *buf)
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
	new_guid_text(buf);
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

/*
 * DB_NAME([id]): the current database, or the one with that id (from
 * master's catalog).
 */
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
	if (name[0] == '#')
	{
		EngineTempTable *tt = engine_temp_find(s, name);

		if (tt)
			sqlite3_result_int64(ctx, tt->table->object_id);
		return;
	}
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

/*
 * IDENT_CURRENT('table'): the last identity value, or the seed.
 */
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
						   "SELECT i.last_value, c.seed, o.object_id, c.increment FROM main.__sim_objects o "
						   "JOIN main.__sim_schemas s ON s.schema_id = o.schema_id "
						   "JOIN main.__sim_columns c ON c.object_id = o.object_id AND c.is_identity = 1 "
						   "LEFT JOIN main.__sim_identity i ON i.object_id = o.object_id "
						   "WHERE s.name = ?1 AND o.name = ?2", -1, &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(stmt, 1, sch[0] ? sch : "dbo", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
	{
		bool		have = sqlite3_column_type(stmt, 0) != SQLITE_NULL;
		int64_t		last = sqlite3_column_int64(stmt, 0);

		/* counting values taken by inserts that were rolled back */
		engine_identity_adjust(db, sqlite3_column_int64(stmt, 2), sqlite3_column_int64(stmt, 3),
							   &last, &have);
		if (have)
			sqlite3_result_int64(ctx, last);
		else
			sqlite3_result_value(ctx, sqlite3_column_value(stmt, 1));
	}
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
	{"__sim_cv", 8, true, fn_cv},
	{"__sim_try_cv", 6, true, fn_try_cv},
	{"__sim_nz", 1, true, fn_nz},
	{"__sim_ichk", 2, true, fn_ichk},
	{"len", 1, true, fn_len},
	{"len", 2, true, fn_len},
	{"datalength", 1, true, fn_datalength},
	{"datalength", 3, true, fn_datalength},
	{"charindex", 2, true, fn_charindex},
	{"charindex", 3, true, fn_charindex},
	{"sim_left", 2, true, fn_left},
	{"sim_right", 2, true, fn_right},
	{"substring", 3, true, fn_substring},
	{"replicate", 2, true, fn_replicate},
	{"upper", 1, true, fn_upper},
	{"__sim_unicode", 1, true, fn_unicode},
	{"__sim_nchar", 1, true, fn_nchar},
	{"lower", 1, true, fn_lower},
	{"space", 1, true, fn_space},
	{"concat", -1, true, fn_concat},
	{"isnumeric", 1, true, fn_isnumeric},
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
	{NULL, 0, false, NULL}
};

/* Create the engine's functions, then the registered extension functions. */
void
engine_funcs_create(SimSession *s, sqlite3 *db)
{
	const FuncDef *f;

	engine_collate_create(db);
	engine_datefuncs_create(s, db);
	for (f = builtin_funcs; f->name; f++)
		sqlite3_create_function_v2(db, f->name, f->nargs,
								   SQLITE_UTF8 | (f->deterministic ? SQLITE_DETERMINISTIC : 0),
								   s, f->fn, NULL, NULL, NULL);
	engine_funcs_create_registered(s, db);
}
