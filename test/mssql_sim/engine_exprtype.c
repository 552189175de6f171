/*
 * engine_exprtype.c
 *		The SQL Server type of a T-SQL expression, told from its tokens.
 *
 * SQLite gives a result column a declared type only when the column comes
 * straight from a table column.  Every other expression needs the type SQL
 * Server would give it: clients size their buffers and bind their columns
 * from the metadata, and the encoder cuts strings to the declared length.
 * engine_expr_type() derives it from the text: literals, variables,
 * @@globals, columns of the statement's tables, CAST/CONVERT, CASE, IIF,
 * ISNULL, COALESCE, NULLIF, the common built-in functions, window
 * functions, one-column scalar subqueries, and the operators + - * / % &
 * | ^ with SQL Server's data type precedence, string concatenation lengths
 * and decimal precision rules.  What it cannot tell (columns of derived
 * tables and CTEs, NULL) is "unknown"; callers then fall back to what the
 * values say.
 *
 * Lengths follow SQL Server: char/varchar in bytes of the code page (one
 * per character here), nchar/nvarchar in UTF-16 code units.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define MAX_TYPE_DEPTH 32

static bool expr_type(EngineXlate *x, int a, int b, SimType *out, int depth);

static bool
is_word(const EngineStmt *st, int i, const char *kw)
{
	return engine_tok_is(st, i, kw);
}

static bool
is_op(const EngineStmt *st, int i, const char *op)
{
	return engine_tok_op(st, i, op);
}

static void
set_type(SimType *t, SimTypeId id, int length, int precision, int scale)
{
	t->id = id;
	t->length = length;
	t->precision = precision;
	t->scale = scale;
}

/* ------------------------------------------------------------------------
 * Type families and SQL Server's data type precedence
 * ------------------------------------------------------------------------
 */

static bool
is_char_family(SimTypeId id)
{
	return id == SIM_CHAR || id == SIM_VARCHAR || id == SIM_TEXT;
}

static bool
is_nchar_family(SimTypeId id)
{
	return id == SIM_NCHAR || id == SIM_NVARCHAR || id == SIM_NTEXT || id == SIM_SYSNAME;
}

static bool
is_string(SimTypeId id)
{
	return is_char_family(id) || is_nchar_family(id);
}

static bool
is_binary(SimTypeId id)
{
	return id == SIM_BINARY || id == SIM_VARBINARY || id == SIM_IMAGE;
}

/* Higher wins when two types meet (Microsoft's "Data type precedence"). */
static int
precedence(SimTypeId id)
{
	switch (id)
	{
		case SIM_XML:
			return 30;
		case SIM_DATETIMEOFFSET:
			return 29;
		case SIM_DATETIME2:
			return 28;
		case SIM_DATETIME:
			return 27;
		case SIM_SMALLDATETIME:
			return 26;
		case SIM_DATE:
			return 25;
		case SIM_TIME:
			return 24;
		case SIM_FLOAT:
			return 23;
		case SIM_REAL:
			return 22;
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			return 21;
		case SIM_MONEY:
			return 20;
		case SIM_SMALLMONEY:
			return 19;
		case SIM_BIGINT:
			return 18;
		case SIM_INT:
			return 17;
		case SIM_SMALLINT:
			return 16;
		case SIM_TINYINT:
			return 15;
		case SIM_BIT:
			return 14;
		case SIM_NTEXT:
			return 13;
		case SIM_TEXT:
			return 12;
		case SIM_IMAGE:
			return 11;
		case SIM_ROWVERSION:
			return 10;
		case SIM_UNIQUEIDENTIFIER:
			return 9;
		case SIM_NVARCHAR:
		case SIM_SYSNAME:
			return 8;
		case SIM_NCHAR:
			return 7;
		case SIM_VARCHAR:
			return 6;
		case SIM_CHAR:
			return 5;
		case SIM_VARBINARY:
			return 4;
		case SIM_BINARY:
			return 3;
	}
	return 0;
}

/* Precision and scale of an exact numeric type seen as a decimal. */
static bool
as_decimal(const SimType *t, int *p, int *s)
{
	*s = 0;
	switch (t->id)
	{
		case SIM_BIT:
			*p = 1;
			return true;
		case SIM_TINYINT:
			*p = 3;
			return true;
		case SIM_SMALLINT:
			*p = 5;
			return true;
		case SIM_INT:
			*p = 10;
			return true;
		case SIM_BIGINT:
			*p = 19;
			return true;
		case SIM_SMALLMONEY:
			*p = 10;
			*s = 4;
			return true;
		case SIM_MONEY:
			*p = 19;
			*s = 4;
			return true;
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			*p = t->precision > 0 ? t->precision : 18;
			*s = t->scale;
			return true;
		default:
			return false;
	}
}

