/*
 * engine_decimal.c
 *		Exact decimal arithmetic for decimal/numeric/money expressions.
 *
 * SQLite only knows 64-bit integers and doubles, so "d * 2" on a
 * decimal(18,2) column (stored as canonical text, see sim.h) would go
 * through a double.  The translator (engine_translate.c) rewrites every
 * arithmetic expression whose SQL Server type is decimal, numeric, money or
 * smallmoney into calls of the functions below, passing the result
 * precision and scale that SQL Server's rules give the expression
 * ("Precision, scale, and length (Transact-SQL)"):
 *
 *   __sim_decop(op, a, b, p, s)     a op b (op '+', '-', '*', '/', '%')
 *   __sim_dround(x, n, f, p, s)     ROUND(x, n[, f]) of a decimal
 *   __sim_dabs(x, p, s)             ABS(x) of a decimal
 *   __sim_dsum(x, s), __sim_davg(x, s)   SUM / AVG of decimals (also as
 *                                   window functions)
 *
 * Operands may be INTEGER, REAL (taken by its shortest exact spelling) or
 * decimal TEXT; results are canonical decimal TEXT with exactly s
 * fractional digits.  Results are rounded half away from zero to s digits,
 * except division, which SQL Server truncates.  More integral digits than
 * p - s give error 8115; a zero divisor 8134.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "engine_convert.h"

#define DEC_DIGITS 200			/* magnitude digits a value may hold */

/* sign * (d[0..n) as a decimal integer) * 10^-scale; d most significant first */
typedef struct Dec
{
	bool		neg;
	int			n;
	int			scale;
	unsigned char d[DEC_DIGITS];
} Dec;

typedef enum DecStatus
{
	DEC_OK = 0,
	DEC_NULL,					/* an operand was NULL */
	DEC_BAD,					/* not a number (8114) */
	DEC_OVERFLOW				/* too many digits (8115) */
} DecStatus;

/* Drop leading zeros of the magnitude (keeps at least nothing: n may be 0). */
static void
dec_trim(Dec *x)
{
	int			k = 0;

	while (k < x->n && x->d[k] == 0)
		k++;
	if (k > 0)
	{
		memmove(x->d, x->d + k, (size_t) (x->n - k));
		x->n -= k;
	}
	if (x->n == 0)
		x->neg = false;
}

/* Parse decimal text (canonical or with exponent) into *x. */
static DecStatus
dec_from_text(const char *s, Dec *x)
{
	char		digits[90];
	bool		neg;
	int			nd,
				pt,
				k;

	if (!engine_parse_decimal(s, &neg, digits, &nd, &pt))
		return DEC_BAD;
	memset(x, 0, offsetof(Dec, d));
	x->neg = neg;
	if (pt > 120 || pt < -120)
		return DEC_OVERFLOW;
	/* value = 0.digits * 10^pt */
	for (k = 0; k < nd; k++)
		x->d[x->n++] = (unsigned char) (digits[k] - '0');
	if (pt >= nd)
	{
		for (k = nd; k < pt; k++)
			x->d[x->n++] = 0;
		x->scale = 0;
	}
	else
		x->scale = nd - pt;
	dec_trim(x);
	return DEC_OK;
}

/*
 * The shortest spelling of a double that reads back as the same double, so
 * that 1.5 and 0.1 (REAL in SQLite) become exactly 1.5 and 0.1.
 */
