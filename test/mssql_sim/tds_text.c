/*
 * tds_text.c
 *		Character set conversions: UTF-8 (the engine's text) to and from
 *		UCS-2LE/UTF-16LE (nvarchar, SQL text, names) and Windows-1252 (varchar
 *		in SQL_Latin1_General_CP1_CI_AS).
 *
 * Invalid UTF-8 and lone surrogates become U+FFFD; characters that
 * Windows-1252 cannot hold become '?', as SQL Server's conversion does.
 */
#include <stdlib.h>
#include <string.h>

#include "tds_int.h"

/* Windows-1252 0x80..0x9F; the five undefined bytes map to themselves */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

/*
 * Decode one code point from s[0..n) into *cp; returns the bytes used
 * (at least 1).  Invalid sequences give U+FFFD and consume one byte.
 */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t		len;
	uint32_t	v;

	if (b < 0x80)
	{
		*cp = b;
		return 1;
	}
	if ((b & 0xE0) == 0xC0)
	{
		len = 2;
		v = b & 0x1F;
	}
	else if ((b & 0xF0) == 0xE0)
	{
		len = 3;
		v = b & 0x0F;
	}
	else if ((b & 0xF8) == 0xF0)
	{
		len = 4;
		v = b & 0x07;
	}
	else
	{
		*cp = 0xFFFD;
		return 1;
	}
	if (len > n)
	{
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
		{
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) ||
		(len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
		(v >= 0xD800 && v <= 0xDFFF))
		v = 0xFFFD;
	*cp = v;
	return len;
}

/*
 * utf8_next with the ASCII fast path inlined: the conversions below run on
 * every character of every string value sent.
 */
static inline size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80)
	{
		*cp = s[0];
		return 1;
	}
	return utf8_next(s, n, cp);
}

/* Append code point cp as UTF-8 at out; returns bytes written (1..4). */
static size_t
utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80)
	{
		out[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		out[0] = (char) (0xC0 | (cp >> 6));
		out[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		out[0] = (char) (0xE0 | (cp >> 12));
		out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char) (0xF0 | (cp >> 18));
	out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

/*
 * UTF-16LE (nbytes bytes) to a malloc'd, NUL-terminated UTF-8 string; the
 * caller frees it.  *outlen (if not NULL) gets its length.
 */
char *
tds_ucs2_to_utf8(const uint8_t *p, size_t nbytes, size_t *outlen)
{
	size_t		nunits = nbytes / 2;
	char	   *out = tds_xmalloc(nunits * 3 + 1);
	size_t		o = 0;

	for (size_t i = 0; i < nunits; i++)
	{
		uint32_t	u = tds_get_u16le(p + 2 * i);

		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < nunits)
		{
			uint32_t	lo = tds_get_u16le(p + 2 * (i + 1));

			if (lo >= 0xDC00 && lo <= 0xDFFF)
			{
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			}
			else
				u = 0xFFFD;
		}
		else if (u >= 0xD800 && u <= 0xDFFF)
			u = 0xFFFD;
		o += utf8_put(u, out + o);
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

/*
 * UTF-8 to UTF-16LE.  out must hold 2 * n bytes.  Returns the bytes written.
 */
size_t
tds_utf8_to_ucs2(const char *s, size_t n, uint8_t *out)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0,
				o = 0;

	while (i < n)
	{
		uint32_t	cp;

		i += utf8_decode(u + i, n - i, &cp);
		if (cp >= 0x10000)
		{
			uint32_t	v = cp - 0x10000;
			uint16_t	hi = 0xD800 | (v >> 10),
						lo = 0xDC00 | (v & 0x3FF);

			out[o++] = hi & 0xFF;
			out[o++] = hi >> 8;
			out[o++] = lo & 0xFF;
			out[o++] = lo >> 8;
		}
		else
		{
			out[o++] = cp & 0xFF;
			out[o++] = cp >> 8;
		}
	}
	return o;
}

/* Number of UTF-16 code units needed for the UTF-8 text s[0..n). */
size_t
tds_ucs2_units(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0,
				units = 0;

	while (i < n)
	{
		uint32_t	cp;

		i += utf8_decode(u + i, n - i, &cp);
		units += cp >= 0x10000 ? 2 : 1;
	}
	return units;
}

/* Windows-1252 byte for a code point, or '?' when it has none. */
static uint8_t
cp1252_of(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (uint8_t) cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return (uint8_t) (0x80 + i);
	return '?';
}

/*
 * UTF-8 to Windows-1252.  out must hold n bytes.  Returns bytes written.
 */
size_t
tds_utf8_to_cp1252(const char *s, size_t n, uint8_t *out)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0,
				o = 0;

	while (i < n)
	{
		uint32_t	cp;

		i += utf8_decode(u + i, n - i, &cp);
		out[o++] = cp1252_of(cp);
	}
	return o;
}

/*
 * Windows-1252 bytes to a malloc'd NUL-terminated UTF-8 string; the caller
 * frees it.
 */
char *
tds_cp1252_to_utf8(const uint8_t *p, size_t n, size_t *outlen)
{
	char	   *out = tds_xmalloc(n * 3 + 1);
	size_t		o = 0;

	for (size_t i = 0; i < n; i++)
	{
		uint32_t	cp = p[i];

		if (cp >= 0x80 && cp < 0xA0)
			cp = cp1252_high[cp - 0x80];
		o += utf8_put(cp, out + o);
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}
