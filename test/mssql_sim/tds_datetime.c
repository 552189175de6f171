/*
 * tds_datetime.c
 *		Dates and times: parse the engine's text forms into a day number
 *		(days since 0001-01-01, proleptic Gregorian) plus 100 ns ticks since
 *		midnight plus an optional offset, and format them back.
 *
 * Accepted text: 'YYYY-MM-DD', 'YYYYMMDD', either followed by ' ' or 'T' and
 * a time; a time alone 'hh:mm[:ss[.fffffff]]'; an optional zone '+hh:mm',
 * '-hh:mm' or 'Z' at the end.  Fractions beyond 7 digits are rounded.
 * The calendar arithmetic is sim_datetime.c's, shared with the engine.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/*
 * Read exactly n digits at *s into *out and advance *s; false, with *s
 * unchanged, if fewer than n digits are there.
 */
static bool
read_digits(const char **s, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (!isdigit((unsigned char) (*s)[i]))
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

/* Parse 'hh:mm[:ss[.fffffff]]' at *s into 100 ns ticks. */
static bool
parse_time(const char **s, int64_t *ticks)
{
	int			hh,
				mi,
				ss = 0;
	int64_t		frac = 0;
	const char *p = *s;

	if (!read_digits(&p, 2, &hh))
	{
		/* allow a one-digit hour */
		if (!read_digits(&p, 1, &hh))
			return false;
	}
	if (*p++ != ':' || !read_digits(&p, 2, &mi))
		return false;
	if (*p == ':')
	{
		p++;
		if (!read_digits(&p, 2, &ss))
			return false;
		if (*p == '.')
		{
			int			nd = 0;
			bool		roundup = false;

			p++;
			while (isdigit((unsigned char) *p))
			{
				if (nd < 7)
					frac = frac * 10 + (*p - '0');
				else if (nd == 7)
					roundup = *p >= '5';
				nd++;
				p++;
			}
			for (; nd < 7; nd++)
				frac *= 10;
			if (roundup)
				frac++;
		}
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return false;
	*ticks = ((int64_t) hh * 3600 + mi * 60 + ss) * 10000000LL + frac;
	*s = p;
	return true;
}

/*
 * Parse one of the accepted text forms into *dt.  False if the text is not
 * a valid date/time.
 */
static bool
parse_datetime(const char *s, TdsDateTime *dt)
{
	memset(dt, 0, sizeof(*dt));
	while (isspace((unsigned char) *s))
		s++;

	if (isdigit((unsigned char) s[0]) && isdigit((unsigned char) s[1]) &&
		isdigit((unsigned char) s[2]) && isdigit((unsigned char) s[3]))
	{
		int			y = 0,
					m = 0,
					d = 0;

		read_digits(&s, 4, &y);
		if (*s == '-' || *s == '/' || *s == '.')
		{
			char		sep = *s++;

			if (!read_digits(&s, 2, &m) || *s++ != sep || !read_digits(&s, 2, &d))
				return false;
		}
		else if (!read_digits(&s, 2, &m) || !read_digits(&s, 2, &d))
			return false;
		if (y < 1 || m < 1 || m > 12 || d < 1 || d > sim_days_in_month(y, m))
			return false;
		dt->days = sim_days_from_civil(y, m, d);
		dt->has_date = true;
		if (*s == 'T' || (*s == ' ' && isdigit((unsigned char) s[1])))
		{
			s++;
			if (!parse_time(&s, &dt->ticks))
				return false;
			dt->has_time = true;
		}
	}
	else
	{
		if (!parse_time(&s, &dt->ticks))
			return false;
		dt->has_time = true;
		dt->days = TDS_DAYS_1900;
	}

	while (*s == ' ')
		s++;
	if (*s == 'Z' || *s == 'z')
	{
		dt->has_offset = true;
		s++;
	}
	else if (*s == '+' || *s == '-')
	{
		int			sign = *s++ == '-' ? -1 : 1;
		int			oh,
					om = 0;

		if (!read_digits(&s, 2, &oh))
			return false;
		if (*s == ':')
			s++;
		if (isdigit((unsigned char) *s) && !read_digits(&s, 2, &om))
			return false;
		if (oh > 14 || om > 59 || oh * 60 + om > 840)
			return false;
		dt->offset_min = sign * (oh * 60 + om);
		dt->has_offset = true;
	}
	while (isspace((unsigned char) *s))
		s++;
	return *s == '\0';
}

/*
 * Any value to a date/time.  Text is parsed; a number counts days since
 * 1900-01-01, its fraction the time of day, as SQL Server converts numbers
 * to datetime.  False for NULL and unparsable text.
 */
bool
tds_value_to_datetime(sqlite3_value *v, TdsDateTime *dt)
{
	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
		case SQLITE_FLOAT:
			{
				double		d = sqlite3_value_double(v);
				double		whole = d < 0 ? -(double) (int64_t) (-d) : (double) (int64_t) d;
				int64_t		ticks;

				memset(dt, 0, sizeof(*dt));
				if (whole > d)
					whole -= 1;
				ticks = (int64_t) ((d - whole) * TDS_TICKS_PER_DAY + 0.5);
				dt->days = TDS_DAYS_1900 + (int64_t) whole;
				if (ticks >= TDS_TICKS_PER_DAY)
				{
					ticks -= TDS_TICKS_PER_DAY;
					dt->days++;
				}
				dt->ticks = ticks;
				dt->has_date = dt->has_time = true;
				return dt->days >= 0;
			}
		case SQLITE_TEXT:
		case SQLITE_BLOB:
			{
				const unsigned char *t = sqlite3_value_text(v);

				return t != NULL && parse_datetime((const char *) t, dt);
			}
		default:
			return false;
	}
}

/*
 * Format as 'YYYY-MM-DD hh:mm:ss[.f...] +hh:mm' (parts chosen by date, time,
 * offset; `scale` fractional digits).
 */
void
tds_format_datetime(const TdsDateTime *dt, bool date, bool time, int scale,
					bool offset, char *buf, size_t buflen)
{
	size_t		o = 0;

	buf[0] = '\0';
	if (date)
	{
		int			y,
					m,
					d;

		sim_civil_from_days(dt->days, &y, &m, &d);
		o += snprintf(buf + o, buflen - o, "%04d-%02d-%02d", y, m, d);
	}
	if (time && o < buflen)
	{
		int64_t		secs = dt->ticks / 10000000LL;
		int64_t		frac = dt->ticks % 10000000LL;

		o += snprintf(buf + o, buflen - o, "%s%02d:%02d:%02d", date ? " " : "",
					  (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
		if (scale > 0 && o < buflen)
		{
			char		f[24];

			snprintf(f, sizeof(f), "%07lld", (long long) frac);
			o += snprintf(buf + o, buflen - o, ".%.*s", scale, f);
		}
	}
	if (offset && o < buflen)
	{
		int			off = dt->offset_min < 0 ? -dt->offset_min : dt->offset_min;

		snprintf(buf + o, buflen - o, " %c%02d:%02d",
				 dt->offset_min < 0 ? '-' : '+', off / 60, off % 60);
	}
}
