/*
 * sim_types.c
 *		SQL Server type spellings: parsing, formatting, catalog numbers, and
 *		the SQLite declared types that carry them (engine_decltype).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef struct TypeName
{
	const char *name;
	SimTypeId	id;
	int			sys_id;
	const char *canon;			/* canonical spelling of the base name */
} TypeName;

static const TypeName type_names[] = {
	{"bit", SIM_BIT, 104, "bit"},
	{"tinyint", SIM_TINYINT, 48, "tinyint"},
	{"smallint", SIM_SMALLINT, 52, "smallint"},
	{"int", SIM_INT, 56, "int"},
	{"integer", SIM_INT, 56, "int"},
	{"bigint", SIM_BIGINT, 127, "bigint"},
	{"decimal", SIM_DECIMAL, 106, "decimal"},
	{"dec", SIM_DECIMAL, 106, "decimal"},
	{"numeric", SIM_NUMERIC, 108, "numeric"},
	{"money", SIM_MONEY, 60, "money"},
	{"smallmoney", SIM_SMALLMONEY, 122, "smallmoney"},
	{"float", SIM_FLOAT, 62, "float"},
	{"real", SIM_REAL, 59, "real"},
	{"date", SIM_DATE, 40, "date"},
	{"time", SIM_TIME, 41, "time"},
	{"datetime", SIM_DATETIME, 61, "datetime"},
	{"datetime2", SIM_DATETIME2, 42, "datetime2"},
	{"smalldatetime", SIM_SMALLDATETIME, 58, "smalldatetime"},
	{"datetimeoffset", SIM_DATETIMEOFFSET, 43, "datetimeoffset"},
	{"char", SIM_CHAR, 175, "char"},
	{"character", SIM_CHAR, 175, "char"},
	{"varchar", SIM_VARCHAR, 167, "varchar"},
	{"nchar", SIM_NCHAR, 239, "nchar"},
	{"nvarchar", SIM_NVARCHAR, 231, "nvarchar"},
	{"text", SIM_TEXT, 35, "text"},
	{"ntext", SIM_NTEXT, 99, "ntext"},
	{"binary", SIM_BINARY, 173, "binary"},
	{"varbinary", SIM_VARBINARY, 165, "varbinary"},
	{"image", SIM_IMAGE, 34, "image"},
	{"uniqueidentifier", SIM_UNIQUEIDENTIFIER, 36, "uniqueidentifier"},
	{"xml", SIM_XML, 241, "xml"},
	{"rowversion", SIM_ROWVERSION, 189, "rowversion"},
	{"timestamp", SIM_ROWVERSION, 189, "timestamp"},
	{"sysname", SIM_SYSNAME, 231, "sysname"},
	{NULL, 0, 0, NULL}
};

static const TypeName *
type_by_id(SimTypeId id)
{
	const TypeName *tn;

	for (tn = type_names; tn->name; tn++)
		if (tn->id == id)
			return tn;
	return NULL;
}

/* Parse "a" or "a, b" or "max" inside parentheses; returns arg count or -1. */
static int
parse_args(const char *p, int *a, int *b, bool *is_max)
{
	char	   *end;
	int			n = 0;

	*is_max = false;
	while (isspace((unsigned char) *p))
		p++;
	if (strncasecmp(p, "max", 3) == 0)
	{
		*is_max = true;
		p += 3;
		n = 1;
	}
	else
	{
		long		v = strtol(p, &end, 10);

		if (end == p)
			return -1;
		*a = (int) v;
		p = end;
		n = 1;
		while (isspace((unsigned char) *p))
			p++;
		if (*p == ',')
		{
			p++;
			v = strtol(p, &end, 10);
			if (end == p)
				return -1;
			*b = (int) v;
			p = end;
			n = 2;
		}
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != ')')
		return -1;
	p++;
	while (isspace((unsigned char) *p))
		p++;
	return *p == '\0' ? n : -1;
}

/*
 * Contract in sim.h.
 */
