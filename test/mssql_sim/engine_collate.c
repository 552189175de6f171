/*
 * engine_collate.c
 *		Comparison with SQL Server semantics: the SIM_CI (case-insensitive,
 *		trailing spaces ignored), SIM_NUM (decimal text by value) and SIM_DT
 *		(date/time text by instant) collations, and LIKE with T-SQL patterns.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "engine_int.h"
#include "engine_convert.h"

/* Version of the SIM_CI folding (fold_case); 1 folded Latin-1 only */
#define SIM_CI_VERSION	2

/* ------------------------------------------------------------------------
 * Collations
 * ------------------------------------------------------------------------
 */

/*
 * The lower-case partner of the upper-case letter c, or c itself: the
 * scripts SQL_Latin1_General_CP1_CI_AS compares case-insensitively in
 * nvarchar values (Windows' Unicode casing): Latin-1, Latin Extended-A and
 * Additional, Greek, Cyrillic, Armenian, Georgian and the full-width Latin
 * letters.  Version SIM_CI_VERSION of the folding: indexes ordered by an
 * older one are rebuilt when a database is opened.
 */
static unsigned
fold_case(unsigned c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c == 0x178)				/* Y with diaeresis -> 0xFF */
		return 0xFF;
	if (c >= 0x100 && c <= 0x137 && c != 0x130)
		return c | 1;			/* pairs upper even, lower odd */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;	/* pairs upper odd, lower even */
	if (c >= 0x14A && c <= 0x177)
		return c | 1;
	/* Greek */
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c >= 0x3D8 && c <= 0x3EF)
		return c | 1;
	/* Cyrillic */
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
		return c | 1;
	if (c == 0x4C0)
		return 0x4CF;
	if (c >= 0x4C1 && c <= 0x4CE)
		return (c & 1) ? c + 1 : c;
	/* Armenian, Georgian */
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	if (c >= 0x10A0 && c <= 0x10C5)
		return c + 7264;
	/* Latin Extended Additional, Greek Extended is left alone */
	if (c >= 0x1E00 && c <= 0x1E95)
		return c | 1;
	if (c >= 0x1EA0 && c <= 0x1EFF)
		return c | 1;
	/* full-width Latin */
	if (c >= 0xFF21 && c <= 0xFF3A)
		return c + 32;
	return c;
}

/* Next code point of a UTF-8 string, folded to lower case (fold_case). */
unsigned
engine_next_folded(const unsigned char **p, const unsigned char *end)
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
	return fold_case(c);
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
		unsigned	ca = engine_next_folded(&pa, ea);
		unsigned	cb = engine_next_folded(&pb, eb);

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

/*
 * Dates and times by instant (datetimeoffset in UTC); unparsable text
 * compares bytewise.
 */
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

/*
 * SIM_GUID: uniqueidentifier text ('XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX')
 * in SQL Server's order, which compares the 16 bytes (in the order
 * Guid.ToByteArray gives them: the first three groups little-endian) as
 * 10..15, 8..9, 6..7, 4..5, 0..3 ("Comparing GUID and uniqueidentifier
 * Values").  Offsets below are where each of those bytes is spelt in the
 * text.  Text that is not a GUID compares case-insensitively.
 */
static int
coll_guid(void *arg, int alen, const void *av, int blen, const void *bv)
{
	static const int pos[16] = {24, 26, 28, 30, 32, 34, 19, 21, 16, 14, 11, 9, 6, 4, 2, 0};
	const char *a = av,
			   *b = bv;
	int			k;

	if (alen != 36 || blen != 36)
		return coll_ci(arg, alen, av, blen, bv);
	for (k = 0; k < 16; k++)
	{
		int			j;

		for (j = 0; j < 2; j++)
		{
			int			ca = toupper((unsigned char) a[pos[k] + j]);
			int			cb = toupper((unsigned char) b[pos[k] + j]);

			if (ca != cb)
				return ca < cb ? -1 : 1;
		}
	}
	return 0;
}

/*
 * Indexes on SIM_CI columns are ordered by the folding of the version that
 * built them.  A database's catalog (__sim_meta, key 'ci_version') records
 * the version its indexes follow; one built by an older folding (or not
 * recorded) is reindexed once here, under a write lock taken without
 * waiting, so that lookups through those indexes find every row.
 * Failures (the lock held by another session too) are left for the next
 * open (the database stays usable; only non-Latin-1 letters compare
 * differently in an old index).
 */