/*
 * A decimal(p, s) result; above 38 digits the precision is cut to 38 and the
 * scale reduced the way SQL Server documents ("Precision, scale, and
 * length"): to what is left beside the integral digits when those are
 * fewer than 32, else to at most 6.
 */
static void
set_decimal(SimType *t, SimTypeId id, int p, int s)
{
	if (p > 38)
	{
		int			intd = p - s;

		if (intd < 32)
			s = s < 38 - intd ? s : 38 - intd;
		else if (s > 6)
			s = 6;
		p = 38;
	}
	if (s > p)
		s = p;
	set_type(t, id, 0, p, s);
}

/* Character length of a string type (MAX stays MAX). */
static int
char_length(const SimType *t)
{
	if (t->id == SIM_TEXT || t->id == SIM_NTEXT)
		return SIM_MAX_LENGTH;
	if (t->id == SIM_SYSNAME)
		return 128;
	return t->length;
}

/*
 * A varchar/nvarchar(len).  Beyond the type's limit (8000 bytes) it is
 * the limit, not MAX: SQL Server cuts what non-MAX strings make (a
 * concatenation, CONCAT) at 8000 bytes.
 */
static void
set_string(SimType *t, bool unicode, int len)
{
	int			limit = unicode ? 4000 : 8000;

	if (len != SIM_MAX_LENGTH && len > limit)
		len = limit;
	if (len == 0)
		len = 1;
	set_type(t, unicode ? SIM_NVARCHAR : SIM_VARCHAR, len, 0, 0);
}

/*
 * The type of a result that may come from either a or b (CASE branches,
 * IIF, COALESCE): the type of higher precedence, with lengths, precisions
 * and scales large enough for both.
 */
static void
combine(SimType *a, const SimType *b)
{
	if (b->id == 0)
		return;
	if (a->id == 0)
	{
		*a = *b;
		return;
	}
	if (is_string(a->id) && is_string(b->id) && a->id != SIM_TEXT && a->id != SIM_NTEXT &&
		b->id != SIM_TEXT && b->id != SIM_NTEXT)
	{
		int			la = char_length(a),
					lb = char_length(b);
		int			len = (la == SIM_MAX_LENGTH || lb == SIM_MAX_LENGTH) ? SIM_MAX_LENGTH :
			la > lb ? la : lb;
		bool		fixed = a->id == b->id && (a->id == SIM_CHAR || a->id == SIM_NCHAR);

		if (fixed)
			a->length = len;
		else
			set_string(a, is_nchar_family(a->id) || is_nchar_family(b->id), len);
		return;
	}
	if (is_binary(a->id) && is_binary(b->id) && a->id != SIM_IMAGE && b->id != SIM_IMAGE)
	{
		int			len = (a->length == SIM_MAX_LENGTH || b->length == SIM_MAX_LENGTH) ?
			SIM_MAX_LENGTH : a->length > b->length ? a->length : b->length;

		set_type(a, a->id == b->id ? a->id : SIM_VARBINARY, len, 0, 0);
		return;
	}
	if (precedence(b->id) > precedence(a->id))
	{
		SimType		keep = *a;

		*a = *b;
		b = &keep;
		if (a->id == SIM_DECIMAL || a->id == SIM_NUMERIC)
		{
			int			p1,
						s1,
						p2,
						s2;

			if (as_decimal(a, &p1, &s1) && as_decimal(b, &p2, &s2))
			{
				int			s = s1 > s2 ? s1 : s2;
				int			intd = (p1 - s1) > (p2 - s2) ? p1 - s1 : p2 - s2;

				set_decimal(a, a->id, intd + s, s);
			}
		}
		return;
	}
	if (a->id == b->id || ((a->id == SIM_DECIMAL || a->id == SIM_NUMERIC) &&
						   precedence(a->id) == precedence(b->id)))
	{
		int			p1,
					s1,
					p2,
					s2;

		if ((a->id == SIM_DECIMAL || a->id == SIM_NUMERIC) &&
			as_decimal(a, &p1, &s1) && as_decimal(b, &p2, &s2))
		{
			int			s = s1 > s2 ? s1 : s2;
			int			intd = (p1 - s1) > (p2 - s2) ? p1 - s1 : p2 - s2;

			set_decimal(a, a->id, intd + s, s);
		}
		else if (b->scale > a->scale)
			a->scale = b->scale;
		return;
	}
	/* a has the higher precedence: an exact numeric b widens a decimal a */
	if (a->id == SIM_DECIMAL || a->id == SIM_NUMERIC)
	{
		int			p1,
					s1,
					p2,
					s2;

		if (as_decimal(a, &p1, &s1) && as_decimal(b, &p2, &s2))
		{
			int			s = s1 > s2 ? s1 : s2;
			int			intd = (p1 - s1) > (p2 - s2) ? p1 - s1 : p2 - s2;

			set_decimal(a, a->id, intd + s, s);
		}
	}
}