bool
sim_type_parse(const char *text, SimType *out, char *errbuf, size_t errlen)
{
	char		base[64];
	size_t		n = 0;
	const char *p = text;
	const TypeName *tn;
	int			a = 0,
				b = 0,
				nargs = 0;
	bool		is_max = false;

	memset(out, 0, sizeof(*out));
	while (isspace((unsigned char) *p))
		p++;
	if (*p == '[')
		p++;
	while (*p && (isalnum((unsigned char) *p) || *p == '_') && n < sizeof(base) - 1)
		base[n++] = (char) tolower((unsigned char) *p++);
	base[n] = '\0';
	if (*p == ']')
		p++;
	/* "sys.int" style prefixes are not T-SQL type names; keep it simple */
	for (tn = type_names; tn->name; tn++)
		if (strcmp(tn->name, base) == 0)
			break;
	if (tn->name == NULL)
	{
		snprintf(errbuf, errlen, "Column, parameter, or variable #0: Cannot find data type %s.", base);
		return false;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p == '(')
	{
		nargs = parse_args(p + 1, &a, &b, &is_max);
		if (nargs < 0)
		{
			snprintf(errbuf, errlen, "Incorrect syntax near '%s'.", text);
			return false;
		}
	}
	else if (*p != '\0')
	{
		snprintf(errbuf, errlen, "Incorrect syntax near '%s'.", p);
		return false;
	}
	out->id = tn->id;
	switch (tn->id)
	{
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			out->precision = nargs >= 1 ? a : 18;
			out->scale = nargs >= 2 ? b : 0;
			if (is_max || out->precision < 1 || out->precision > 38 ||
				out->scale < 0 || out->scale > out->precision)
			{
				snprintf(errbuf, errlen, "The scale %d for column is out of range or precision %d is invalid.",
						 out->scale, out->precision);
				return false;
			}
			break;
		case SIM_MONEY:
			out->precision = 19;
			out->scale = 4;
			break;
		case SIM_SMALLMONEY:
			out->precision = 10;
			out->scale = 4;
			break;
		case SIM_FLOAT:
			if (nargs >= 1 && !is_max && (a < 1 || a > 53))
			{
				snprintf(errbuf, errlen, "Invalid floating point precision %d.", a);
				return false;
			}
			if (nargs >= 1 && !is_max && a <= 24)
			{
				out->id = SIM_REAL;
				out->precision = 24;
			}
			else
				out->precision = 53;
			break;
		case SIM_REAL:
			out->precision = 24;
			break;
		case SIM_TIME:
		case SIM_DATETIME2:
		case SIM_DATETIMEOFFSET:
			out->scale = nargs >= 1 ? a : 7;
			if (is_max || out->scale < 0 || out->scale > 7)
			{
				snprintf(errbuf, errlen, "Specified scale %d is invalid.", out->scale);
				return false;
			}
			break;
		case SIM_DATETIME:
			out->scale = 3;
			break;
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_BINARY:
		case SIM_VARBINARY:
			if (is_max && (tn->id == SIM_CHAR || tn->id == SIM_BINARY))
			{
				snprintf(errbuf, errlen, "Incorrect syntax near 'max'.");
				return false;
			}
			out->length = is_max ? SIM_MAX_LENGTH : nargs >= 1 ? a : 1;
			if (!is_max && (out->length < 1 || out->length > 8000))
			{
				snprintf(errbuf, errlen, "The size (%d) given to the type '%s' exceeds the maximum allowed for any data type (8000).",
						 out->length, tn->canon);
				return false;
			}
			break;
		case SIM_NCHAR:
		case SIM_NVARCHAR:
			if (is_max && tn->id == SIM_NCHAR)
			{
				snprintf(errbuf, errlen, "Incorrect syntax near 'max'.");
				return false;
			}
			out->length = is_max ? SIM_MAX_LENGTH : nargs >= 1 ? a : 1;
			if (!is_max && (out->length < 1 || out->length > 4000))
			{
				snprintf(errbuf, errlen, "The size (%d) given to the parameter '%s' exceeds the maximum allowed (4000).",
						 out->length, tn->canon);
				return false;
			}
			break;
		case SIM_SYSNAME:
			out->length = 128;
			break;
		case SIM_ROWVERSION:
			out->length = 8;
			break;
		default:
			if (nargs > 0)
			{
				snprintf(errbuf, errlen, "Cannot specify a column width on data type %s.", tn->canon);
				return false;
			}
			break;
	}
	return true;
}

/*
 * Contract in sim.h.
 */
void
sim_type_format(const SimType *t, char *buf, size_t buflen)
{
	const TypeName *tn = type_by_id(t->id);
	const char *name = tn ? tn->canon : "sql_variant";

	switch (t->id)
	{
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			snprintf(buf, buflen, "%s(%d,%d)", name, t->precision, t->scale);
			break;
		case SIM_TIME:
		case SIM_DATETIME2:
		case SIM_DATETIMEOFFSET:
			snprintf(buf, buflen, "%s(%d)", name, t->scale);
			break;
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_NCHAR:
		case SIM_NVARCHAR:
		case SIM_BINARY:
		case SIM_VARBINARY:
			if (t->length == SIM_MAX_LENGTH)
				snprintf(buf, buflen, "%s(max)", name);
			else
				snprintf(buf, buflen, "%s(%d)", name, t->length);
			break;
		case SIM_ROWVERSION:
			snprintf(buf, buflen, "rowversion");
			break;
		default:
			snprintf(buf, buflen, "%s", name);
			break;
	}
}

int
sim_type_system_type_id(const SimType *t)
{
	const TypeName *tn = type_by_id(t->id);

	return tn ? tn->sys_id : 0;
}

/*
 * Contract in sim.h.
 */
