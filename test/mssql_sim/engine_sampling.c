/*
 * engine_sampling.c
 *		CHECKSUM(expression [, ...]): what clients use, with NEWID(), to
 *		pick a random subset of rows.
 *
 * SQL Server's CHECKSUM returns an int hash of its arguments.  Its exact
 * algorithm is not documented and is not reproduced here: this one is
 * FNV-1a over each argument's storage form (type tag and bytes), so that
 * equal arguments give equal results and NEWID() (a fresh random GUID per
 * row) gives values spread over the whole int range.  Clients must not
 * depend on the values themselves, only on their spread; mssql_cdc's
 * ANALYZE samples rows with "(CHECKSUM(NEWID()) & 2147483647) < k".
 * CHECKSUM(*) is not supported.
 */
#include <stdint.h>
#include <string.h>

#include "engine.h"

extern void engine_sampling_register(void);

static const SimType int_type = {SIM_INT, 0, 0, 0};

static uint32_t
fnv1a(uint32_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static void
fn_checksum(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint32_t	h = 2166136261u;
	int			i;

	if (argc == 0)
	{
		engine_func_error(ctx, 174,
						  "The checksum function requires 1 argument(s).");
		return;
	}
	for (i = 0; i < argc; i++)
	{
		int			t = sqlite3_value_type(argv[i]);
		unsigned char tag = (unsigned char) t;

		h = fnv1a(h, &tag, 1);
		switch (t)
		{
			case SQLITE_INTEGER:
				{
					int64_t		v = sqlite3_value_int64(argv[i]);

					h = fnv1a(h, &v, sizeof(v));
					break;
				}
			case SQLITE_FLOAT:
				{
					double		v = sqlite3_value_double(argv[i]);

					h = fnv1a(h, &v, sizeof(v));
					break;
				}
			case SQLITE_TEXT:
				h = fnv1a(h, sqlite3_value_text(argv[i]),
						  (size_t) sqlite3_value_bytes(argv[i]));
				break;
			case SQLITE_BLOB:
				h = fnv1a(h, sqlite3_value_blob(argv[i]),
						  (size_t) sqlite3_value_bytes(argv[i]));
				break;
			default:
				break;			/* NULL: the tag alone */
		}
	}
	/* FNV's low bits are its weakest: fold the high half in */
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	sqlite3_result_int64(ctx, (int64_t) (int32_t) h);
}

void
engine_sampling_register(void)
{
	engine_register_function("CHECKSUM", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
							 fn_checksum, &int_type);
}