static void
collations_upgrade(sqlite3 *db)
{
	sqlite3_stmt *stmt = NULL;
	int64_t		version = -1;
	int			timeout = 0;
	bool		have_meta = false;

	if (sqlite3_prepare_v2(db, "SELECT (SELECT value FROM main.__sim_meta WHERE key = 'ci_version')"
						   " FROM main.sqlite_master WHERE type = 'table' AND name = '__sim_meta'",
						   -1, &stmt, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW)
	{
		have_meta = true;
		if (sqlite3_column_type(stmt, 0) != SQLITE_NULL)
			version = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (!have_meta || version >= SIM_CI_VERSION)
		return;

	/*
	 * Never wait for the write lock here (another session may hold it for
	 * long): without it, the next open tries again.
	 */
	if (sqlite3_prepare_v2(db, "PRAGMA busy_timeout", -1, &stmt, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		timeout = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	stmt = NULL;
	sqlite3_busy_timeout(db, 0);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
	{
		bool		done = false;

		if (sqlite3_exec(db, "REINDEX SIM_CI", NULL, NULL, NULL) == SQLITE_OK &&
			sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO main.__sim_meta VALUES ('ci_version', ?1)",
							   -1, &stmt, NULL) == SQLITE_OK)
		{
			sqlite3_bind_int(stmt, 1, SIM_CI_VERSION);
			done = sqlite3_step(stmt) == SQLITE_DONE;
		}
		sqlite3_finalize(stmt);
		if (!done || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_busy_timeout(db, timeout);
}

void
engine_collations_create(sqlite3 *db)
{
	sqlite3_create_collation(db, "SIM_GUID", SQLITE_UTF8, NULL, coll_guid);
	sqlite3_create_collation(db, "SIM_CI", SQLITE_UTF8, NULL, coll_ci);
	sqlite3_create_collation(db, "SIM_NUM", SQLITE_UTF8, NULL, coll_num);
	sqlite3_create_collation(db, "SIM_DT", SQLITE_UTF8, NULL, coll_dt);
	collations_upgrade(db);
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
		unsigned	x = engine_next_folded(&p, pe);

		if (x == '-' && have_prev && p < pe && *p != ']')
		{
			unsigned	hi = engine_next_folded(&p, pe);

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

/*
 * Match value [s, se) against pattern [p, pe) with escape character esc
 * (0: none), case-insensitively; trailing spaces of the value are ignored.
 */
static bool
like_match(const unsigned char *p, const unsigned char *pe, const unsigned char *s,
		   const unsigned char *se, unsigned esc)
{
	while (p < pe)
	{
		const unsigned char *pstart = p;
		unsigned	pc = engine_next_folded(&p, pe);

		if (esc && pc == esc && p < pe)
		{
			unsigned	lit = engine_next_folded(&p, pe);

			if (s >= se || engine_next_folded(&s, se) != lit)
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
				engine_next_folded(&s, se);
			}
			return false;
		}
		if (s >= se)
			return false;
		if (pc == '_')
		{
			engine_next_folded(&s, se);
			continue;
		}
		if (pc == '[')
		{
			const unsigned char *q = p;
			bool		ok;
			unsigned	sc;
			const unsigned char *s2 = s;

			sc = engine_next_folded(&s2, se);
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
		if (engine_next_folded(&s, se) != pc)
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
	unsigned char *pbuf = NULL,
			   *vbuf = NULL;
	int			pn,
				vn;
	unsigned	esc = 0;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	p = sqlite3_value_text(argv[0]);
	pn = sqlite3_value_bytes(argv[0]);
	v = sqlite3_value_text(argv[1]);
	vn = sqlite3_value_bytes(argv[1]);
	if (argc == 3 && sqlite3_value_type(argv[2]) != SQLITE_NULL)
	{
		const unsigned char *e = sqlite3_value_text(argv[2]);

		esc = engine_next_folded(&e, e + sqlite3_value_bytes(argv[2]));
	}
	/*
	 * Under the server's non-_SC collation '_' matches one UTF-16 code unit,
	 * half of a character beyond the BMP: match on the split forms.
	 */
	if (engine_utf16_has_supplementary(p, pn) || engine_utf16_has_supplementary(v, vn))
	{
		p = pbuf = engine_utf16_split(p, pn, &pn);
		v = vbuf = engine_utf16_split(v, vn, &vn);
	}
	sqlite3_result_int(ctx, like_match(p, p + pn, v, v + vn, esc));
	free(pbuf);
	free(vbuf);
}


/* Collations and LIKE on a new handle. */
void
engine_collate_create(sqlite3 *db)
{
	engine_collations_create(db);
	sqlite3_create_function_v2(db, "like", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_like,
							   NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "like", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_like,
							   NULL, NULL, NULL);
}