int
sim_type_max_length(const SimType *t)
{
	switch (t->id)
	{
		case SIM_BIT:
		case SIM_TINYINT:
			return 1;
		case SIM_SMALLINT:
			return 2;
		case SIM_INT:
		case SIM_SMALLMONEY:
		case SIM_REAL:
		case SIM_SMALLDATETIME:
			return 4;
		case SIM_BIGINT:
		case SIM_MONEY:
		case SIM_FLOAT:
		case SIM_DATETIME:
		case SIM_ROWVERSION:
			return 8;
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			return t->precision <= 9 ? 5 : t->precision <= 19 ? 9 :
				t->precision <= 28 ? 13 : 17;
		case SIM_DATE:
			return 3;
		case SIM_TIME:
			return t->scale <= 2 ? 3 : t->scale <= 4 ? 4 : 5;
		case SIM_DATETIME2:
			return t->scale <= 2 ? 6 : t->scale <= 4 ? 7 : 8;
		case SIM_DATETIMEOFFSET:
			return t->scale <= 2 ? 8 : t->scale <= 4 ? 9 : 10;
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_BINARY:
		case SIM_VARBINARY:
			return t->length;
		case SIM_NCHAR:
		case SIM_NVARCHAR:
			return t->length == SIM_MAX_LENGTH ? -1 : t->length * 2;
		case SIM_SYSNAME:
			return 256;
		case SIM_TEXT:
		case SIM_NTEXT:
		case SIM_IMAGE:
			return 16;
		case SIM_UNIQUEIDENTIFIER:
			return 16;
		case SIM_XML:
			return -1;
	}
	return 0;
}

/*
 * Types whose natural spelling would get NUMERIC affinity get a "_text"
 * suffix on the base name, which gives TEXT affinity (SQLite affinity
 * rule 2: the declared type contains "TEXT").  Binary types keep NUMERIC
 * affinity, which leaves BLOBs alone.
 */
static bool
needs_text_suffix(SimTypeId id)
{
	switch (id)
	{
		case SIM_DECIMAL:
		case SIM_NUMERIC:
		case SIM_MONEY:
		case SIM_SMALLMONEY:
		case SIM_DATE:
		case SIM_TIME:
		case SIM_DATETIME:
		case SIM_DATETIME2:
		case SIM_SMALLDATETIME:
		case SIM_DATETIMEOFFSET:
		case SIM_UNIQUEIDENTIFIER:
		case SIM_XML:
			return true;
		default:
			return false;
	}
}

void
engine_decltype(const SimType *t, char *buf, size_t buflen)
{
	char		spelled[64];
	char	   *paren;

	if (t->id == SIM_SYSNAME)
	{
		snprintf(buf, buflen, "nvarchar(128)");
		return;
	}
	sim_type_format(t, spelled, sizeof(spelled));
	/* SQLite type names take numbers only in parentheses: "(max)" -> "_max" */
	if ((paren = strstr(spelled, "(max)")) != NULL)
		strcpy(paren, "_max");
	if (!needs_text_suffix(t->id))
	{
		snprintf(buf, buflen, "%s", spelled);
		return;
	}
	paren = strchr(spelled, '(');
	if (paren)
		snprintf(buf, buflen, "%.*s_text%s", (int) (paren - spelled), spelled, paren);
	else
		snprintf(buf, buflen, "%s_text", spelled);
}

bool
engine_decltype_parse(const char *decl, SimType *out)
{
	char		tmp[96];
	char		err[128];
	const char *us;
	size_t		n = strlen(decl);

	if (n >= sizeof(tmp))
		return false;
	us = strstr(decl, "_text");
	if (us)
	{
		size_t		pre = (size_t) (us - decl);

		memcpy(tmp, decl, pre);
		strcpy(tmp + pre, us + 5);
	}
	else
		strcpy(tmp, decl);
	n = strlen(tmp);
	if (n > 4 && engine_strcasecmp(tmp + n - 4, "_max") == 0 && n + 2 < sizeof(tmp))
		strcpy(tmp + n - 4, "(max)");
	return sim_type_parse(tmp, out, err, sizeof(err));
}

/*
 * Contract in engine.h.
 */
const char *
engine_type_collation(const SimType *t)
{
	switch (t->id)
	{
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_NCHAR:
		case SIM_NVARCHAR:
		case SIM_TEXT:
		case SIM_NTEXT:
		case SIM_SYSNAME:
			return "SIM_CI";
		case SIM_DECIMAL:
		case SIM_NUMERIC:
		case SIM_MONEY:
		case SIM_SMALLMONEY:
			return "SIM_NUM";
		case SIM_DATE:
		case SIM_TIME:
		case SIM_DATETIME:
		case SIM_DATETIME2:
		case SIM_SMALLDATETIME:
		case SIM_DATETIMEOFFSET:
			return "SIM_DT";
		case SIM_UNIQUEIDENTIFIER:
			return "SIM_GUID";	/* SQL Server's byte order */
		default:
			return NULL;
	}
}