void
engine_double_text(double v, char *buf, size_t buflen)
{
	int			prec;

	for (prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, buflen, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Read any SQLite value as a Dec. */
static DecStatus
dec_from_value(sqlite3_value *v, Dec *x)
{
	char		buf[64];

	switch (sqlite3_value_type(v))
	{
		case SQLITE_NULL:
			return DEC_NULL;
		case SQLITE_INTEGER:
			snprintf(buf, sizeof(buf), "%lld", (long long) sqlite3_value_int64(v));
			return dec_from_text(buf, x);
		case SQLITE_FLOAT:
			engine_double_text(sqlite3_value_double(v), buf, sizeof(buf));
			return dec_from_text(buf, x);
		case SQLITE_TEXT:
			return dec_from_text((const char *) sqlite3_value_text(v), x);
		default:
			return DEC_BAD;
	}
}

/* Append zeros so that x has the given scale (scale >= x->scale). */
static DecStatus
dec_rescale_up(Dec *x, int scale)
{
	if (x->n == 0)
	{
		x->scale = scale;
		return DEC_OK;
	}
	if (x->n + scale - x->scale > DEC_DIGITS)
		return DEC_OVERFLOW;
	while (x->scale < scale)
	{
		x->d[x->n++] = 0;
		x->scale++;
	}
	return DEC_OK;
}

/* Compare magnitudes of two values of the same scale. */
static int
mag_cmp(const Dec *a, const Dec *b)
{
	int			k;

	if (a->n != b->n)
		return a->n > b->n ? 1 : -1;
	for (k = 0; k < a->n; k++)
		if (a->d[k] != b->d[k])
			return a->d[k] > b->d[k] ? 1 : -1;
	return 0;
}

/* r = |a| + |b| (same scale); r may be a or b. */
static DecStatus
mag_add(const Dec *a, const Dec *b, Dec *r)
{
	unsigned char tmp[DEC_DIGITS + 1];
	int			n = (a->n > b->n ? a->n : b->n) + 1;
	int			k,
				carry = 0;

	if (n > DEC_DIGITS)
		return DEC_OVERFLOW;
	for (k = 0; k < n; k++)
	{
		int			da = k < a->n ? a->d[a->n - 1 - k] : 0;
		int			db = k < b->n ? b->d[b->n - 1 - k] : 0;
		int			sum = da + db + carry;

		tmp[n - 1 - k] = (unsigned char) (sum % 10);
		carry = sum / 10;
	}
	memcpy(r->d, tmp, (size_t) n);
	r->n = n;
	dec_trim(r);
	return DEC_OK;
}

/* r = |a| - |b| where |a| >= |b| (same scale); r may be a or b. */
static void
mag_sub(const Dec *a, const Dec *b, Dec *r)
{
	unsigned char tmp[DEC_DIGITS];
	int			n = a->n;
	int			k,
				borrow = 0;

	for (k = 0; k < n; k++)
	{
		int			da = a->d[a->n - 1 - k];
		int			db = k < b->n ? b->d[b->n - 1 - k] : 0;
		int			diff = da - db - borrow;

		borrow = diff < 0;
		if (diff < 0)
			diff += 10;
		tmp[n - 1 - k] = (unsigned char) diff;
	}
	memcpy(r->d, tmp, (size_t) n);
	r->n = n;
	dec_trim(r);
}

/* r = a + b (or a - b when negate_b); r must not alias a or b. */
static DecStatus
dec_add(const Dec *a0, const Dec *b0, bool negate_b, Dec *r)
{
	Dec			a = *a0,
				b = *b0;
	int			scale = a.scale > b.scale ? a.scale : b.scale;
	bool		bneg = negate_b ? !b.neg : b.neg;

	if (dec_rescale_up(&a, scale) != DEC_OK || dec_rescale_up(&b, scale) != DEC_OK)
		return DEC_OVERFLOW;
	r->scale = scale;
	if (a.neg == bneg)
	{
		r->neg = a.neg;
		if (mag_add(&a, &b, r) != DEC_OK)
			return DEC_OVERFLOW;
		r->neg = a.neg && r->n > 0;
		return DEC_OK;
	}
	if (mag_cmp(&a, &b) >= 0)
	{
		mag_sub(&a, &b, r);
		r->neg = a.neg && r->n > 0;
	}
	else
	{
		mag_sub(&b, &a, r);
		r->neg = bneg && r->n > 0;
	}
	return DEC_OK;
}

/* r = a * b (exact). */
static DecStatus
dec_mul(const Dec *a, const Dec *b, Dec *r)
{
	int			acc[2 * DEC_DIGITS];
	int			n = a->n + b->n;
	int			i,
				j;

	if (n > DEC_DIGITS)
		return DEC_OVERFLOW;
	memset(acc, 0, sizeof(int) * (size_t) n);
	for (i = a->n - 1; i >= 0; i--)
		for (j = b->n - 1; j >= 0; j--)
			acc[i + j + 1] += a->d[i] * b->d[j];
	for (i = n - 1; i > 0; i--)
	{
		acc[i - 1] += acc[i] / 10;
		acc[i] %= 10;
	}
	for (i = 0; i < n; i++)
		r->d[i] = (unsigned char) acc[i];
	r->n = n;
	r->scale = a->scale + b->scale;
	r->neg = a->neg != b->neg;
	dec_trim(r);
	return DEC_OK;
}

/*
 * Integer division of magnitudes: q = |a| / |b|, rem = |a| mod |b| (scales
 * ignored: both read as integers).  b must not be zero.
 */
static void
mag_divmod(const Dec *a, const Dec *b, Dec *q, Dec *rem)
{
	Dec			r;
	int			k;

	memset(&r, 0, offsetof(Dec, d));
	memset(q, 0, offsetof(Dec, d));
	for (k = 0; k < a->n; k++)
	{
		int			digit = 0;

		/* r = r * 10 + a->d[k] */
		r.d[r.n++] = a->d[k];
		dec_trim(&r);
		while (mag_cmp(&r, b) >= 0)
		{
			mag_sub(&r, b, &r);
			digit++;
		}
		q->d[q->n++] = (unsigned char) digit;
	}
	dec_trim(q);
	if (rem)
		*rem = r;
}

/*
 * r = a / b truncated to `scale` fractional digits (SQL Server truncates
 * decimal division to the result scale).
 */
static DecStatus
dec_div(const Dec *a, const Dec *b, int scale, Dec *r)
{
	Dec			num = *a,
				den = *b;
	int			shift;

	/* |a| * 10^(scale + b.scale - a.scale) / |b| as integers */
	shift = scale + den.scale - num.scale;
	num.scale = 0;
	den.scale = 0;
	if (shift >= 0)
	{
		if (num.n + shift > DEC_DIGITS)
			return DEC_OVERFLOW;
		if (num.n > 0)
			while (shift-- > 0)
				num.d[num.n++] = 0;
	}
	else
	{
		if (den.n - shift > DEC_DIGITS)
			return DEC_OVERFLOW;
		while (shift++ < 0)
			den.d[den.n++] = 0;
	}
	mag_divmod(&num, &den, r, NULL);
	r->scale = scale;
	r->neg = (a->neg != b->neg) && r->n > 0;
	return DEC_OK;
}

/* r = a % b: the remainder with the sign of a, scale max(a, b). */
static DecStatus
dec_mod(const Dec *a0, const Dec *b0, Dec *r)
{
	Dec			a = *a0,
				b = *b0,
				q;
	int			scale = a.scale > b.scale ? a.scale : b.scale;

	if (dec_rescale_up(&a, scale) != DEC_OK || dec_rescale_up(&b, scale) != DEC_OK)
		return DEC_OVERFLOW;
	mag_divmod(&a, &b, &q, r);
	r->scale = scale;
	r->neg = a.neg && r->n > 0;
	return DEC_OK;
}

/*
 * Round x to `scale` fractional digits, half away from zero (truncate when
 * trunc), keeping the given scale (digits dropped become gone, not zeros).
 */
static void
dec_round(Dec *x, int scale, bool trunc)
{
	int			drop = x->scale - scale;
	bool		up;
	int			k;

	if (drop <= 0)
	{
		dec_rescale_up(x, scale);
		return;
	}
	if (drop > x->n)
	{
		x->n = 0;
		x->neg = false;
		x->scale = scale;
		return;
	}
	up = !trunc && x->d[x->n - drop] >= 5;
	x->n -= drop;
	x->scale = scale;
	for (k = x->n - 1; up && k >= 0; k--)
	{
		if (x->d[k] == 9)
			x->d[k] = 0;
		else
		{
			x->d[k]++;
			up = false;
		}
	}
	if (up)
	{
		memmove(x->d + 1, x->d, (size_t) x->n);
		x->d[0] = 1;
		x->n++;
	}
	dec_trim(x);
}

/*
 * Round x to scale s and check that it fits decimal(p, s); write canonical
 * text to buf (at least 48 bytes + p).  False on overflow.
 */
static bool
dec_finish(Dec *x, int p, int s, bool trunc, char *buf)
{
	int			intd;
	int			k;
	char	   *o = buf;

	dec_round(x, s, trunc);
	dec_trim(x);
	intd = x->n - s;
	if (intd > p - s)
		return false;
	if (x->neg && x->n > 0)
		*o++ = '-';
	if (intd <= 0)
		*o++ = '0';
	else
		for (k = 0; k < intd; k++)
			*o++ = (char) ('0' + x->d[k]);
	if (s > 0)
	{
		*o++ = '.';
		for (k = intd; k < x->n; k++)
			*o++ = (char) ('0' + (k >= 0 ? x->d[k] : 0));
	}
	*o = '\0';
	return true;
}

/* Report a status other than DEC_OK (NULL gives a NULL result). */
static void
dec_report(sqlite3_context *ctx, DecStatus st)
{
	switch (st)
	{
		case DEC_NULL:
			sqlite3_result_null(ctx);
			break;
		case DEC_BAD:
			engine_func_error(ctx, 8114, "Error converting data type varchar to numeric.");
			break;
		default:
			engine_func_error(ctx, 8115,
							  "Arithmetic overflow error converting expression to data type numeric.");
			break;
	}
}

/* Set the result to x as decimal(p, s), or report 8115. */
static void
dec_result(sqlite3_context *ctx, Dec *x, int p, int s, bool trunc)
{
	char		buf[DEC_DIGITS + 8];

	if (p < 1 || p > 38)
		p = 38;
	if (s < 0 || s > p)
		s = p < 6 ? p : 6;
	if (!dec_finish(x, p, s, trunc, buf))
	{
		dec_report(ctx, DEC_OVERFLOW);
		return;
	}
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* __sim_decop(op, a, b, p, s) */
static void
fn_decop(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *op = (const char *) sqlite3_value_text(argv[0]);
	int			p = sqlite3_value_int(argv[3]);
	int			s = sqlite3_value_int(argv[4]);
	Dec			a,
				b,
				r;
	DecStatus	st;

	(void) argc;
	if ((st = dec_from_value(argv[1], &a)) != DEC_OK ||
		(st = dec_from_value(argv[2], &b)) != DEC_OK)
	{
		dec_report(ctx, st);
		return;
	}
	if (op == NULL)
		op = "+";
	switch (op[0])
	{
		case '+':
		case '-':
			st = dec_add(&a, &b, op[0] == '-', &r);
			break;
		case '*':
			st = dec_mul(&a, &b, &r);
			break;
		case '/':
		case '%':
			if (b.n == 0)
			{
				engine_func_error(ctx, 8134, "Divide by zero error encountered.");
				return;
			}
			st = op[0] == '/' ? dec_div(&a, &b, s, &r) : dec_mod(&a, &b, &r);
			break;
		default:
			st = DEC_BAD;
			break;
	}
	if (st != DEC_OK)
	{
		dec_report(ctx, st);
		return;
	}
	dec_result(ctx, &r, p, s, op[0] == '/');
}

/*
 * __sim_dround(x, n, f, p, s): ROUND(x, n, f) of a decimal(p, s); the
 * result keeps the type (so ROUND(2.5, 0) is 3.0), rounding the digits
 * from position n on (n < 0: left of the point) to zeros.
 */
static void
fn_dround(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	Dec			x;
	DecStatus	st;
	int			n = sqlite3_value_int(argv[1]);
	bool		trunc = sqlite3_value_type(argv[2]) != SQLITE_NULL && sqlite3_value_int(argv[2]) != 0;
	int			p = sqlite3_value_int(argv[3]);
	int			s = sqlite3_value_int(argv[4]);

	(void) argc;
	if (sqlite3_value_type(argv[1]) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	if ((st = dec_from_value(argv[0], &x)) != DEC_OK)
	{
		dec_report(ctx, st);
		return;
	}
	if (n < -60)
		n = -60;
	if (n < x.scale)
	{
		int			keep = x.scale;

		dec_round(&x, n > 0 ? n : 0, trunc);
		if (n < 0)
		{
			/* round to 10^-n: divide, round, multiply back */
			Dec			ten,
						q;
			int			k;

			memset(&ten, 0, offsetof(Dec, d));
			ten.d[0] = 1;
			for (k = 0; k < -n; k++)
				ten.d[k + 1] = 0;
			ten.n = 1 - n;
			x.scale = -n;		/* read x / 10^-n */
			q = x;
			dec_round(&q, 0, trunc);
			if (dec_mul(&q, &ten, &x) != DEC_OK)
			{
				dec_report(ctx, DEC_OVERFLOW);
				return;
			}
			x.scale = 0;
		}
		dec_rescale_up(&x, keep);
	}
	dec_result(ctx, &x, p, s, false);
}

/* __sim_dabs(x, p, s) */
static void
fn_dabs(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	Dec			x;
	DecStatus	st;

	(void) argc;
	if ((st = dec_from_value(argv[0], &x)) != DEC_OK)
	{
		dec_report(ctx, st);
		return;
	}
	x.neg = false;
	dec_result(ctx, &x, sqlite3_value_int(argv[1]), sqlite3_value_int(argv[2]), false);
}

/* ------------------------------------------------------------------------
 * SUM and AVG
 * ------------------------------------------------------------------------
 */

typedef struct DecAgg
{
	bool		init;
	DecStatus	status;			/* first failure, reported at the end */
	int64_t		count;
	int			scale;
	Dec			sum;
} DecAgg;

static void
agg_add(sqlite3_context *ctx, sqlite3_value **argv, bool remove)
{
	DecAgg	   *agg = sqlite3_aggregate_context(ctx, sizeof(DecAgg));
	Dec			x,
				r;
	DecStatus	st;

	if (agg == NULL)
		return;
	if (!agg->init)
	{
		agg->init = true;
		agg->scale = sqlite3_value_int(argv[1]);
		memset(&agg->sum, 0, offsetof(Dec, d));
	}
	if (agg->status != DEC_OK)
		return;
	st = dec_from_value(argv[0], &x);
	if (st == DEC_NULL)
		return;
	if (st == DEC_OK)
		st = dec_add(&agg->sum, &x, remove, &r);
	if (st != DEC_OK)
	{
		agg->status = st;
		return;
	}
	agg->sum = r;
	agg->count += remove ? -1 : 1;
}

static void
agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	agg_add(ctx, argv, false);
}

static void
agg_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	agg_add(ctx, argv, true);
}

/* Result of SUM (avg false) or AVG so far. */
static void
agg_result(sqlite3_context *ctx, bool avg)
{
	DecAgg	   *agg = sqlite3_aggregate_context(ctx, 0);
	Dec			r,
				cnt;
	char		buf[32];

	if (agg == NULL || agg->count == 0)
	{
		if (agg && agg->status != DEC_OK)
			dec_report(ctx, agg->status);
		else
			sqlite3_result_null(ctx);
		return;
	}
	if (agg->status != DEC_OK)
	{
		dec_report(ctx, agg->status);
		return;
	}
	if (!avg)
	{
		r = agg->sum;
		dec_result(ctx, &r, 38, agg->scale, false);
		return;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long) agg->count);
	dec_from_text(buf, &cnt);
	if (dec_div(&agg->sum, &cnt, agg->scale, &r) != DEC_OK)
	{
		dec_report(ctx, DEC_OVERFLOW);
		return;
	}
	dec_result(ctx, &r, 38, agg->scale, true);
}

static void
sum_final(sqlite3_context *ctx)
{
	agg_result(ctx, false);
}

static void
avg_final(sqlite3_context *ctx)
{
	agg_result(ctx, true);
}

/* Register the functions on every handle. */
static bool
decimal_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	int			flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int			rc = SQLITE_OK;

	(void) s;
	(void) arg;
	rc |= sqlite3_create_function_v2(db, "__sim_decop", 5, flags, NULL, fn_decop, NULL, NULL, NULL);
	rc |= sqlite3_create_function_v2(db, "__sim_dround", 5, flags, NULL, fn_dround, NULL, NULL, NULL);
	rc |= sqlite3_create_function_v2(db, "__sim_dabs", 3, flags, NULL, fn_dabs, NULL, NULL, NULL);
	rc |= sqlite3_create_window_function(db, "__sim_dsum", 2, flags, NULL, agg_step, sum_final,
										 sum_final, agg_inverse, NULL);
	rc |= sqlite3_create_window_function(db, "__sim_davg", 2, flags, NULL, agg_step, avg_final,
										 avg_final, agg_inverse, NULL);
	if (rc != SQLITE_OK)
	{
		snprintf(errbuf, errlen, "cannot register the decimal functions");
		return false;
	}
	return true;
}

/*
 * Register function: see engine.h's list.
 */
void
engine_decimal_register(void)
{
	engine_register_conn_init(decimal_conn_init, NULL);
}
