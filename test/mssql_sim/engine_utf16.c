/*
 * engine_utf16.c
 *		Text seen as UTF-16 code units, as SQL Server's string functions see
 *		nvarchar under a collation without _SC (the server's
 *		SQL_Latin1_General_CP1_CI_AS).
 *
 * The engine keeps text as UTF-8.  Under a non-_SC collation SQL Server
 * counts a character beyond the BMP as two code units (a surrogate pair):
 * LEN gives 2, '_' in LIKE matches one half, and SUBSTRING, LEFT, RIGHT may
 * cut the pair ("Collation and Unicode support: Supplementary characters").
 * The functions here turn such text into its "split" form, where every
 * supplementary character is written as its two surrogates, each as a
 * 3-byte sequence (as in CESU-8/WTF-8), so that one UTF-8 sequence is one
 * code unit; and back ("join"), pairing a high surrogate followed by a low
 * one again.  A lone surrogate left by a cut stays a 3-byte sequence; the
 * protocol side sends it as U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* Append code unit u (< 0x10000) as UTF-8 (surrogates in 3 bytes). */
static int
put3(unsigned char *o, unsigned u)
{
	o[0] = (unsigned char) (0xE0 | (u >> 12));
	o[1] = (unsigned char) (0x80 | ((u >> 6) & 0x3F));
	o[2] = (unsigned char) (0x80 | (u & 0x3F));
	return 3;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_utf16_has_supplementary(const unsigned char *s, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0xF0)
			return true;
	return false;
}

/*
 * Contract in engine_int.h.
 */
unsigned char *
engine_utf16_split(const unsigned char *s, int n, int *outn)
{
	/* a 4-byte sequence becomes 6 bytes: at most 1.5 times as long */
	unsigned char *o = emalloc((size_t) n + (size_t) n / 2 + 1);
	int			i = 0,
				k = 0;

	while (i < n)
	{
		if (s[i] >= 0xF0 && i + 3 < n && (s[i + 1] & 0xC0) == 0x80 &&
			(s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80)
		{
			unsigned	cp = ((unsigned) (s[i] & 0x07) << 18) |
				((unsigned) (s[i + 1] & 0x3F) << 12) |
				((unsigned) (s[i + 2] & 0x3F) << 6) | (unsigned) (s[i + 3] & 0x3F);

			if (cp >= 0x10000 && cp <= 0x10FFFF)
			{
				cp -= 0x10000;
				k += put3(o + k, 0xD800 + (cp >> 10));
				k += put3(o + k, 0xDC00 + (cp & 0x3FF));
				i += 4;
				continue;
			}
		}
		o[k++] = s[i++];
	}
	o[k] = '\0';
	*outn = k;
	return o;
}

/* The surrogate encoded at s[0..3) (3-byte form), or 0. */
static unsigned
surrogate_at(const unsigned char *s, int left)
{
	if (left >= 3 && s[0] == 0xED && s[1] >= 0xA0 && (s[1] & 0xC0) == 0x80 &&
		(s[2] & 0xC0) == 0x80)
		return 0xD000 | ((unsigned) (s[1] & 0x3F) << 6) | (unsigned) (s[2] & 0x3F);
	return 0;
}

/*
 * Contract in engine_int.h.
 */
unsigned char *
engine_utf16_join(const unsigned char *s, int n, int *outn)
{
	unsigned char *o = emalloc((size_t) n + 1);
	int			i = 0,
				k = 0;

	while (i < n)
	{
		unsigned	hi = surrogate_at(s + i, n - i);
		unsigned	lo = hi >= 0xD800 && hi <= 0xDBFF ? surrogate_at(s + i + 3, n - i - 3) : 0;

		if (lo >= 0xDC00 && lo <= 0xDFFF)
		{
			unsigned	cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);

			o[k++] = (unsigned char) (0xF0 | (cp >> 18));
			o[k++] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
			o[k++] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
			o[k++] = (unsigned char) (0x80 | (cp & 0x3F));
			i += 6;
			continue;
		}
		o[k++] = s[i++];
	}
	o[k] = '\0';
	*outn = k;
	return o;
}
