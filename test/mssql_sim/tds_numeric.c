/*
 * tds_numeric.c
 *		Numbers: exact decimals as a sign and a 128-bit magnitude scaled by
 *		10^scale, and lenient conversion of any sqlite3_value to an integer,
 *		a double or a decimal, the way SQL Server converts implicitly.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "tds_int.h"

#define MAX_DIGITS 38

/*
 * Parse decimal text ("-12.340", "1e3", " 5 ") and scale it to `scale`
 * fractional digits, rounding half away from zero.  False if the text is
 * not a number or needs more than 38 digits.
 */
static bool
parse_decimal(const char *s, int scale, bool *neg, tds_u128 *mag)
{
	char		digits[128];
	int			ndigits = 0;
	int			point = -1;		/* digits before the decimal point */
	long		exp10 = 0;
	bool		any = false;
	int			intdigits;
	tds_u128	m = 0;

	*neg = false;
	while (isspace((unsigned char) *s))
		s++;
	if (*s == '+' || *s == '-')
		*neg = (*s++ == '-');
	for (; *s; s++)
	{
		if (isdigit((unsigned char) *s))
		{
			any = true;
			if (ndigits == 0 && *s == '0' && point < 0)
				continue;		/* leading zero of the integer part */
			if (ndigits < (int) sizeof(digits))
				digits[ndigits++] = *s;
			else if (point < 0)
				return false;
		}
		else if (*s == '.' && point < 0)
			point = ndigits;
		else
			break;
	}
	if (!any)
		return false;
	if (point < 0)
		point = ndigits;
	if (*s == 'e' || *s == 'E')
	{
		char	   *end;

		exp10 = strtol(s + 1, &end, 10);
		s = end;
	}
	while (isspace((unsigned char) *s))
		s++;
	if (*s != '\0')
		return false;
	if (exp10 > 100 || exp10 < -100)
		return exp10 < 0 ? (*mag = 0, *neg = false, true) : false;

	/* digits[0..intdigits) form the scaled integer, digits[intdigits] rounds */
	intdigits = point + (int) exp10 + scale;
	for (int i = 0; i < intdigits; i++)
	{
		int			d = i < ndigits ? digits[i] - '0' : 0;

		if (i - (intdigits - MAX_DIGITS) < 0 && d != 0)
			return false;		/* more than 38 significant digits */
		m = m * 10 + d;
	}
	if (intdigits >= 0 && intdigits < ndigits && digits[intdigits] >= '5')
		m += 1;
	if (m >= ((tds_u128) 1e19 * (tds_u128) 1e19))
		return false;
	if (m == 0)
		*neg = false;
	*mag = m;
	return true;
}

/*
 * Format sign/magnitude/scale as canonical text ("-12.3400") into buf
 * (cut to buflen).  scale must be 0..38.
 */
void
tds_format_decimal(bool neg, tds_u128 mag, int scale, char *buf, size_t buflen)
{
	char		tmp[64];
	int			n = 0;
	size_t		o = 0;

	if (scale < 0 || scale > MAX_DIGITS)
		scale = MAX_DIGITS;		/* callers check; this only guards tmp */
	if (mag == 0)
		neg = false;
	do
	{
		tmp[n++] = '0' + (int) (mag % 10);
		mag /= 10;
	} while (mag > 0);
	while (n <= scale)
		tmp[n++] = '0';
	if (neg)
		buf[o++] = '-';
	for (int i = n - 1; i >= 0 && o + 2 < buflen; i--)
	{
		buf[o++] = tmp[i];
		if (i == scale && scale > 0)
			buf[o++] = '.';
	}
	buf[o] = '\0';
}

/*
 * Any value to a decimal with `scale` fractional digits.  False for NULL,
 * for text that is no number, and on overflow.
 */
bool
tds_value_to_decimal(sqlite3_value *v, int scale, bool *neg, tds_u128 *mag)
{
	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			{
				int64_t		i = sqlite3_value_int64(v);
				tds_u128	m = i < 0 ? (tds_u128) (-(i + 1)) + 1 : (tds_u128) i;

				for (int k = 0; k < scale; k++)
				{
					if (m > ((tds_u128) 1e19 * (tds_u128) 1e18))
						return false;	/* would pass 38 digits */
					m *= 10;
				}
				*neg = i < 0;
				*mag = m;
				return true;
			}
		case SQLITE_FLOAT:
			{
				char		buf[64];
				double		d = sqlite3_value_double(v);

				if (!isfinite(d))
					return false;
				snprintf(buf, sizeof(buf), "%.17g", d);
				return parse_decimal(buf, scale, neg, mag);
			}
		case SQLITE_TEXT:
		case SQLITE_BLOB:
			{
				const unsigned char *t = sqlite3_value_text(v);

				return t != NULL && parse_decimal((const char *) t, scale, neg, mag);
			}
		default:
			return false;
	}
}

/* Any value to an integer (REAL and decimal text truncate toward zero). */
int64_t
tds_value_to_int(sqlite3_value *v)
{
	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			return sqlite3_value_int64(v);
		case SQLITE_FLOAT:
			{
				double		d = sqlite3_value_double(v);

				if (d >= 9.2e18)
					return INT64_MAX;
				if (d <= -9.2e18)
					return INT64_MIN;
				return (int64_t) d;
			}
		case SQLITE_TEXT:
		case SQLITE_BLOB:
			{
				const char *t = (const char *) sqlite3_value_text(v);
				char	   *end;
				long long	r;

				if (t == NULL)
					return 0;
				while (isspace((unsigned char) *t))
					t++;
				if (strcasecmp(t, "true") == 0)
					return 1;
				if (strcasecmp(t, "false") == 0)
					return 0;
				r = strtoll(t, &end, 10);
				if (*end == '.' || *end == 'e' || *end == 'E')
					return (int64_t) strtod(t, NULL);
				return r;
			}
		default:
			return 0;
	}
}

/* Any value to a double. */
double
tds_value_to_double(sqlite3_value *v)
{
	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			return (double) sqlite3_value_int64(v);
		case SQLITE_FLOAT:
			return sqlite3_value_double(v);
		case SQLITE_TEXT:
		case SQLITE_BLOB:
			{
				const char *t = (const char *) sqlite3_value_text(v);

				return t ? strtod(t, NULL) : 0.0;
			}
		default:
			return 0.0;
	}
}