/*
 * Result type of "a op b" (op one of + - * / % & | ^), SQL Server's rules:
 * + on two strings concatenates (lengths add up); otherwise the operand
 * type of higher precedence, decimals with the documented precision and
 * scale of each operator.
 */
static bool
binary_result(const SimType *a, const char *op, const SimType *b, SimType *out)
{
	memset(out, 0, sizeof(*out));
	if (a->id == 0 || b->id == 0)
		return false;
	if (strcmp(op, "+") == 0 && is_string(a->id) && is_string(b->id))
	{
		int			la = char_length(a),
					lb = char_length(b);

		set_string(out, is_nchar_family(a->id) || is_nchar_family(b->id),
				   (la == SIM_MAX_LENGTH || lb == SIM_MAX_LENGTH) ? SIM_MAX_LENGTH : la + lb);
		return true;
	}
	if (strcmp(op, "+") == 0 && is_binary(a->id) && is_binary(b->id))
	{
		int			len = (a->length == SIM_MAX_LENGTH || b->length == SIM_MAX_LENGTH ||
						   a->length + b->length > 8000) ? SIM_MAX_LENGTH : a->length + b->length;

		set_type(out, SIM_VARBINARY, len, 0, 0);
		return true;
	}
	*out = precedence(a->id) >= precedence(b->id) ? *a : *b;
	if (is_string(out->id) || is_binary(out->id))
		return false;			/* mixed string/binary arithmetic: leave it */
	if (out->id == SIM_DECIMAL || out->id == SIM_NUMERIC)
	{
		int			p1,
					s1,
					p2,
					s2,
					p,
					s;

		if (!as_decimal(a, &p1, &s1) || !as_decimal(b, &p2, &s2))
			return true;		/* decimal with a non-exact operand: keep it */
		if (strcmp(op, "*") == 0)
		{
			p = p1 + p2 + 1;
			s = s1 + s2;
		}
		else if (strcmp(op, "/") == 0)
		{
			s = 6 > s1 + p2 + 1 ? 6 : s1 + p2 + 1;
			p = p1 - s1 + s2 + s;
		}
		else if (strcmp(op, "%") == 0)
		{
			s = s1 > s2 ? s1 : s2;
			p = ((p1 - s1) < (p2 - s2) ? p1 - s1 : p2 - s2) + s;
		}
		else
		{
			s = s1 > s2 ? s1 : s2;
			p = ((p1 - s1) > (p2 - s2) ? p1 - s1 : p2 - s2) + s + 1;
		}
		set_decimal(out, out->id, p, s);
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Walking the tokens
 * ------------------------------------------------------------------------
 */

/* Index just after the CASE ... END that starts at i (or to). */
static int
skip_case(const EngineStmt *st, int i, int to)
{
	int			depth = 0;

	for (; i < to; i++)
	{
		if (is_op(st, i, "("))
			i = engine_skip_parens(st, i) - 1;
		else if (is_word(st, i, "CASE"))
			depth++;
		else if (is_word(st, i, "END") && --depth == 0)
			return i + 1;
	}
	return to;
}

/*
 * Split the arguments of a call whose '(' is at open: starts[k], ends[k]
 * for each top-level comma-separated argument.  Returns their number
 * (0 for "()").
 */
static int
split_args(const EngineStmt *st, int open, int *starts, int *ends, int max)
{
	int			close = engine_skip_parens(st, open) - 1;
	int			i = open + 1,
				n = 0,
				start = open + 1;

	if (close == open + 1)
		return 0;
	for (; i < close; i++)
	{
		if (is_op(st, i, "("))
			i = engine_skip_parens(st, i) - 1;
		else if (is_word(st, i, "CASE"))
			i = skip_case(st, i, close) - 1;
		else if (is_op(st, i, ","))
		{
			if (n < max)
			{
				starts[n] = start;
				ends[n] = i;
			}
			n++;
			start = i + 1;
		}
	}
	if (n < max)
	{
		starts[n] = start;
		ends[n] = close;
	}
	n++;
	return n < max ? n : max;
}

/* Is token i an operand's last token (so that a following +/- is binary)? */
static bool
ends_operand(const EngineStmt *st, int i)
{
	const EngineToken *t = &st->tok[i];

	if (t->type == TK_OP)
		return strcmp(t->text, ")") == 0;
	if (t->type == TK_WORD)
		return engine_strcasecmp(t->text, "END") == 0 ||
			!(engine_strcasecmp(t->text, "CASE") == 0 || engine_strcasecmp(t->text, "WHEN") == 0 ||
			  engine_strcasecmp(t->text, "THEN") == 0 || engine_strcasecmp(t->text, "ELSE") == 0 ||
			  engine_strcasecmp(t->text, "AND") == 0 || engine_strcasecmp(t->text, "OR") == 0 ||
			  engine_strcasecmp(t->text, "NOT") == 0);
	return true;
}

/* CASE ... END at [a, b): the combined type of its THEN and ELSE branches. */
static bool
case_type(EngineXlate *x, int a, int b, SimType *out, int depth)
{
	const EngineStmt *st = x->st;
	int			i,
				branch = -1;

	memset(out, 0, sizeof(*out));
	for (i = a + 1; i < b - 1; i++)
	{
		bool		boundary = is_word(st, i, "WHEN") || is_word(st, i, "ELSE") ||
			is_word(st, i, "THEN");

		if (boundary && branch >= 0)
		{
			SimType		t;

			if (expr_type(x, branch, i, &t, depth + 1))
				combine(out, &t);
			branch = -1;
		}
		if (is_word(st, i, "THEN") || is_word(st, i, "ELSE"))
			branch = i + 1;
		else if (is_op(st, i, "("))
			i = engine_skip_parens(st, i) - 1;
		else if (is_word(st, i, "CASE"))
			i = skip_case(st, i, b - 1) - 1;
	}
	if (branch >= 0)
	{
		SimType		t;

		if (expr_type(x, branch, b - 1, &t, depth + 1))
			combine(out, &t);
	}
	return out->id != 0;
}

/* The most characters a non-string value takes as text (for CONCAT). */
static int
text_width(const SimType *t)
{
	switch (t->id)
	{
		case SIM_BIT:
			return 1;
		case SIM_TINYINT:
			return 3;
		case SIM_SMALLINT:
			return 6;
		case SIM_INT:
			return 11;
		case SIM_BIGINT:
			return 20;
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			return t->precision + 2;
		case SIM_MONEY:
		case SIM_SMALLMONEY:
			return 22;
		case SIM_DATE:
			return 10;
		case SIM_TIME:
			return 16;
		case SIM_DATETIME:
		case SIM_SMALLDATETIME:
			return 23;
		case SIM_DATETIME2:
			return 27;
		case SIM_DATETIMEOFFSET:
			return 34;
		case SIM_UNIQUEIDENTIFIER:
			return 36;
		case SIM_BINARY:
		case SIM_VARBINARY:
			return t->length == SIM_MAX_LENGTH ? SIM_MAX_LENGTH : t->length;
		default:
			return 40;
	}
}

/* The type of the function call fn(...) whose '(' is at open, ending at b. */
static bool
call_type(EngineXlate *x, const char *fn, int open, int b, SimType *out, int depth)
{
	const EngineStmt *st = x->st;
	int			starts[64],
				ends[64];
	int			nargs = split_args(st, open, starts, ends, 64);
	SimType		a0,
				t;
	bool		k0;
	char		lower[ENGINE_NAME_LEN];
	size_t		i;

	memset(out, 0, sizeof(*out));
	for (i = 0; fn[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char) tolower((unsigned char) fn[i]);
	lower[i] = '\0';
	k0 = nargs > 0 && expr_type(x, starts[0], ends[0], &a0, depth + 1);
	if (!k0)
		memset(&a0, 0, sizeof(a0));

	if (strcmp(lower, "cast") == 0 || strcmp(lower, "try_cast") == 0 ||
		strcmp(lower, "convert") == 0 || strcmp(lower, "try_convert") == 0)
	{
		int			tf,
					tt;
		char	   *text;
		char		err[256];
		bool		ok;

		if (lower[strlen(lower) - 1] == 't')	/* cast */
		{
			int			close = engine_skip_parens(st, open) - 1;

			for (tf = open + 1; tf < close; tf++)
			{
				if (is_op(st, tf, "("))
					tf = engine_skip_parens(st, tf) - 1;
				else if (is_word(st, tf, "CASE"))
					tf = skip_case(st, tf, close) - 1;
				else if (is_word(st, tf, "AS"))
					break;
			}
			if (tf >= close)
				return false;
			tf++;
			tt = close;
		}
		else
		{
			if (nargs < 2)
				return false;
			tf = starts[0];
			tt = ends[0];
		}
		if (tf >= tt)
			return false;
		text = engine_tok_text(st, tf, tt);
		ok = sim_type_parse(text, out, err, sizeof(err));
		free(text);
		if (!ok)
			return false;
		/* CAST(x AS varchar) without length means varchar(30) */
		if ((out->id == SIM_VARCHAR || out->id == SIM_NVARCHAR || out->id == SIM_CHAR ||
			 out->id == SIM_NCHAR) && !is_op(st, tt - 1, ")"))
			out->length = 30;
		return true;
	}
	if (strcmp(lower, "isnull") == 0)
	{
		/* the check expression's type; a NULL literal gives the replacement's */
		if (k0)
			*out = a0;
		else if (nargs > 1 && expr_type(x, starts[1], ends[1], &t, depth + 1))
			*out = t;
		return out->id != 0;
	}
	if (strcmp(lower, "coalesce") == 0 || strcmp(lower, "iif") == 0 ||
		strcmp(lower, "choose") == 0)
	{
		int			k = strcmp(lower, "coalesce") == 0 ? 0 : 1;

		for (; k < nargs; k++)
			if (expr_type(x, starts[k], ends[k], &t, depth + 1))
				combine(out, &t);
		return out->id != 0;
	}
	if (strcmp(lower, "nullif") == 0 || strcmp(lower, "abs") == 0 ||
		strcmp(lower, "round") == 0 || strcmp(lower, "min") == 0 ||
		strcmp(lower, "max") == 0 || strcmp(lower, "power") == 0 ||
		strcmp(lower, "sign") == 0)
	{
		*out = a0;
		return k0;
	}
	if (strcmp(lower, "floor") == 0 || strcmp(lower, "ceiling") == 0)
	{
		*out = a0;
		if (out->id == SIM_DECIMAL || out->id == SIM_NUMERIC)
			out->scale = 0;
		return k0;
	}
	if (strcmp(lower, "sum") == 0 || strcmp(lower, "avg") == 0)
	{
		bool		avg = strcmp(lower, "avg") == 0;

		if (!k0)
			return false;
		switch (a0.id)
		{
			case SIM_BIT:
			case SIM_TINYINT:
			case SIM_SMALLINT:
			case SIM_INT:
				set_type(out, SIM_INT, 0, 0, 0);
				break;
			case SIM_BIGINT:
				set_type(out, SIM_BIGINT, 0, 0, 0);
				break;
			case SIM_DECIMAL:
			case SIM_NUMERIC:
				set_type(out, SIM_DECIMAL, 0, 38, avg && a0.scale < 6 ? 6 : a0.scale);
				break;
			case SIM_MONEY:
			case SIM_SMALLMONEY:
				set_type(out, SIM_MONEY, 0, 19, 4);
				break;
			case SIM_REAL:
			case SIM_FLOAT:
				set_type(out, SIM_FLOAT, 0, 53, 0);
				break;
			default:
				return false;
		}
		return true;
	}
	if (strcmp(lower, "len") == 0 || strcmp(lower, "datalength") == 0)
	{
		set_type(out, k0 && a0.length == SIM_MAX_LENGTH ? SIM_BIGINT : SIM_INT, 0, 0, 0);
		return true;
	}
	if (strcmp(lower, "upper") == 0 || strcmp(lower, "lower") == 0 ||
		strcmp(lower, "ltrim") == 0 || strcmp(lower, "rtrim") == 0 ||
		strcmp(lower, "trim") == 0 || strcmp(lower, "reverse") == 0 ||
		strcmp(lower, "left") == 0 || strcmp(lower, "right") == 0 ||
		strcmp(lower, "substring") == 0)
	{
		if (!k0)
			return false;
		if (is_string(a0.id))
			set_string(out, is_nchar_family(a0.id), char_length(&a0));
		else if (is_binary(a0.id) && strcmp(lower, "substring") == 0)
			set_type(out, SIM_VARBINARY, a0.length, 0, 0);
		else
			set_string(out, false, 8000);
		return true;
	}
	if (strcmp(lower, "replace") == 0 || strcmp(lower, "replicate") == 0 ||
		strcmp(lower, "stuff") == 0 || strcmp(lower, "string_agg") == 0 ||
		strcmp(lower, "translate") == 0)
	{
		/* results may grow: 8000 bytes, or MAX for a MAX input */
		bool		unicode = k0 && is_nchar_family(a0.id);

		if (!k0)
			return false;
		set_string(out, unicode, char_length(&a0) == SIM_MAX_LENGTH ? SIM_MAX_LENGTH :
				   unicode ? 4000 : 8000);
		return true;
	}
	if (strcmp(lower, "concat") == 0 || strcmp(lower, "concat_ws") == 0)
	{
		bool		unicode = false;
		int			len = 0,
					k;

		for (k = 0; k < nargs; k++)
		{
			if (!expr_type(x, starts[k], ends[k], &t, depth + 1))
			{
				if (!(ends[k] == starts[k] + 1 && is_word(st, starts[k], "NULL")))
					len = SIM_MAX_LENGTH;
				continue;
			}
			if (is_nchar_family(t.id))
				unicode = true;
			if (len == SIM_MAX_LENGTH)
				continue;
			if (is_string(t.id))
				len = char_length(&t) == SIM_MAX_LENGTH ? SIM_MAX_LENGTH : len + char_length(&t);
			else
				len = text_width(&t) == SIM_MAX_LENGTH ? SIM_MAX_LENGTH : len + text_width(&t);
		}
		if (len != SIM_MAX_LENGTH && nargs > 0 && strcmp(lower, "concat_ws") == 0)
			len *= 2;
		set_string(out, unicode, len);
		return true;
	}
	if (strcmp(lower, "space") == 0 || strcmp(lower, "str") == 0)
	{
		set_string(out, false, strcmp(lower, "str") == 0 ? 10 : 8000);
		return true;
	}
	if (strcmp(lower, "quotename") == 0)
	{
		set_type(out, SIM_NVARCHAR, 258, 0, 0);
		return true;
	}
	if (strcmp(lower, "char") == 0 || strcmp(lower, "nchar") == 0)
	{
		set_type(out, lower[0] == 'n' ? SIM_NCHAR : SIM_CHAR, 1, 0, 0);
		return true;
	}
	if (strcmp(lower, "format") == 0 || strcmp(lower, "datename") == 0)
	{
		set_type(out, SIM_NVARCHAR, strcmp(lower, "format") == 0 ? 4000 : 30, 0, 0);
		return true;
	}
	if (strcmp(lower, "dateadd") == 0)
	{
		if (nargs == 3 && expr_type(x, starts[2], ends[2], &t, depth + 1) && !is_string(t.id))
			*out = t;
		else
			set_type(out, SIM_DATETIME, 0, 0, 3);
		return true;
	}
	if (strcmp(lower, "datediff_big") == 0)
	{
		set_type(out, SIM_BIGINT, 0, 0, 0);
		return true;
	}
	if (strcmp(lower, "eomonth") == 0 || strcmp(lower, "datefromparts") == 0)
	{
		set_type(out, SIM_DATE, 0, 0, 0);
		return true;
	}
	if (strcmp(lower, "sqrt") == 0 || strcmp(lower, "exp") == 0 || strcmp(lower, "log") == 0 ||
		strcmp(lower, "log10") == 0 || strcmp(lower, "rand") == 0 || strcmp(lower, "pi") == 0 ||
		strcmp(lower, "sin") == 0 || strcmp(lower, "cos") == 0 || strcmp(lower, "tan") == 0 ||
		strcmp(lower, "square") == 0)
	{
		set_type(out, SIM_FLOAT, 0, 53, 0);
		return true;
	}
	return engine_function_hint(x->s, fn, out);
}

/*
 * A scalar subquery "SELECT [DISTINCT] [TOP n] item [FROM ...]" at [a, b):
 * the type of its one select item (its columns are looked up among the
 * statement's tables, which include the subquery's).
 */
static bool
subquery_type(EngineXlate *x, int a, int b, SimType *out, int depth)
{
	const EngineStmt *st = x->st;
	int			i = a + 1,
				end;

	if (is_word(st, i, "DISTINCT") || is_word(st, i, "ALL"))
		i++;
	if (is_word(st, i, "TOP"))
	{
		i++;
		i = is_op(st, i, "(") ? engine_skip_parens(st, i) : i + 1;
		if (is_word(st, i, "PERCENT"))
			i++;
		if (is_word(st, i, "WITH") && is_word(st, i + 1, "TIES"))
			i += 2;
	}
	for (end = i; end < b; end++)
	{
		if (is_op(st, end, "("))
			end = engine_skip_parens(st, end) - 1;
		else if (is_word(st, end, "CASE"))
			end = skip_case(st, end, b) - 1;
		else if (is_op(st, end, ","))
			return false;		/* more than one column */
		else if (is_word(st, end, "FROM") || is_word(st, end, "WHERE") ||
				 is_word(st, end, "UNION") || is_word(st, end, "ORDER") ||
				 is_word(st, end, "GROUP"))
			break;
	}
	/* "expr AS name" / "expr name" */
	if (end - i >= 3 && is_word(st, end - 2, "AS"))
		end -= 2;
	if (i < end && st->tok[i].type != TK_VAR && is_op(st, i + 1, "="))
		i += 2;					/* name = expr */
	return expr_type(x, i, end, out, depth + 1);
}

/*
 * The type of [a, b).  Returns false (out zeroed) when it cannot be told.
 */
/*
 * A column of a derived table or CTE: "expr AS name" (or "name = expr") in
 * a select list inside parentheses, other than at token self (the
 * reference being typed): the type of the nearest such expression (the
 * tokens may be a whole batch of statements).
 */
static bool
derived_item_type(EngineXlate *x, const char *name, int self, SimType *out, int depth)
{
	const EngineStmt *st = x->st;
	int			j,
				found_from = -1,
				found_to = -1,
				nfound = 0,
				level = 0;

	for (j = 0; j < st->ntok; j++)
	{
		int			k,
					d;

		if (is_op(st, j, "("))
			level++;
		else if (is_op(st, j, ")"))
			level--;
		if (level <= 0 || j == self ||
			!(st->tok[j].type == TK_WORD || st->tok[j].type == TK_QIDENT) ||
			engine_strcasecmp(st->tok[j].text, name) != 0)
			continue;
		if (j >= 2 && is_word(st, j - 1, "AS"))
		{
			/* expr AS name: the expression starts after ',' or SELECT [DISTINCT] */
			d = 0;
			for (k = j - 2; k >= 0; k--)
			{
				if (is_op(st, k, ")"))
					d++;
				else if (is_op(st, k, "("))
				{
					if (d == 0)
						break;
					d--;
				}
				else if (d == 0 && (is_op(st, k, ",") || is_word(st, k, "SELECT") ||
									is_word(st, k, "DISTINCT")))
					break;
			}
			if (k < 0 || !(is_op(st, k, ",") || is_word(st, k, "SELECT") || is_word(st, k, "DISTINCT")))
				continue;
			/* the nearest definition: a batch may hold several statements */
			if (nfound == 0 || abs(j - self) < abs(found_to + 1 - self))
			{
				found_from = k + 1;
				found_to = j - 1;
			}
			nfound++;
		}
	}
	if (nfound == 0 || found_from >= found_to)
		return false;
	return expr_type(x, found_from, found_to, out, depth + 1);
}

static bool
expr_type(EngineXlate *x, int a, int b, SimType *out, int depth)
{
	const EngineStmt *st = x->st;
	int			i,
				split = -1,
				split_mul = -1;
	int			e;

	memset(out, 0, sizeof(*out));
	if (depth > MAX_TYPE_DEPTH || a >= b || b > st->ntok)
		return false;
	while (is_op(st, a, "(") && engine_skip_parens(st, a) == b)
	{
		a++;
		b--;
		if (a >= b)
			return false;
	}
	if (is_word(st, a, "SELECT"))
		return subquery_type(x, a, b, out, depth);

	/* a window function: fn(...) OVER (...) */
	{
		int			e = engine_name_end(st, a);

		if (e == a + 1 && is_op(st, e, "(") && is_word(st, engine_skip_parens(st, e), "OVER") &&
			is_op(st, engine_skip_parens(st, e) + 1, "(") &&
			engine_skip_parens(st, engine_skip_parens(st, e) + 1) == b)
		{
			const char *fn = st->tok[a].text;

			if (engine_strcasecmp(fn, "ROW_NUMBER") == 0 || engine_strcasecmp(fn, "RANK") == 0 ||
				engine_strcasecmp(fn, "DENSE_RANK") == 0 || engine_strcasecmp(fn, "NTILE") == 0)
			{
				set_type(out, SIM_BIGINT, 0, 0, 0);
				return true;
			}
			if (engine_strcasecmp(fn, "LAG") == 0 || engine_strcasecmp(fn, "LEAD") == 0 ||
				engine_strcasecmp(fn, "FIRST_VALUE") == 0 ||
				engine_strcasecmp(fn, "LAST_VALUE") == 0)
			{
				int			starts[8],
							ends[8];

				if (split_args(st, e, starts, ends, 8) < 1)
					return false;
				return expr_type(x, starts[0], ends[0], out, depth + 1);
			}
			return call_type(x, fn, e, engine_skip_parens(st, e), out, depth);
		}
	}

	/* top-level operators: the rightmost additive one, else multiplicative */
	for (i = a; i < b; i++)
	{
		const EngineToken *t = &st->tok[i];

		if (is_op(st, i, "("))
		{
			i = engine_skip_parens(st, i) - 1;
			continue;
		}
		if (is_word(st, i, "CASE"))
		{
			i = skip_case(st, i, b) - 1;
			continue;
		}
		if (is_word(st, i, "COLLATE"))
			return expr_type(x, a, i, out, depth + 1);
		if (is_word(st, i, "OVER") && is_op(st, i + 1, "("))
		{
			i = engine_skip_parens(st, i + 1) - 1;
			continue;
		}
		if (t->type == TK_WORD &&
			(engine_strcasecmp(t->text, "AND") == 0 || engine_strcasecmp(t->text, "OR") == 0 ||
			 engine_strcasecmp(t->text, "LIKE") == 0 || engine_strcasecmp(t->text, "IS") == 0 ||
			 engine_strcasecmp(t->text, "IN") == 0 || engine_strcasecmp(t->text, "BETWEEN") == 0))
			return false;
		if (t->type != TK_OP || i == a || !ends_operand(st, i - 1))
			continue;
		if (strcmp(t->text, "+") == 0 || strcmp(t->text, "-") == 0 ||
			strcmp(t->text, "&") == 0 || strcmp(t->text, "|") == 0 ||
			strcmp(t->text, "^") == 0)
			split = i;
		else if (strcmp(t->text, "*") == 0 || strcmp(t->text, "/") == 0 ||
				 strcmp(t->text, "%") == 0)
			split_mul = i;
		else if (strcmp(t->text, ".") != 0)
			return false;		/* comparison or assignment */
	}
	if (split < 0)
		split = split_mul;
	if (split >= 0)
	{
		SimType		l,
					r;

		if (!expr_type(x, a, split, &l, depth + 1) ||
			!expr_type(x, split + 1, b, &r, depth + 1))
			return false;
		return binary_result(&l, st->tok[split].text, &r, out);
	}

	/* unary operators */
	if (is_op(st, a, "-") || is_op(st, a, "+") || is_op(st, a, "~"))
	{
		if (b - a == 2 && st->tok[a + 1].type == TK_NUMBER)
			return engine_literal_hint(&st->tok[a + 1], out);
		return expr_type(x, a + 1, b, out, depth + 1);
	}

	if (b - a == 1)
	{
		const EngineToken *t = &st->tok[a];

		if (engine_literal_hint(t, out))
			return true;
		if (t->type == TK_VAR)
		{
			EngineVar  *v = engine_var_find(x->s, t->text);

			if (v)
				*out = v->type;
			return v != NULL;
		}
		if (t->type == TK_GLOBAL)
			return engine_global_hint(t->text, out);
		if (t->type == TK_WORD)
		{
			if (engine_strcasecmp(t->text, "NULL") == 0)
				return false;
			if (engine_strcasecmp(t->text, "CURRENT_TIMESTAMP") == 0)
				return engine_function_hint(x->s, "getdate", out);
			if (engine_strcasecmp(t->text, "SYSTEM_USER") == 0 ||
				engine_strcasecmp(t->text, "SESSION_USER") == 0 ||
				engine_strcasecmp(t->text, "CURRENT_USER") == 0)
				return engine_function_hint(x->s, "suser_sname", out);
		}
	}
	if (is_word(st, a, "CASE") && is_word(st, b - 1, "END") && skip_case(st, a, b) == b)
		return case_type(x, a, b, out, depth);

	e = engine_name_end(st, a);
	if (e > a && is_op(st, e, "(") && engine_skip_parens(st, e) == b)
	{
		char	   *txt;
		char		db[ENGINE_NAME_LEN],
					sc[ENGINE_NAME_LEN],
					nm[ENGINE_NAME_LEN];
		char		dotted[ENGINE_NAME_LEN * 2 + 2];
		bool		ok;

		if (e == a + 1)
			return call_type(x, st->tok[a].text, e, b, out, depth);
		/* dotted: a registered function such as sys.fn_cdc_get_max_lsn */
		txt = engine_tok_text(st, a, e);
		ok = engine_split_name(txt, db, sc, nm, ENGINE_NAME_LEN);
		free(txt);
		if (!ok)
			return false;
		snprintf(dotted, sizeof(dotted), "%s.%s", sc, nm);
		return engine_function_hint(x->s, dotted, out);
	}
	if (e == b && (st->tok[e - 1].type == TK_WORD || st->tok[e - 1].type == TK_QIDENT))
	{
		/* [[db.]schema.]table_or_alias.column, or column */
		const char *qualifier = e - a >= 3 && is_op(st, e - 2, ".") ? st->tok[e - 3].text : NULL;
		EngineColumn *c = engine_xlate_typed_column(x, qualifier, st->tok[e - 1].text);

		if (c)
			*out = c->type;
		else
			return derived_item_type(x, st->tok[e - 1].text, a, out, depth);
		return true;
	}
	return false;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_expr_type(EngineXlate *x, int a, int b, SimType *out)
{
	return expr_type(x, a, b, out, 0);
}
