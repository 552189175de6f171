/*
 * engine_stringagg.c
 *		STRING_AGG(value, separator) WITHIN GROUP (ORDER BY key [ASC|DESC],
 *		...): the translator (engine_translate.c) turns it into
 *		__sim_string_agg_ord(value, separator, key1, desc1 [, key2, desc2
 *		[, key3, desc3]]), an aggregate that collects the values with their
 *		keys and joins them in key order at the end.  Keys compare the way
 *		the stand-in's columns do: NULL first, numbers by value, text
 *		case-insensitively with trailing spaces ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

extern void engine_stringagg_register(void);

#define AGG_MAX_KEYS 3

typedef struct AggItem
{
	char	   *value;
	sqlite3_value *keys[AGG_MAX_KEYS];
	size_t		seq;			/* arrival order: ties keep it */
} AggItem;

typedef struct AggState
{
	AggItem    *items;
	size_t		n,
				cap;
	char	   *sep;
	int			nkeys;
	bool		desc[AGG_MAX_KEYS];
} AggState;

/* SIM_CI-like comparison of two texts: ASCII case folded, trailing blanks ignored */
static int
text_cmp(const char *a, const char *b)
{
	size_t		la = strlen(a),
				lb = strlen(b),
				k;

	while (la > 0 && a[la - 1] == ' ')
		la--;
	while (lb > 0 && b[lb - 1] == ' ')
		lb--;
	for (k = 0; k < la && k < lb; k++)
	{
		int			ca = (unsigned char) a[k],
					cb = (unsigned char) b[k];

		if (ca >= 'A' && ca <= 'Z')
			ca += 32;
		if (cb >= 'A' && cb <= 'Z')
			cb += 32;
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return la == lb ? 0 : la < lb ? -1 : 1;
}

static int
key_cmp(sqlite3_value *a, sqlite3_value *b)
{
	int			ta = sqlite3_value_type(a),
				tb = sqlite3_value_type(b);

	if (ta == SQLITE_NULL || tb == SQLITE_NULL)
		return (ta == SQLITE_NULL) - (tb == SQLITE_NULL) ? ((ta == SQLITE_NULL) ? -1 : 1) : 0;
	if ((ta == SQLITE_INTEGER || ta == SQLITE_FLOAT) && (tb == SQLITE_INTEGER || tb == SQLITE_FLOAT))
	{
		double		da = sqlite3_value_double(a),
					db = sqlite3_value_double(b);

		if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER)
		{
			sqlite3_int64 ia = sqlite3_value_int64(a),
						ib = sqlite3_value_int64(b);

			return ia < ib ? -1 : ia > ib;
		}
		return da < db ? -1 : da > db;
	}
	return text_cmp((const char *) sqlite3_value_text(a), (const char *) sqlite3_value_text(b));
}

/* qsort has no context argument: the state being sorted (one per thread) */
static __thread const AggState *sorting;

static int
item_cmp(const void *pa, const void *pb)
{
	const AggItem *a = pa,
			   *b = pb;
	int			k;

	for (k = 0; k < sorting->nkeys; k++)
	{
		int			r = key_cmp(a->keys[k], b->keys[k]);

		if (r != 0)
			return sorting->desc[k] ? -r : r;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	AggState   *st = sqlite3_aggregate_context(ctx, sizeof(AggState));
	AggItem    *it;
	int			k;

	if (st == NULL)
		return;
	if (st->sep == NULL)
	{
		const char *sep = (const char *) sqlite3_value_text(argv[1]);

		st->sep = strdup(sep ? sep : "");
		st->nkeys = (argc - 2) / 2;
		if (st->nkeys > AGG_MAX_KEYS)
			st->nkeys = AGG_MAX_KEYS;
		for (k = 0; k < st->nkeys; k++)
			st->desc[k] = sqlite3_value_int(argv[3 + 2 * k]) != 0;
	}
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;					/* STRING_AGG skips NULL values */
	if (st->n == st->cap)
	{
		size_t		cap = st->cap ? st->cap * 2 : 16;
		AggItem    *items = realloc(st->items, cap * sizeof(AggItem));

		if (items == NULL)
		{
			sqlite3_result_error_nomem(ctx);
			return;
		}
		st->items = items;
		st->cap = cap;
	}
	it = &st->items[st->n];
	it->value = strdup((const char *) sqlite3_value_text(argv[0]));
	for (k = 0; k < st->nkeys; k++)
		it->keys[k] = sqlite3_value_dup(argv[2 + 2 * k]);
	it->seq = st->n++;
}

static void
agg_final(sqlite3_context *ctx)
{
	AggState   *st = sqlite3_aggregate_context(ctx, 0);
	EngineBuf	b;
	size_t		i;
	int			k;

	if (st == NULL || st->n == 0)
	{
		if (st)
			free(st->sep);
		sqlite3_result_null(ctx);
		return;
	}
	sorting = st;
	qsort(st->items, st->n, sizeof(AggItem), item_cmp);
	sorting = NULL;
	ebuf_init(&b);
	for (i = 0; i < st->n; i++)
	{
		if (i > 0)
			ebuf_append(&b, st->sep);
		ebuf_append(&b, st->items[i].value);
		free(st->items[i].value);
		for (k = 0; k < st->nkeys; k++)
			sqlite3_value_free(st->items[i].keys[k]);
	}
	free(st->items);
	free(st->sep);
	sqlite3_result_text(ctx, b.data, (int) b.len, SQLITE_TRANSIENT);
	ebuf_free(&b);
}

static bool
stringagg_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	int			n;

	(void) s;
	(void) arg;
	for (n = 4; n <= 2 + 2 * AGG_MAX_KEYS; n += 2)
		if (sqlite3_create_function_v2(db, "__sim_string_agg_ord", n, SQLITE_UTF8, NULL, NULL,
									   agg_step, agg_final, NULL) != SQLITE_OK)
		{
			snprintf(errbuf, errlen, "cannot register __sim_string_agg_ord");
			return false;
		}
	return true;
}

/* Register function: see engine_extensions.c. */
void
engine_stringagg_register(void)
{
	engine_register_conn_init(stringagg_conn_init, NULL);
}
