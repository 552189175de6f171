/*
 * engine_typehints.c
 *		The SQL Server type that a single token says: a literal, an
 *		@@global, or the name of a function whose result type is fixed.
 *
 * The translator (engine_translate.c) and expression typing
 * (engine_exprtype.c) start from these.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"

/* Fill *t (the four fields of SimType). */
static void
set_type(SimType *t, SimTypeId id, int length, int precision, int scale)
{
	t->id = id;
	t->length = length;
	t->precision = precision;
	t->scale = scale;
}

/*
 * The SQL Server type of a literal token, as SQL Server types it; false for
 * other tokens.
 */
bool
engine_literal_hint(const EngineToken *t, SimType *hint)
{
	memset(hint, 0, sizeof(*hint));
	switch (t->type)
	{
		case TK_STRING:
			{
				/* bytes in the code page: one per character */
				int			n = engine_text_length(t->text, (int) strlen(t->text), false);

				set_type(hint, SIM_VARCHAR, n < 1 ? 1 : n > 8000 ? SIM_MAX_LENGTH : n, 0, 0);
				return true;
			}
		case TK_NSTRING:
			{
				/* UTF-16 code units: a character beyond the BMP counts 2 */
				int			n = engine_text_length(t->text, (int) strlen(t->text), true);

				set_type(hint, SIM_NVARCHAR, n < 1 ? 1 : n > 4000 ? SIM_MAX_LENGTH : n, 0, 0);
				return true;
			}
		case TK_BINARY:
			{
				int			n = (int) (strlen(t->text) + 1) / 2;

				set_type(hint, SIM_VARBINARY, n < 1 ? 1 : n > 8000 ? SIM_MAX_LENGTH : n, 0, 0);
				return true;
			}
		case TK_NUMBER:
			{
				const char *dot = strchr(t->text, '.');

				if (strpbrk(t->text, "eE"))
					set_type(hint, SIM_FLOAT, 0, 53, 0);
				else if (dot)
				{
					/* 0.5 is numeric(1,1): leading zeros are no digits */
					const char *first = t->text;
					int			intd,
								frac = (int) strlen(dot + 1);

					while (*first == '0' && first < dot)
						first++;
					intd = (int) (dot - first);

					set_type(hint, SIM_NUMERIC, 0, intd + frac < 1 ? 1 : intd + frac, frac);
				}
				else
				{
					long long	v = strtoll(t->text, NULL, 10);

					if (strlen(t->text) > 18 || v > INT32_MAX)
						set_type(hint, SIM_NUMERIC, 0, (int) strlen(t->text), 0);
					else
						set_type(hint, SIM_INT, 0, 0, 0);
				}
				return true;
			}
		default:
			return false;
	}
}

/*
 * The SQL Server type of the @@global g (lower or upper case); every global
 * has one (int unless listed), so always true.
 */
bool
engine_global_hint(const char *g, SimType *t)
{
	memset(t, 0, sizeof(*t));
	if (engine_strcasecmp(g, "@@version") == 0)
		set_type(t, SIM_NVARCHAR, 300, 0, 0);
	else if (engine_strcasecmp(g, "@@spid") == 0)
		set_type(t, SIM_SMALLINT, 0, 0, 0);
	else if (engine_strcasecmp(g, "@@servername") == 0 || engine_strcasecmp(g, "@@servicename") == 0 ||
			 engine_strcasecmp(g, "@@language") == 0)
		set_type(t, SIM_NVARCHAR, 128, 0, 0);
	else if (engine_strcasecmp(g, "@@identity") == 0)
		set_type(t, SIM_NUMERIC, 0, 38, 0);
	else if (engine_strcasecmp(g, "@@datefirst") == 0 || engine_strcasecmp(g, "@@max_precision") == 0)
		set_type(t, SIM_TINYINT, 0, 0, 0);
	else if (engine_strcasecmp(g, "@@dbts") == 0)
		set_type(t, SIM_VARBINARY, 8, 0, 0);
	else
		set_type(t, SIM_INT, 0, 0, 0);
	return true;
}

/*
 * Result type of the function fn (any case) when it does not depend on the
 * arguments: built-ins with a fixed type and registered functions that
 * declare one; false otherwise (*t zeroed).
 */
bool
engine_function_hint(SimSession *s, const char *fn, SimType *t)
{
	static const char *int_funcs[] = {"count", "len", "charindex", "datalength", "datediff",
		"datepart", "year", "month", "day", "object_id", "db_id", "schema_id",
	"columnproperty", "isnumeric", "isdate", "patindex", "unicode", "ascii", NULL};
	static const char *name_funcs[] = {"db_name", "schema_name", "object_name", "suser_sname",
		"suser_name", "user_name", "host_name", "object_schema_name", "app_name",
	"serverproperty", "system_user", "current_user", NULL};
	const EngineFuncDef *f;
	char		lower[ENGINE_NAME_LEN];
	size_t		i;

	(void) s;
	memset(t, 0, sizeof(*t));
	for (i = 0; fn[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char) tolower((unsigned char) fn[i]);
	lower[i] = '\0';
	if (word_in(lower, int_funcs))
		set_type(t, SIM_INT, 0, 0, 0);
	else if (strcmp(lower, "count_big") == 0)
		set_type(t, SIM_BIGINT, 0, 0, 0);
	else if (word_in(lower, name_funcs))
		set_type(t, SIM_NVARCHAR, 128, 0, 0);
	else if (strcmp(lower, "getdate") == 0 || strcmp(lower, "getutcdate") == 0 ||
			 strcmp(lower, "current_timestamp") == 0)
		set_type(t, SIM_DATETIME, 0, 0, 3);
	else if (strcmp(lower, "sysdatetime") == 0 || strcmp(lower, "sysutcdatetime") == 0)
		set_type(t, SIM_DATETIME2, 0, 0, 7);
	else if (strcmp(lower, "sysdatetimeoffset") == 0)
		set_type(t, SIM_DATETIMEOFFSET, 0, 0, 7);
	else if (strcmp(lower, "newid") == 0)
		set_type(t, SIM_UNIQUEIDENTIFIER, 0, 0, 0);
	else if (strcmp(lower, "scope_identity") == 0 || strcmp(lower, "ident_current") == 0)
		set_type(t, SIM_NUMERIC, 0, 38, 0);
	else if ((f = engine_func_lookup(lower)) != NULL && f->has_result_type)
		*t = f->result_type;
	else
		return false;
	return true;
}
