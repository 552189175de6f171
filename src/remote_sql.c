/*-------------------------------------------------------------------------
 *
 * remote_sql.c
 *		The only place that writes T-SQL: quoting, literals, and the
 *		deparse of WHERE, ORDER BY, LIMIT/OFFSET, aggregates and joins for
 *		pushdown, and of comparisons with parameters once their values are
 *		known.
 *
 * Identifiers are written as [name] with "]" doubled; strings as N'...'
 * (plain ASCII ones compared with columns as '...') with "'" doubled.
 * An expression is pushed only when SQL Server evaluates it exactly as
 * PostgreSQL does (MSSQL_PUSH_EXACT), or when SQL Server's
 * answer is a superset of PostgreSQL's and the expression is checked again
 * locally (MSSQL_PUSH_RECHECK): that is how text equality, IN lists and
 * LIKE are pushed, because SQL Server collations are usually case- and
 * accent-insensitive and ignore trailing spaces.  Order-dependent text
 * operations (<, >, ORDER BY on text) and anything under NOT that would
 * need a superset are never pushed.
 *
 * Every statement written here is valid on SQL Server 2016 and later and on
 * Azure SQL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_am.h"
#include "catalog/pg_namespace.h"
#include "commands/defrem.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "parser/parsetree.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "mssql_cdc.h"

typedef struct DeparseCxt
{
	PlannerInfo *root;
	RelOptInfo *baserel;
	Oid			relid;
	StringInfo	buf;			/* NULL while only classifying */
	List	  **params_list;	/* expressions sent as parameters */
	List	  **param_offsets;	/* (offset, index, comparison) triples */
	List	  **param_cmps;		/* comparisons with a parameter */
	bool		joined;			/* a join: columns are [r<varno>].[name] */
	bool		having;			/* a HAVING condition: aggregates are
								 * operands, parameters are not */
} DeparseCxt;

/* type classes for pushdown */
typedef enum TypeClass
{
	TC_NONE,
	TC_NUMBER,
	TC_BOOL,
	TC_TEXT,
	TC_DATE,
	TC_TIMESTAMP,
	TC_TIMESTAMPTZ,
	TC_TIME,
	TC_UUID
} TypeClass;

static void init_cxt(DeparseCxt *cxt, PlannerInfo *root, RelOptInfo *rel);
static void commute_opname(char *opname);
static void array_elements(ArrayType *arr, Datum **elems, bool **nulls, int *n);
static MssqlPushability classify(Node *node, DeparseCxt *cxt, bool negated,
								 bool boolctx);
static void deparse_expr(Node *node, DeparseCxt *cxt, bool boolctx);
static bool deparse_conds(List *conds, const char *first_sep, DeparseCxt *cxt);
static void deparse_column(Var *var, DeparseCxt *cxt);
static void deparse_aggref(Aggref *agg, DeparseCxt *cxt);
static bool aggref_pushable(Aggref *agg, DeparseCxt *cxt);

/*
 * The elements of arr (of type ARR_ELEMTYPE(arr)), as deconstruct_array
 * gives them: *elems and *nulls are palloc'd arrays of *n entries.
 */
static void
array_elements(ArrayType *arr, Datum **elems, bool **nulls, int *n)
{
	Oid			elemtype = ARR_ELEMTYPE(arr);
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign,
					  elems, nulls, n);
}

static TypeClass
type_class(Oid type)
{
	switch (type)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
		case FLOAT4OID:
		case FLOAT8OID:
			return TC_NUMBER;
		case BOOLOID:
			return TC_BOOL;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return TC_TEXT;
		case DATEOID:
			return TC_DATE;
		case TIMESTAMPOID:
			return TC_TIMESTAMP;
		case TIMESTAMPTZOID:
			return TC_TIMESTAMPTZ;
		case TIMEOID:
			return TC_TIME;
		case UUIDOID:
			return TC_UUID;
		default:
			return TC_NONE;
	}
}

/* ------------------------------------------------------------------------
 * Quoting and literals
 * ------------------------------------------------------------------------
 */

/* str with every "quote" doubled (no delimiters) */
static void
append_doubled(StringInfo buf, const char *str, char quote)
{
	const char *p;

	for (p = str; *p; p++)
	{
		if (*p == quote)
			appendStringInfoChar(buf, quote);
		appendStringInfoChar(buf, *p);
	}
}

/* [ident], with "]" doubled */
void
mssql_append_ident(StringInfo buf, const char *ident)
{
	appendStringInfoChar(buf, '[');
	append_doubled(buf, ident, ']');
	appendStringInfoChar(buf, ']');
}

/* N'str', with "'" doubled */
void
mssql_append_nstring(StringInfo buf, const char *str)
{
	appendStringInfoString(buf, "N'");
	append_doubled(buf, str, '\'');
	appendStringInfoChar(buf, '\'');
}

/*
 * A string compared with a text column: '...' when it is plain ASCII, else
 * N'...'.  Both find the same rows, but an N'' literal makes SQL Server
 * convert a varchar column to nvarchar, which under the SQL_* collations
 * (the default of US installations) turns an index seek into a scan; a
 * varchar literal is converted instead, and ASCII means the same in every
 * code page.
 */
static void
append_text_literal(StringInfo buf, const char *str)
{
	const char *p;

	for (p = str; *p; p++)
		if ((unsigned char) *p >= 0x80)
		{
			mssql_append_nstring(buf, str);
			return;
		}
	appendStringInfoChar(buf, '\'');
	append_doubled(buf, str, '\'');
	appendStringInfoChar(buf, '\'');
}

/* YYYY-MM-DD for years 1..9999, else false */
static bool
format_date_part(char *out, size_t outlen, int year, int mon, int mday)
{
	if (year < 1 || year > 9999)
		return false;
	snprintf(out, outlen, "%04d-%02d-%02d", year, mon, mday);
	return true;
}

/*
 * Append a T-SQL literal for a value of a pushable type.  Returns false
 * (appending nothing useful) when SQL Server cannot represent it exactly:
 * NaN, infinities, years outside 1..9999, over-long decimals.  buf may be
 * NULL to only check.
 */
bool
mssql_append_datum_literal(StringInfo buf, Datum value, Oid type, bool isnull)
{
	StringInfoData scratch;

	if (buf == NULL)
	{
		initStringInfo(&scratch);
		buf = &scratch;
	}
	if (isnull)
	{
		appendStringInfoString(buf, "NULL");
		return true;
	}

	switch (type)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			{
				int64		v = (type == INT2OID) ? DatumGetInt16(value) :
				(type == INT4OID) ? DatumGetInt32(value) : DatumGetInt64(value);

				if (v < 0)
					appendStringInfo(buf, "(" INT64_FORMAT ")", v);
				else
					appendStringInfo(buf, INT64_FORMAT, v);
				return true;
			}
		case NUMERICOID:
			{
				char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, value));
				int			digits = 0;
				const char *p;

				if (!isdigit((unsigned char) s[s[0] == '-' ? 1 : 0]))
					return false;	/* NaN, Infinity */

				/*
				 * Trailing fractional zeros do not change the value, and
				 * would make 1.5000... (say 40 digits, from a parameter)
				 * look unrepresentable when it equals a decimal(10,2) 1.50.
				 */
				if (strchr(s, '.') != NULL)
				{
					char	   *e = s + strlen(s) - 1;

					while (*e == '0')
						*e-- = '\0';
					if (*e == '.')
						*e = '\0';
				}
				for (p = s; *p; p++)
					if (isdigit((unsigned char) *p))
						digits++;
				if (digits > 38)
					return false;
				if (s[0] == '-')
					appendStringInfo(buf, "(%s)", s);
				else
					appendStringInfoString(buf, s);
				return true;
			}
		case FLOAT4OID:
		case FLOAT8OID:
			{
				double		d = (type == FLOAT4OID) ? (double) DatumGetFloat4(value) :
				DatumGetFloat8(value);

				if (isnan(d) || isinf(d))
					return false;
				/* 17 significant digits round-trip a double exactly */
				appendStringInfo(buf, "CAST(%.16e AS float)", d);
				return true;
			}
		case BOOLOID:
			appendStringInfoString(buf, DatumGetBool(value) ? "1" : "0");
			return true;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			append_text_literal(buf, TextDatumGetCString(value));
			return true;
		case DATEOID:
			{
				DateADT		d = DatumGetDateADT(value);
				int			y,
							m,
							dd;
				char		tmp[32];

				if (DATE_NOT_FINITE(d))
					return false;
				j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
				if (!format_date_part(tmp, sizeof(tmp), y, m, dd))
					return false;
				appendStringInfo(buf, "CAST(N'%s' AS date)", tmp);
				return true;
			}
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			{
				Timestamp	ts = DatumGetTimestamp(value);
				struct pg_tm tm;
				fsec_t		fsec;
				char		tmp[32];

				if (TIMESTAMP_NOT_FINITE(ts))
					return false;
				/* for timestamptz, ts is UTC: break it down without a zone */
				if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
					return false;
				if (!format_date_part(tmp, sizeof(tmp), tm.tm_year, tm.tm_mon, tm.tm_mday))
					return false;
				if (type == TIMESTAMPOID)
					appendStringInfo(buf, "CAST(N'%sT%02d:%02d:%02d.%06d' AS datetime2(7))",
									 tmp, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec);
				else
					appendStringInfo(buf, "CAST(N'%sT%02d:%02d:%02d.%06d+00:00' AS datetimeoffset(7))",
									 tmp, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec);
				return true;
			}
		case TIMEOID:
			{
				TimeADT		t = DatumGetTimeADT(value);
				int64		secs;

				if (t >= USECS_PER_DAY)
					return false;	/* 24:00:00 */
				secs = t / USECS_PER_SEC;
				appendStringInfo(buf, "CAST(N'%02d:%02d:%02d.%06d' AS time(7))",
								 (int) (secs / 3600), (int) ((secs / 60) % 60),
								 (int) (secs % 60), (int) (t % USECS_PER_SEC));
				return true;
			}
		case UUIDOID:
			{
				char	   *s = DatumGetCString(DirectFunctionCall1(uuid_out, value));

				appendStringInfo(buf, "CAST(N'%s' AS uniqueidentifier)", s);
				return true;
			}
		default:
			return false;
	}
}

/* ------------------------------------------------------------------------
 * Classification
 * ------------------------------------------------------------------------
 */
static MssqlPushability
combine(MssqlPushability a, MssqlPushability b)
{
	if (a == MSSQL_PUSH_NO || b == MSSQL_PUSH_NO)
		return MSSQL_PUSH_NO;
	if (a == MSSQL_PUSH_RECHECK || b == MSSQL_PUSH_RECHECK)
		return MSSQL_PUSH_RECHECK;
	return MSSQL_PUSH_EXACT;
}

static bool
is_builtin(Oid oid)
{
	return oid < FirstGenbkiObjectId;
}

/* a Var of the foreign table itself */
static bool
is_own_var(Node *node, DeparseCxt *cxt)
{
	Var		   *var = (Var *) node;

	return IsA(node, Var) && bms_is_member(var->varno, cxt->baserel->relids) &&
		var->varlevelsup == 0;
}

/*
 * Strip what does not change the value on either side: RelabelType
 * (varchar -> text), and widening numeric casts that SQL Server performs
 * implicitly anyway.
 */
static Node *
strip_implicit(Node *node)
{
	for (;;)
	{
		if (node && IsA(node, RelabelType))
			node = (Node *) ((RelabelType *) node)->arg;
		else if (node && IsA(node, FuncExpr))
		{
			FuncExpr   *f = (FuncExpr *) node;
			Oid			argtype;

			if (f->funcformat != COERCE_IMPLICIT_CAST || list_length(f->args) != 1)
				return node;
			argtype = exprType(linitial(f->args));
			/* integer -> wider number, float4 -> float8 */
			if ((argtype == INT2OID || argtype == INT4OID || argtype == INT8OID) &&
				type_class(f->funcresulttype) == TC_NUMBER)
				node = linitial(f->args);
			else if (argtype == FLOAT4OID && f->funcresulttype == FLOAT8OID)
				node = linitial(f->args);
			else
				return node;
		}
		else
			return node;
	}
}

/*
 * A leaf operand: own column, constant or parameter of a pushable type.
 */
static MssqlPushability
classify_operand(Node *node, DeparseCxt *cxt, bool allow_param)
{
	Oid			type;

	node = strip_implicit(node);
	if (node == NULL)
		return MSSQL_PUSH_NO;
	type = exprType(node);
	if (type_class(type) == TC_NONE)
		return MSSQL_PUSH_NO;

	switch (nodeTag(node))
	{
		case T_Var:
			{
				Var		   *var = (Var *) node;

				if (is_own_var(node, cxt))
					return var->varattno > 0 ? MSSQL_PUSH_EXACT : MSSQL_PUSH_NO;
				/* a Var of another relation becomes a parameter */
				if (var->varlevelsup != 0 || !allow_param)
					return MSSQL_PUSH_NO;
				return MSSQL_PUSH_EXACT;
			}
		case T_Const:
			{
				Const	   *c = (Const *) node;

				return mssql_append_datum_literal(NULL, c->constvalue, type,
												  c->constisnull)
					? MSSQL_PUSH_EXACT : MSSQL_PUSH_NO;
			}
		case T_Aggref:
			return (cxt->having && aggref_pushable((Aggref *) node, cxt))
				? MSSQL_PUSH_EXACT : MSSQL_PUSH_NO;
		case T_Param:
			{
				Param	   *p = (Param *) node;

				if (p->paramkind != PARAM_EXTERN && p->paramkind != PARAM_EXEC)
					return MSSQL_PUSH_NO;
				return allow_param ? MSSQL_PUSH_EXACT : MSSQL_PUSH_NO;
			}
		default:
			return MSSQL_PUSH_NO;
	}
}

static bool
operand_is_own_var(Node *node, DeparseCxt *cxt)
{
	return is_own_var(strip_implicit(node), cxt);
}

/* a value known only at run time: a Param, or a Var of another relation */
static bool
operand_is_param(Node *node, DeparseCxt *cxt)
{
	node = strip_implicit(node);
	if (node == NULL)
		return false;
	if (IsA(node, Param))
		return true;
	return IsA(node, Var) && !is_own_var(node, cxt) &&
		((Var *) node)->varlevelsup == 0;
}

/*
 * Types whose comparisons with a parameter are written when the value is
 * known (see mssql_deparse_param_cmp): numbers, dates, date/times with
 * fractions (around rounding bounds) and uuids.
 */
static bool
param_cmp_class(TypeClass tc)
{
	return tc == TC_NUMBER || tc == TC_DATE || tc == TC_TIMESTAMP ||
		tc == TC_TIMESTAMPTZ || tc == TC_TIME || tc == TC_UUID;
}

/*
 * LIKE pattern PostgreSQL -> T-SQL, for use with ESCAPE '\'.  PostgreSQL's
 * pattern has % and _ and the escape \; T-SQL's also treats [ as the start
 * of a character class.  So \% \_ \\ stay escaped, a plain [ is escaped,
 * and an escaped ordinary character is written plainly.  A plain _ becomes
 * %: without a supplementary-character (_SC) collation SQL Server's _
 * matches one UTF-16 code unit, half of a character such as an emoji, and
 * the remote LIKE must match at least what PostgreSQL's does (it is
 * checked again locally).  False if the pattern cannot be translated (it
 * ends with a lone backslash).
 */
static bool
translate_like(const char *pat, StringInfo out)
{
	const char *p;

	for (p = pat; *p; p++)
	{
		char		c = *p;

		if (c == '\\')
		{
			p++;
			if (*p == '\0')
				return false;
			c = *p;
			if (c == '%' || c == '_' || c == '[' || c == '\\')
				appendStringInfoChar(out, '\\');
			appendStringInfoChar(out, c);
		}
		else if (c == '[')
			appendStringInfoString(out, "\\[");
		else if (c == '_')
			appendStringInfoChar(out, '%');
		else
			appendStringInfoChar(out, c);
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Comparisons of date/time columns that carry fractions of seconds
 *
 * SQL Server keeps datetime2, time and datetimeoffset to 100 ns; types.c
 * rounds a remote value R to microseconds, and PostgreSQL then rounds that
 * to the column's typmod: the local value L is round_p(round_us(R)).  A
 * comparison sent as written would test R, not L (a datetime2(7) value
 * 10:00:00.0000004 is 10:00:00 locally, but not "= 10:00:00" remotely), so
 * each one is rewritten around a bound B with 7 fractional digits such that
 * L >= K exactly when R >= B:
 *
 *	 col >= X  ->  col >= B(X)			col < X   ->  col < B(X)
 *	 col > X   ->  col >= B(X + 1us)	col <= X  ->  col < B(X + 1us)
 *	 col = X   ->  col >= B(X) AND col < B(X + 1us)
 *	 col <> X  ->  col < B(X) OR col >= B(X + 1us)
 * ------------------------------------------------------------------------
 */

/* first and last microsecond of SQL Server's datetime2 range */
static Timestamp
tsql_min_timestamp(void)
{
	return (Timestamp) (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;
}

static Timestamp
tsql_max_timestamp(void)
{
	return (Timestamp) (date2j(9999, 12, 31) - POSTGRES_EPOCH_JDATE + 1) * USECS_PER_DAY - 1;
}

/*
 * The smallest value V (microseconds) such that round_p(V) >= K, for a
 * column of class tc with typmod.  PostgreSQL rounds timestamps before
 * 2000-01-01 (negative values) half away from zero, times half up.
 */
static int64
time_round_threshold(TypeClass tc, int32 typmod, int64 k)
{
	int64		u = 1;
	int64		q;
	int			p;

	if (typmod >= 0 && typmod < 6)
		for (p = typmod; p < 6; p++)
			u *= 10;
	if (u == 1)
		return k;
	/* L is a multiple of u: L >= k  <=>  L >= ceil(k / u) * u */
	q = k / u;
	if (k % u != 0 && k > 0)
		q++;
	k = q * u;
	if (tc != TC_TIME && k - u / 2 < 0)
		return k - u / 2 + 1;
	return k - u / 2;
}

/*
 * Append B(k) (see above) as a T-SQL literal of the column's class, or
 * return false when it is outside SQL Server's range.  buf may be NULL to
 * only check.
 */
static bool
append_time_bound(StringInfo buf, TypeClass tc, int32 typmod, int64 k)
{
	int64		v = time_round_threshold(tc, typmod, k);
	int64		lo = (tc == TC_TIME) ? 0 : tsql_min_timestamp();
	int64		hi = (tc == TC_TIME) ? USECS_PER_DAY - 1 : tsql_max_timestamp();
	char		seventh = '5';
	char		tmp[32];

	/*
	 * round_us(R) >= v  <=>  R >= v - 0.5us: the literal is v - 1us with a
	 * 7th digit of 5.  Below SQL Server's range every R qualifies, so the
	 * range's first value is exact; above it, no bound exists (the last
	 * values are not rounded up, see types.c).
	 */
	if (v > hi)
		return false;
	if (v <= lo)
	{
		v = lo;
		seventh = '0';
	}
	else
		v -= 1;
	if (buf == NULL)
		return true;

	if (tc == TC_TIME)
	{
		int64		secs = v / USECS_PER_SEC;

		appendStringInfo(buf, "CAST(N'%02d:%02d:%02d.%06d%c' AS time(7))",
						 (int) (secs / 3600), (int) ((secs / 60) % 60),
						 (int) (secs % 60), (int) (v % USECS_PER_SEC), seventh);
	}
	else
	{
		struct pg_tm tm;
		fsec_t		fsec;

		if (timestamp2tm(v, NULL, &tm, &fsec, NULL, NULL) != 0 ||
			!format_date_part(tmp, sizeof(tmp), tm.tm_year, tm.tm_mon, tm.tm_mday))
			return false;
		appendStringInfo(buf, "CAST(N'%sT%02d:%02d:%02d.%06d%c%s' AS %s)",
						 tmp, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec, seventh,
						 tc == TC_TIMESTAMPTZ ? "+00:00" : "",
						 tc == TC_TIMESTAMPTZ ? "datetimeoffset(7)" : "datetime2(7)");
	}
	return true;
}

/*
 * Do date/time values of this relation arrive in binary form (TDS 7.4, the
 * default)?  Before 7.4 SQL Server sends datetime2, time and
 * datetimeoffset as strings, which PostgreSQL's input functions round.
 */
static bool
binary_dates(DeparseCxt *cxt)
{
	MssqlRelInfo *fpinfo = (MssqlRelInfo *) cxt->baserel->fdw_private;

	return fpinfo == NULL || fpinfo->topts.binary_dates;
}

/* The microsecond value of a finite timestamp, timestamptz or time constant */
static bool
time_const_value(Const *c, TypeClass tc, int64 *value)
{
	if (c->constisnull)
		return false;
	if (tc == TC_TIME)
	{
		*value = DatumGetTimeADT(c->constvalue);
		return true;
	}
	*value = DatumGetTimestamp(c->constvalue);
	return !TIMESTAMP_NOT_FINITE(*value);
}

/*
 * Turn opname (=, <>, <, <=, >, >=) into the operator that compares the same
 * operands written the other way round: < and > trade places.
 */
static void
commute_opname(char *opname)
{
	if (opname[0] == '<' && opname[1] != '>')
		opname[0] = '>';
	else if (opname[0] == '>')
		opname[0] = '<';
}

/*
 * For a comparison of a date/time column of class tc with a constant, the
 * column Var and the constant's value, with the operator turned so that
 * the column is on the left.  False if the comparison has another shape or
 * no exact bounds exist.
 */
static bool
time_comparison_parts(OpExpr *op, DeparseCxt *cxt, TypeClass tc, Var **var,
					  int64 *value, char *opname)
{
	Node	   *l = strip_implicit(linitial(op->args));
	Node	   *r = strip_implicit(lsecond(op->args));
	char	   *name = get_opname(op->opno);

	if (name == NULL)
		return false;
	strlcpy(opname, name, 3);
	if (!(IsA(l, Var) && is_own_var(l, cxt) && IsA(r, Const)))
	{
		Node	   *tmp = l;

		if (!(IsA(r, Var) && is_own_var(r, cxt) && IsA(l, Const)))
			return false;
		l = r;
		r = tmp;
		commute_opname(opname);
	}
	*var = (Var *) l;
	if ((*var)->varattno <= 0 || !time_const_value((Const *) r, tc, value))
		return false;
	return append_time_bound(NULL, tc, (*var)->vartypmod, *value) &&
		append_time_bound(NULL, tc, (*var)->vartypmod, *value + 1);
}

/* Most elements of an IN list sent (Microsoft warns that longer lists fail) */
#define MSSQL_MAX_IN_ELEMENTS 1000

/*
 * For "col IN (constants)" (col = ANY of a constant array) of a date/time
 * column of class tc: the column Var and the elements' microsecond values
 * (palloc'd array of *n), when every element is a finite value whose bounds
 * SQL Server can represent.  NULL elements keep the condition local: with
 * them the IN is unknown rather than false for the other rows, which
 * matters under NOT.  var, values and n may be NULL to only check.
 */
static bool
time_in_parts(ScalarArrayOpExpr *saop, DeparseCxt *cxt, TypeClass tc,
			  Var **var, int64 **values, int *n)
{
	Node	   *l = strip_implicit(linitial(saop->args));
	Node	   *r = lsecond(saop->args);
	Const	   *c;
	ArrayType  *arr;
	Oid			elemtype;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				i;
	int64	   *vals;

	if (!IsA(l, Var) || !is_own_var(l, cxt) || ((Var *) l)->varattno <= 0 ||
		!IsA(r, Const) || ((Const *) r)->constisnull)
		return false;
	c = (Const *) r;
	arr = DatumGetArrayTypeP(c->constvalue);
	elemtype = ARR_ELEMTYPE(arr);
	if (type_class(elemtype) != tc)
		return false;
	array_elements(arr, &elems, &nulls, &nelems);
	if (nelems == 0 || nelems > MSSQL_MAX_IN_ELEMENTS)
		return false;
	vals = palloc(sizeof(int64) * nelems);
	for (i = 0; i < nelems; i++)
	{
		if (nulls[i])
			return false;
		if (tc == TC_TIME)
			vals[i] = DatumGetTimeADT(elems[i]);
		else
		{
			vals[i] = DatumGetTimestamp(elems[i]);
			if (TIMESTAMP_NOT_FINITE(vals[i]))
				return false;
		}
		if (!append_time_bound(NULL, tc, ((Var *) l)->vartypmod, vals[i]) ||
			!append_time_bound(NULL, tc, ((Var *) l)->vartypmod, vals[i] + 1))
			return false;
	}
	if (var)
		*var = (Var *) l;
	if (values)
		*values = vals;
	if (n)
		*n = nelems;
	return true;
}

/*
 * Boolean columns.  A local boolean may read a bit or an integer column
 * (any value but 0 is true, see types.c), so a test is written as "<> 0"
 * or "= 0", never "= 1".  For "bool_col = const" or "const <> bool_col"
 * this finds the column and whether the comparison asks for true.
 */
static bool
bool_comparison_parts(OpExpr *op, DeparseCxt *cxt, Var **var, bool *want_true)
{
	Node	   *l = strip_implicit(linitial(op->args));
	Node	   *r = strip_implicit(lsecond(op->args));
	char	   *opname = get_opname(op->opno);
	Const	   *c;

	if (IsA(r, Var) && IsA(l, Const))
	{
		Node	   *tmp = l;

		l = r;
		r = tmp;
	}
	if (!IsA(l, Var) || !is_own_var(l, cxt) || ((Var *) l)->varattno <= 0 ||
		!IsA(r, Const) || ((Const *) r)->constisnull || opname == NULL)
		return false;
	c = (Const *) r;
	if (var)
		*var = (Var *) l;
	if (want_true)
		*want_true = DatumGetBool(c->constvalue) == (strcmp(opname, "=") == 0);
	return true;
}

/* "(col <> 0)" or "(col = 0)": a boolean column tested for true or false */
static void
deparse_bool_test(Var *var, bool want_true, DeparseCxt *cxt)
{
	appendStringInfoChar(cxt->buf, '(');
	deparse_column(var, cxt);
	appendStringInfoString(cxt->buf, want_true ? " <> 0)" : " = 0)");
}

/*
 * Text conditions are sent so that SQL Server returns a superset of the
 * rows, whatever its collation (case- or accent-insensitive ones return
 * more).  Under a nondeterministic PostgreSQL collation ("und-u-ks-level1"
 * ignores accents) PostgreSQL's "=" matches more than a case- or
 * accent-sensitive SQL Server collation would: such conditions stay local.
 */
static bool
text_collation_ok(Oid collid)
{
	return !OidIsValid(collid) || get_collation_isdeterministic(collid);
}

static MssqlPushability
classify_opexpr(OpExpr *op, DeparseCxt *cxt, bool negated)
{
	HeapTuple	tuple;
	Form_pg_operator form;
	char		opname[NAMEDATALEN];
	Node	   *l,
			   *r;
	TypeClass	lc,
				rc;
	MssqlPushability res;
	bool		allow_param;

	if (!is_builtin(op->opno) || list_length(op->args) != 2)
		return MSSQL_PUSH_NO;
	tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(op->opno));
	if (!HeapTupleIsValid(tuple))
		return MSSQL_PUSH_NO;
	form = (Form_pg_operator) GETSTRUCT(tuple);
	strlcpy(opname, NameStr(form->oprname), sizeof(opname));
	ReleaseSysCache(tuple);

	l = linitial(op->args);
	r = lsecond(op->args);
	lc = type_class(exprType(strip_implicit(l)));
	rc = type_class(exprType(strip_implicit(r)));

	/*
	 * Both operands must reach the remote side as such.  Parameters (values
	 * from an outer relation, known only at run time) in any comparison of
	 * numbers, dates, date/times and uuids: such a comparison is written
	 * when the value is known (mssql_deparse_param_cmp), and a value SQL
	 * Server cannot represent (NaN, infinity, year 10000, 40 digits) then
	 * becomes a condition that selects what PostgreSQL would.  Text only
	 * in "=", sent as a superset and checked again.
	 */
	allow_param = !cxt->having;
	res = combine(classify_operand(l, cxt, allow_param),
				  classify_operand(r, cxt, allow_param));
	if (res == MSSQL_PUSH_NO)
		return res;
	/* at least one side must be a column, or there is nothing to gain */
	if (!operand_is_own_var(l, cxt) && !operand_is_own_var(r, cxt) &&
		!(cxt->having && (IsA(strip_implicit(l), Aggref) ||
						  IsA(strip_implicit(r), Aggref))))
		return MSSQL_PUSH_NO;

	if (strcmp(opname, "~~") == 0)
	{
		Node	   *rr = strip_implicit(r);
		StringInfoData tmp;

		/* LIKE: a text column and a constant pattern; superset only */
		if (negated || lc != TC_TEXT || exprType(strip_implicit(l)) == BPCHAROID ||
			!IsA(rr, Const) || ((Const *) rr)->constisnull ||
			!operand_is_own_var(l, cxt))
			return MSSQL_PUSH_NO;
		initStringInfo(&tmp);
		if (!translate_like(TextDatumGetCString(((Const *) rr)->constvalue), &tmp))
			return MSSQL_PUSH_NO;
		return MSSQL_PUSH_RECHECK;
	}

	if (strcmp(opname, "=") != 0 && strcmp(opname, "<>") != 0 &&
		strcmp(opname, "<") != 0 && strcmp(opname, "<=") != 0 &&
		strcmp(opname, ">") != 0 && strcmp(opname, ">=") != 0)
		return MSSQL_PUSH_NO;

	if (lc != rc)
		return MSSQL_PUSH_NO;

	switch (lc)
	{
		case TC_NUMBER:
		case TC_DATE:
			return res;
		case TC_TIMESTAMP:
		case TC_TIMESTAMPTZ:
		case TC_TIME:
			{
				Var		   *var;
				int64		value;
				char		op2[3];

				/*
				 * Rewritten around rounding bounds: a column and a constant
				 * now, a column and a parameter when the value is known.
				 */
				if ((operand_is_own_var(l, cxt) && operand_is_param(r, cxt)) ||
					(operand_is_own_var(r, cxt) && operand_is_param(l, cxt)))
				{
					if (!binary_dates(cxt))
						return negated ? MSSQL_PUSH_NO : MSSQL_PUSH_RECHECK;
					return res;
				}
				if (!time_comparison_parts(op, cxt, lc, &var, &value, op2))
					return MSSQL_PUSH_NO;
				/* values read as strings: a superset, checked again */
				if (!binary_dates(cxt))
					return negated ? MSSQL_PUSH_NO : MSSQL_PUSH_RECHECK;
				return res;
			}
		case TC_BOOL:
			/* a column and a constant: written as a test of the column */
			if ((strcmp(opname, "=") == 0 || strcmp(opname, "<>") == 0) &&
				bool_comparison_parts(op, cxt, NULL, NULL))
				return res;
			return MSSQL_PUSH_NO;
		case TC_UUID:
			/* SQL Server orders uniqueidentifier differently */
			if (strcmp(opname, "=") == 0 || strcmp(opname, "<>") == 0)
				return res;
			return MSSQL_PUSH_NO;
		case TC_TEXT:
			/* collation-insensitive "=" finds a superset; nothing else is safe */
			if (strcmp(opname, "=") == 0 && !negated &&
				text_collation_ok(op->inputcollid))
				return MSSQL_PUSH_RECHECK;
			return MSSQL_PUSH_NO;
		default:
			return MSSQL_PUSH_NO;
	}
}

static MssqlPushability
classify_saop(ScalarArrayOpExpr *saop, DeparseCxt *cxt, bool negated)
{
	Node	   *l = linitial(saop->args);
	Node	   *r = lsecond(saop->args);
	char	   *opname;
	TypeClass	tc;
	MssqlPushability res;
	bool		all = !saop->useOr;

	/* "c = ANY (...)" (IN), or "c <> ALL (...)" (NOT IN) */
	if (!is_builtin(saop->opno))
		return MSSQL_PUSH_NO;
	opname = get_opname(saop->opno);
	if (opname == NULL || strcmp(opname, all ? "<>" : "=") != 0)
		return MSSQL_PUSH_NO;
	if (!operand_is_own_var(l, cxt))
		return MSSQL_PUSH_NO;
	res = classify_operand(l, cxt, false);
	if (res == MSSQL_PUSH_NO)
		return res;
	tc = type_class(exprType(strip_implicit(l)));
	/* Date/time values with fractions: one range per element */
	if (tc == TC_TIMESTAMP || tc == TC_TIMESTAMPTZ || tc == TC_TIME)
	{
		if (!time_in_parts(saop, cxt, tc, NULL, NULL, NULL))
			return MSSQL_PUSH_NO;
		/* values read as strings: a superset, checked again */
		if (!binary_dates(cxt))
			return negated ? MSSQL_PUSH_NO : MSSQL_PUSH_RECHECK;
		return res;
	}
	/* booleans: see bool_comparison_parts() */
	if (tc == TC_NONE || tc == TC_BOOL)
		return MSSQL_PUSH_NO;

	/*
	 * NOT IN of constants: T-SQL's NOT IN is an AND of "<>", with the same
	 * three-valued result as "<> ALL" (a NULL element makes it unknown for
	 * the other rows); not for text (collations), nor for an empty list,
	 * which is true here even for NULL and a syntax error there.
	 */
	if (all && (!IsA(r, Const) ||
				!(tc == TC_NUMBER || tc == TC_DATE || tc == TC_UUID)))
		return MSSQL_PUSH_NO;

	/*
	 * "= ANY($1)" with an array known only at run time: sent as an IN list
	 * of its elements (see mssql_deparse_param_cmp), and checked again
	 * locally, so that an array too long for one statement can be sent as
	 * no condition at all.
	 */
	if (operand_is_param(r, cxt))
	{
		Oid			elemtype = get_element_type(exprType(strip_implicit(r)));

		if (negated || !OidIsValid(elemtype) || type_class(elemtype) != tc)
			return MSSQL_PUSH_NO;
		if (tc == TC_TEXT && !text_collation_ok(saop->inputcollid))
			return MSSQL_PUSH_NO;
		return MSSQL_PUSH_RECHECK;
	}

	if (IsA(r, Const))
	{
		Const	   *c = (Const *) r;
		ArrayType  *arr;
		Oid			elemtype;
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i;

		if (c->constisnull)
			return MSSQL_PUSH_NO;
		arr = DatumGetArrayTypeP(c->constvalue);
		elemtype = ARR_ELEMTYPE(arr);
		if (type_class(elemtype) != tc)
			return MSSQL_PUSH_NO;
		array_elements(arr, &elems, &nulls, &n);
		if (n == 0)
			return MSSQL_PUSH_NO;
		for (i = 0; i < n; i++)
			if (!mssql_append_datum_literal(NULL, elems[i], elemtype, nulls[i]))
				return MSSQL_PUSH_NO;
	}
	else if (IsA(r, ArrayExpr))
	{
		ListCell   *lc;
		ArrayExpr  *ae = (ArrayExpr *) r;

		if (ae->elements == NIL || type_class(ae->element_typeid) != tc)
			return MSSQL_PUSH_NO;
		foreach(lc, ae->elements)
			res = combine(res, classify_operand(lfirst(lc), cxt, true));
		if (res == MSSQL_PUSH_NO)
			return res;
	}
	else
		return MSSQL_PUSH_NO;

	if (tc == TC_TEXT)
		return (negated || !text_collation_ok(saop->inputcollid))
			? MSSQL_PUSH_NO : MSSQL_PUSH_RECHECK;
	return res;
}

/*
 * Can SQL Server evaluate node (a boolean expression when boolctx)?
 * negated is true under an odd number of NOTs: a superset there would be a
 * subset of the answer, so RECHECK turns into NO.
 */
static MssqlPushability
classify(Node *node, DeparseCxt *cxt, bool negated, bool boolctx)
{
	if (node == NULL)
		return MSSQL_PUSH_NO;

	switch (nodeTag(node))
	{
		case T_BoolExpr:
			{
				BoolExpr   *b = (BoolExpr *) node;
				ListCell   *lc;
				MssqlPushability res = MSSQL_PUSH_EXACT;
				bool		neg = negated ^ (b->boolop == NOT_EXPR);

				foreach(lc, b->args)
				{
					res = combine(res, classify(lfirst(lc), cxt, neg, true));
					if (res == MSSQL_PUSH_NO)
						break;
				}
				return res;
			}
		case T_OpExpr:
			return classify_opexpr((OpExpr *) node, cxt, negated);
		case T_ScalarArrayOpExpr:
			return classify_saop((ScalarArrayOpExpr *) node, cxt, negated);
		case T_NullTest:
			{
				NullTest   *nt = (NullTest *) node;

				if (nt->argisrow || !operand_is_own_var((Node *) nt->arg, cxt))
					return MSSQL_PUSH_NO;
				return classify_operand((Node *) nt->arg, cxt, false);
			}
		case T_BooleanTest:
			{
				/* flag IS [NOT] TRUE / FALSE / UNKNOWN on a bit column */
				BooleanTest *bt = (BooleanTest *) node;

				if (!IsA(bt->arg, Var) || !is_own_var((Node *) bt->arg, cxt) ||
					((Var *) bt->arg)->varattno <= 0)
					return MSSQL_PUSH_NO;
				return MSSQL_PUSH_EXACT;
			}
		case T_Var:
			/* a boolean column used as a condition */
			if (boolctx && exprType(node) == BOOLOID && is_own_var(node, cxt) &&
				((Var *) node)->varattno > 0)
				return MSSQL_PUSH_EXACT;
			return MSSQL_PUSH_NO;
		default:
			return MSSQL_PUSH_NO;
	}
}

/*
 * A context for rel (a foreign table, or a join of foreign tables) that only
 * classifies; the caller sets buf and the parameter lists to write SQL.
 */
static void
init_cxt(DeparseCxt *cxt, PlannerInfo *root, RelOptInfo *rel)
{
	memset(cxt, 0, sizeof(*cxt));
	cxt->root = root;
	cxt->baserel = rel;
	if (IS_JOIN_REL(rel))
		cxt->joined = true;
	else
		cxt->relid = planner_rt_fetch(rel->relid, root)->relid;
}

MssqlPushability
mssql_classify_expr(PlannerInfo *root, RelOptInfo *baserel, Expr *expr)
{
	DeparseCxt	cxt;

	init_cxt(&cxt, root, baserel);
	return classify((Node *) expr, &cxt, false, true);
}

/* ------------------------------------------------------------------------
 * Deparse
 * ------------------------------------------------------------------------
 */
static void
deparse_column(Var *var, DeparseCxt *cxt)
{
	char	   *name;

	if (cxt->joined)
	{
		name = mssql_column_name(planner_rt_fetch(var->varno, cxt->root)->relid,
								 var->varattno);
		appendStringInfo(cxt->buf, "[r%d].", (int) var->varno);
	}
	else
		name = mssql_column_name(cxt->relid, var->varattno);
	mssql_append_ident(cxt->buf, name);
}

/* A parameter: "@Pn" now, replaced by the literal value at execution */
static void
deparse_param(Node *node, DeparseCxt *cxt)
{
	int			idx = 0;
	ListCell   *lc;
	bool		found = false;

	foreach(lc, *cxt->params_list)
	{
		idx++;
		if (equal(node, lfirst(lc)))
		{
			found = true;
			break;
		}
	}
	if (!found)
	{
		*cxt->params_list = lappend(*cxt->params_list, node);
		idx = list_length(*cxt->params_list);
	}
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, cxt->buf->len);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, idx);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, -1);
	appendStringInfo(cxt->buf, "@P%d", idx);
}

/* The 1-based index of a parameter expression in params_list (added) */
static int
param_index(Node *node, DeparseCxt *cxt)
{
	int			idx = 0;
	ListCell   *lc;

	foreach(lc, *cxt->params_list)
	{
		idx++;
		if (equal(node, lfirst(lc)))
			return idx;
	}
	*cxt->params_list = lappend(*cxt->params_list, node);
	return list_length(*cxt->params_list);
}

/*
 * A comparison of an own column with a parameter: "([col] op @Pn)" now,
 * with the column on the left, which scan.c replaces as a whole with
 * mssql_deparse_param_cmp()'s text once the value is known.
 */
static void
deparse_param_cmp(OpExpr *op, DeparseCxt *cxt)
{
	Node	   *l = strip_implicit(linitial(op->args));
	Node	   *r = strip_implicit(lsecond(op->args));
	char		opname[3];
	Var		   *var;
	StringInfoData col;
	StringInfo	buf = cxt->buf;
	int			start = buf->len;
	int			idx;

	strlcpy(opname, get_opname(op->opno), sizeof(opname));
	if (!is_own_var(l, cxt))
	{
		Node	   *tmp = l;

		l = r;
		r = tmp;
		commute_opname(opname);
	}
	var = (Var *) l;
	initStringInfo(&col);
	cxt->buf = &col;
	deparse_column(var, cxt);
	cxt->buf = buf;

	idx = param_index(r, cxt);
	appendStringInfo(buf, "(%s %s @P%d)", col.data, opname, idx);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, start);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, idx);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets,
									  list_length(*cxt->param_cmps));
	*cxt->param_cmps = lappend(*cxt->param_cmps,
							   list_make5(makeString(col.data),
										  makeString(pstrdup(opname)),
										  makeInteger((int) exprType((Node *) var)),
										  makeInteger(var->vartypmod),
										  makeInteger(buf->len - start)));
}

static void
deparse_operand(Node *node, DeparseCxt *cxt)
{
	node = strip_implicit(node);
	if (IsA(node, Var) && is_own_var(node, cxt))
		deparse_column((Var *) node, cxt);
	else if (IsA(node, Aggref))
		deparse_aggref((Aggref *) node, cxt);
	else if (IsA(node, Const))
	{
		Const	   *c = (Const *) node;

		if (!mssql_append_datum_literal(cxt->buf, c->constvalue, c->consttype,
										c->constisnull))
			elog(ERROR, "constant of type %u cannot be sent to SQL Server",
				 c->consttype);
	}
	else
		deparse_param(node, cxt);
}

/* A comparison of a date/time column, around rounding bounds (see above) */
static void
deparse_time_comparison(OpExpr *op, DeparseCxt *cxt, TypeClass tc)
{
	Var		   *var;
	int64		value;
	char		opname[3];
	StringInfoData col;
	StringInfo	buf = cxt->buf;
	const char *lt;

	if (!time_comparison_parts(op, cxt, tc, &var, &value, opname))
		elog(ERROR, "date/time comparison cannot be sent to SQL Server");
	initStringInfo(&col);
	cxt->buf = &col;
	deparse_column(var, cxt);
	cxt->buf = buf;

	/*
	 * Values that arrive as strings (TDS before 7.4) are rounded by the
	 * input functions, which may round a half down: R exactly on an upper
	 * bound can then still qualify, so "<" becomes "<=" (and the condition
	 * is checked again locally).
	 */
	lt = binary_dates(cxt) ? "<" : "<=";

	appendStringInfoChar(buf, '(');
	if (strcmp(opname, ">=") == 0 || strcmp(opname, "<") == 0)
	{
		appendStringInfo(buf, "%s %s ", col.data, opname[0] == '>' ? ">=" : lt);
		append_time_bound(buf, tc, var->vartypmod, value);
	}
	else if (strcmp(opname, ">") == 0 || strcmp(opname, "<=") == 0)
	{
		appendStringInfo(buf, "%s %s ", col.data, opname[0] == '>' ? ">=" : lt);
		append_time_bound(buf, tc, var->vartypmod, value + 1);
	}
	else
	{
		bool		eq = (strcmp(opname, "=") == 0);

		appendStringInfo(buf, "%s %s ", col.data, eq ? ">=" : lt);
		append_time_bound(buf, tc, var->vartypmod, value);
		appendStringInfo(buf, " %s %s %s ", eq ? "AND" : "OR", col.data,
						 eq ? lt : ">=");
		append_time_bound(buf, tc, var->vartypmod, value + 1);
	}
	appendStringInfoChar(buf, ')');
}

static void
deparse_opexpr(OpExpr *op, DeparseCxt *cxt)
{
	char	   *opname = get_opname(op->opno);
	Node	   *l = linitial(op->args);
	Node	   *r = lsecond(op->args);
	TypeClass	tc = type_class(exprType(strip_implicit(l)));

	if (param_cmp_class(tc) &&
		((operand_is_own_var(l, cxt) && operand_is_param(r, cxt)) ||
		 (operand_is_own_var(r, cxt) && operand_is_param(l, cxt))))
	{
		deparse_param_cmp(op, cxt);
		return;
	}
	if (tc == TC_TIMESTAMP || tc == TC_TIMESTAMPTZ || tc == TC_TIME)
	{
		deparse_time_comparison(op, cxt, tc);
		return;
	}
	if (tc == TC_BOOL)
	{
		Var		   *var;
		bool		want_true;

		if (!bool_comparison_parts(op, cxt, &var, &want_true))
			elog(ERROR, "boolean comparison cannot be sent to SQL Server");
		deparse_bool_test(var, want_true, cxt);
		return;
	}

	appendStringInfoChar(cxt->buf, '(');
	deparse_operand(l, cxt);
	if (strcmp(opname, "~~") == 0)
	{
		Const	   *c = (Const *) strip_implicit(r);
		StringInfoData pat;

		initStringInfo(&pat);
		translate_like(TextDatumGetCString(c->constvalue), &pat);
		appendStringInfoString(cxt->buf, " LIKE ");
		append_text_literal(cxt->buf, pat.data);
		appendStringInfoString(cxt->buf, " ESCAPE '\\'");
	}
	else
	{
		appendStringInfo(cxt->buf, " %s ", opname);
		deparse_operand(r, cxt);
	}
	appendStringInfoChar(cxt->buf, ')');
}

/* ------------------------------------------------------------------------
 * Comparisons with a parameter, written when its value is known
 * ------------------------------------------------------------------------
 */

/* What "local value >= k" is on SQL Server's side, for date/time columns */
typedef enum TimeBound
{
	TB_ALL,						/* every (non-NULL) value */
	TB_NONE,					/* no value */
	TB_BOUND					/* the values >= a bound */
} TimeBound;

static TimeBound
tsql_time_ge(TypeClass tc, int32 typmod, int64 k, bool k_neg_inf, bool k_pos_inf)
{
	int64		hi = (tc == TC_TIME) ? USECS_PER_DAY - 1 : tsql_max_timestamp();

	if (k_neg_inf)
		return TB_ALL;
	if (k_pos_inf || time_round_threshold(tc, typmod, k) > hi)
		return TB_NONE;
	return TB_BOUND;
}

/*
 * "col >= B(k)" (ge) or "col < B(k)" (!ge), or a condition that is true
 * (false) for every non-NULL value and unknown for NULL, as the comparison
 * would be: "col = col" ("col <> col").
 */
static void
append_time_side(StringInfo buf, const char *col, TypeClass tc, int32 typmod,
				 int64 k, bool neg_inf, bool pos_inf, bool ge, const char *lt)
{
	TimeBound	b = tsql_time_ge(tc, typmod, k, neg_inf, pos_inf);

	if (b == TB_BOUND)
	{
		appendStringInfo(buf, "%s %s ", col, ge ? ">=" : lt);
		append_time_bound(buf, tc, typmod, k);
	}
	else if ((b == TB_ALL) == ge)
		appendStringInfo(buf, "%s = %s", col, col);
	else
		appendStringInfo(buf, "%s <> %s", col, col);
}

/*
 * Where a value SQL Server cannot represent lies: 1 above every value of
 * the column's SQL Server type (NaN, which PostgreSQL sorts after every
 * number, +infinity, a date after 9999), -1 below every value, 0 neither
 * (a number with more than 38 digits).
 */
static int
unrepresentable_side(Datum value, Oid type)
{
	switch (type)
	{
		case FLOAT4OID:
		case FLOAT8OID:
			{
				double		d = (type == FLOAT4OID) ? (double) DatumGetFloat4(value) :
				DatumGetFloat8(value);

				return (isinf(d) && d < 0) ? -1 : 1;
			}
		case NUMERICOID:
			{
				char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out, value));

				if (strcmp(str, "-Infinity") == 0)
					return -1;
				if (strcmp(str, "NaN") == 0 || strcmp(str, "Infinity") == 0)
					return 1;
				return 0;
			}
		case DATEOID:
			{
				DateADT		d = DatumGetDateADT(value);

				if (DATE_IS_NOBEGIN(d))
					return -1;
				if (DATE_IS_NOEND(d))
					return 1;
				/* outside years 1 .. 9999 */
				return d < date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE ? -1 : 1;
			}
		default:
			return 0;
	}
}

/* A numeric value as a T-SQL literal, trailing fractional zeros dropped */
static void
append_numeric_literal(StringInfo buf, Numeric num)
{
	char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out,
														  NumericGetDatum(num)));

	if (strchr(str, '.') != NULL)
	{
		char	   *e = str + strlen(str) - 1;

		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	if (str[0] == '-')
		appendStringInfo(buf, "(%s)", str);
	else
		appendStringInfoString(buf, str);
}

/*
 * A finite number with more digits than SQL Server's decimal(38) holds.
 * Every decimal(38, s) value (and every integer) of magnitude >= 10^(k-1),
 * where k is the number of integer digits of the value v, is a multiple of
 * 10^-(38-k); smaller ones lie on one side of v.  So "col < v" is
 * "col <= floor(v)" and "col > v" is "col >= ceil(v)", at 38 - k
 * fractional digits, and no remote value equals v.  Returns false when v
 * has more than 38 integer digits (then it is beyond every value).
 */
static bool
append_long_numeric_cmp(StringInfo buf, const char *col, const char *opname,
						Datum value)
{
	char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out, value));
	const char *p = str + (str[0] == '-' ? 1 : 0);
	int			k = 0;
	Datum		t;
	Datum		ulp;
	Datum		lo,
				hi;
	int			cmp;
	char		ulpstr[64];

	while (*p == '0')
		p++;
	while (isdigit((unsigned char) *p++))
		k++;
	if (k > 38)
		return false;
	t = DirectFunctionCall2(numeric_trunc, value, Int32GetDatum(38 - k));
	snprintf(ulpstr, sizeof(ulpstr), "1e-%d", 38 - k);
	ulp = DirectFunctionCall3(numeric_in, CStringGetDatum(ulpstr),
							  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp, t, value));
	if (cmp == 0)
	{
		/* representable after all (only its spelling was long) */
		appendStringInfo(buf, "(%s %s ", col, opname);
		append_numeric_literal(buf, DatumGetNumeric(t));
		appendStringInfoChar(buf, ')');
		return true;
	}
	/* truncation goes toward zero */
	lo = cmp > 0 ? DirectFunctionCall2(numeric_sub, t, ulp) : t;
	hi = cmp < 0 ? DirectFunctionCall2(numeric_add, t, ulp) : t;
	if (opname[0] == '<' && opname[1] != '>')
	{
		appendStringInfo(buf, "(%s <= ", col);
		append_numeric_literal(buf, DatumGetNumeric(lo));
		appendStringInfoChar(buf, ')');
	}
	else if (opname[0] == '>')
	{
		appendStringInfo(buf, "(%s >= ", col);
		append_numeric_literal(buf, DatumGetNumeric(hi));
		appendStringInfoChar(buf, ')');
	}
	else if (opname[0] == '=')
		appendStringInfo(buf, "(%s <> %s)", col, col);
	else
		appendStringInfo(buf, "(%s = %s)", col, col);
	return true;
}

/*
 * The T-SQL for "col opname value" (col already quoted, on the left; the
 * column's local type coltype/coltypmod; the value of type valtype),
 * with the same three-valued result PostgreSQL gives for every remote
 * value:
 *
 *	- NULL: "col op NULL", unknown for every row;
 *	- numbers, dates and uuids SQL Server can represent: "col op literal";
 *	- date/times with fractions: around rounding bounds, as for constants
 *	  (see above); with values read as strings (TDS before 7.4, binary_dates
 *	  false) "<" becomes "<=" and the condition is checked again locally;
 *	- values beyond every SQL Server value (NaN, infinities, years after
 *	  9999 or before 1): "col = col" where the comparison holds for every
 *	  value, "col <> col" where it holds for none (unknown for NULL, as the
 *	  comparison itself);
 *	- numbers with more than 38 digits: see append_long_numeric_cmp.
 */
/*
 * Most elements of an array parameter sent as an IN list.  Microsoft's
 * documentation warns that IN lists of many thousands of values can fail
 * (errors 8623 and 8632); a longer array is sent as no condition, which the
 * local check then applies.
 */
#define MSSQL_MAX_IN_PARAMS 1000

/*
 * "col = ANY(array)": "(col IN (literals))" of the elements SQL Server can
 * represent (another one equals no remote value), "(1 = 0)" when none is
 * left (or the array is NULL), "(1 = 1)" when there are too many.  The
 * condition is checked again locally (see classify_saop), and is never
 * sent under NOT, so a NULL element, which makes PostgreSQL's answer NULL
 * rather than false, changes nothing.
 */
static void
append_param_in(StringInfo buf, const char *col, Datum value, bool isnull)
{
	ArrayType  *arr;
	Oid			elemtype;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				sent = 0;
	StringInfoData list;

	if (isnull)
	{
		appendStringInfoString(buf, "(1 = 0)");
		return;
	}
	arr = DatumGetArrayTypeP(value);
	elemtype = ARR_ELEMTYPE(arr);
	array_elements(arr, &elems, &nulls, &n);
	if (n > MSSQL_MAX_IN_PARAMS)
	{
		appendStringInfoString(buf, "(1 = 1)");
		return;
	}
	initStringInfo(&list);
	for (i = 0; i < n; i++)
	{
		int			len = list.len;

		if (nulls[i])
			continue;
		if (sent > 0)
			appendStringInfoString(&list, ", ");
		if (!mssql_append_datum_literal(&list, elems[i], elemtype, false))
		{
			/* no remote value equals it */
			list.len = len;
			list.data[len] = '\0';
			continue;
		}
		sent++;
	}
	if (sent == 0)
		appendStringInfoString(buf, "(1 = 0)");
	else
		appendStringInfo(buf, "(%s IN (%s))", col, list.data);
}

void
mssql_deparse_param_cmp(StringInfo buf, const char *col, const char *opname,
						Oid coltype, int32 coltypmod, bool binary_dates,
						Datum value, Oid valtype, bool isnull)
{
	TypeClass	tc = type_class(coltype);
	StringInfoData lit;
	bool		lt_op = (opname[0] == '<' && opname[1] != '>');
	bool		holds;
	int			side;

	if (strcmp(opname, "IN") == 0)
	{
		append_param_in(buf, col, value, isnull);
		return;
	}
	if (isnull)
	{
		appendStringInfo(buf, "(%s %s NULL)", col, opname);
		return;
	}

	if (tc == TC_TIMESTAMP || tc == TC_TIMESTAMPTZ || tc == TC_TIME)
	{
		int64		k;
		bool		neg_inf = false,
					pos_inf = false;
		const char *lt = binary_dates ? "<" : "<=";

		if (tc == TC_TIME)
			k = DatumGetTimeADT(value);
		else
		{
			k = DatumGetTimestamp(value);
			neg_inf = TIMESTAMP_IS_NOBEGIN(k);
			pos_inf = TIMESTAMP_IS_NOEND(k);
		}
		appendStringInfoChar(buf, '(');
		if (strcmp(opname, ">=") == 0)
			append_time_side(buf, col, tc, coltypmod, k, neg_inf, pos_inf, true, lt);
		else if (strcmp(opname, ">") == 0)
			append_time_side(buf, col, tc, coltypmod, k + (neg_inf || pos_inf ? 0 : 1),
							 neg_inf, pos_inf, true, lt);
		else if (strcmp(opname, "<") == 0)
			append_time_side(buf, col, tc, coltypmod, k, neg_inf, pos_inf, false, lt);
		else if (strcmp(opname, "<=") == 0)
			append_time_side(buf, col, tc, coltypmod, k + (neg_inf || pos_inf ? 0 : 1),
							 neg_inf, pos_inf, false, lt);
		else
		{
			bool		eq = (strcmp(opname, "=") == 0);
			int64		k1 = k + (neg_inf || pos_inf ? 0 : 1);

			appendStringInfoChar(buf, '(');
			append_time_side(buf, col, tc, coltypmod, k, neg_inf, pos_inf, eq, lt);
			appendStringInfoString(buf, eq ? ") AND (" : ") OR (");
			append_time_side(buf, col, tc, coltypmod, k1, neg_inf, pos_inf, !eq, lt);
			appendStringInfoChar(buf, ')');
		}
		appendStringInfoChar(buf, ')');
		return;
	}

	initStringInfo(&lit);
	if (mssql_append_datum_literal(&lit, value, valtype, false))
	{
		appendStringInfo(buf, "(%s %s %s)", col, opname, lit.data);
		return;
	}
	side = unrepresentable_side(value, valtype);
	if (side == 0 && valtype == NUMERICOID &&
		append_long_numeric_cmp(buf, col, opname, value))
		return;
	if (side == 0)
	{
		/* a number beyond 10^38: on the side of its sign */
		char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out, value));

		side = (str[0] == '-') ? -1 : 1;
	}
	/* value above (below) every remote value */
	if (strcmp(opname, "=") == 0)
		holds = false;
	else if (strcmp(opname, "<>") == 0)
		holds = true;
	else
		holds = (lt_op == (side > 0));
	appendStringInfo(buf, holds ? "(%s = %s)" : "(%s <> %s)", col, col);
}

/*
 * "col = ANY(array parameter)": "([col] IN (@Pn))" now, replaced as a whole
 * with mssql_deparse_param_cmp()'s text for the array once it is known.
 */
static void
deparse_param_in(ScalarArrayOpExpr *saop, DeparseCxt *cxt)
{
	Var		   *var = (Var *) strip_implicit(linitial(saop->args));
	Node	   *r = strip_implicit(lsecond(saop->args));
	StringInfoData col;
	StringInfo	buf = cxt->buf;
	int			start = buf->len;
	int			idx;

	initStringInfo(&col);
	cxt->buf = &col;
	deparse_column(var, cxt);
	cxt->buf = buf;

	idx = param_index(r, cxt);
	appendStringInfo(buf, "(%s IN (@P%d))", col.data, idx);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, start);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets, idx);
	*cxt->param_offsets = lappend_int(*cxt->param_offsets,
									  list_length(*cxt->param_cmps));
	*cxt->param_cmps = lappend(*cxt->param_cmps,
							   list_make5(makeString(col.data),
										  makeString(pstrdup("IN")),
										  makeInteger((int) exprType((Node *) var)),
										  makeInteger(var->vartypmod),
										  makeInteger(buf->len - start)));
}

/*
 * "col IN (X1, X2, ...)" of a date/time column: an OR of the ranges that
 * "col = Xi" becomes (see deparse_time_comparison), each selecting exactly
 * the rows whose rounded value is Xi; "col NOT IN (...)" (<> ALL): an AND
 * of what "col <> Xi" becomes.  Duplicate elements are sent once.
 */
static void
deparse_time_in(ScalarArrayOpExpr *saop, DeparseCxt *cxt, TypeClass tc)
{
	Var		   *var;
	int64	   *values;
	int			n,
				i,
				j;
	StringInfoData col;
	StringInfo	buf = cxt->buf;
	const char *lt = binary_dates(cxt) ? "<" : "<=";
	bool		first = true;
	bool		all;

	if (!time_in_parts(saop, cxt, tc, &var, &values, &n))
		elog(ERROR, "date/time IN list cannot be sent to SQL Server");
	all = !saop->useOr;
	initStringInfo(&col);
	cxt->buf = &col;
	deparse_column(var, cxt);
	cxt->buf = buf;

	appendStringInfoChar(buf, '(');
	for (i = 0; i < n; i++)
	{
		for (j = 0; j < i; j++)
			if (values[j] == values[i])
				break;
		if (j < i)
			continue;
		if (!first)
			appendStringInfoString(buf, all ? " AND " : " OR ");
		first = false;
		if (all)
		{
			/* "col <> X", as deparse_time_comparison writes it */
			appendStringInfo(buf, "(%s %s ", col.data, lt);
			append_time_bound(buf, tc, var->vartypmod, values[i]);
			appendStringInfo(buf, " OR %s >= ", col.data);
			append_time_bound(buf, tc, var->vartypmod, values[i] + 1);
		}
		else
		{
			appendStringInfo(buf, "(%s >= ", col.data);
			append_time_bound(buf, tc, var->vartypmod, values[i]);
			appendStringInfo(buf, " AND %s %s ", col.data, lt);
			append_time_bound(buf, tc, var->vartypmod, values[i] + 1);
		}
		appendStringInfoChar(buf, ')');
	}
	appendStringInfoChar(buf, ')');
}

static void
deparse_saop(ScalarArrayOpExpr *saop, DeparseCxt *cxt)
{
	Node	   *l = linitial(saop->args);
	Node	   *r = lsecond(saop->args);

	TypeClass	tc = type_class(exprType(strip_implicit(l)));

	if (operand_is_param(r, cxt))
	{
		deparse_param_in(saop, cxt);
		return;
	}
	if (tc == TC_TIMESTAMP || tc == TC_TIMESTAMPTZ || tc == TC_TIME)
	{
		deparse_time_in(saop, cxt, tc);
		return;
	}

	appendStringInfoChar(cxt->buf, '(');
	deparse_operand(l, cxt);
	appendStringInfoString(cxt->buf, saop->useOr ? " IN (" : " NOT IN (");
	if (IsA(r, Const))
	{
		Const	   *c = (Const *) r;
		ArrayType  *arr = DatumGetArrayTypeP(c->constvalue);
		Oid			elemtype = ARR_ELEMTYPE(arr);
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i;

		array_elements(arr, &elems, &nulls, &n);
		for (i = 0; i < n; i++)
		{
			if (i > 0)
				appendStringInfoString(cxt->buf, ", ");
			mssql_append_datum_literal(cxt->buf, elems[i], elemtype, nulls[i]);
		}
	}
	else
	{
		ListCell   *lc;
		bool		first = true;

		foreach(lc, ((ArrayExpr *) r)->elements)
		{
			if (!first)
				appendStringInfoString(cxt->buf, ", ");
			first = false;
			deparse_operand(lfirst(lc), cxt);
		}
	}
	appendStringInfoString(cxt->buf, "))");
}

static void
deparse_expr(Node *node, DeparseCxt *cxt, bool boolctx)
{
	switch (nodeTag(node))
	{
		case T_BoolExpr:
			{
				BoolExpr   *b = (BoolExpr *) node;
				ListCell   *lc;
				bool		first = true;

				if (b->boolop == NOT_EXPR)
				{
					appendStringInfoString(cxt->buf, "(NOT ");
					deparse_expr(linitial(b->args), cxt, true);
					appendStringInfoChar(cxt->buf, ')');
					return;
				}
				appendStringInfoChar(cxt->buf, '(');
				foreach(lc, b->args)
				{
					if (!first)
						appendStringInfoString(cxt->buf,
											   b->boolop == AND_EXPR ? " AND " : " OR ");
					first = false;
					deparse_expr(lfirst(lc), cxt, true);
				}
				appendStringInfoChar(cxt->buf, ')');
				return;
			}
		case T_OpExpr:
			deparse_opexpr((OpExpr *) node, cxt);
			return;
		case T_ScalarArrayOpExpr:
			deparse_saop((ScalarArrayOpExpr *) node, cxt);
			return;
		case T_NullTest:
			{
				NullTest   *nt = (NullTest *) node;

				appendStringInfoChar(cxt->buf, '(');
				deparse_operand((Node *) nt->arg, cxt);
				appendStringInfoString(cxt->buf, nt->nulltesttype == IS_NULL
									   ? " IS NULL)" : " IS NOT NULL)");
				return;
			}
		case T_BooleanTest:
			{
				/* never NULL, as in PostgreSQL: NULL is neither true nor false */
				BooleanTest *bt = (BooleanTest *) node;
				StringInfoData col;
				StringInfo	buf = cxt->buf;

				initStringInfo(&col);
				cxt->buf = &col;
				deparse_column((Var *) bt->arg, cxt);
				cxt->buf = buf;
				switch (bt->booltesttype)
				{
					case IS_TRUE:
						appendStringInfo(buf, "(%s <> 0)", col.data);
						break;
					case IS_FALSE:
						appendStringInfo(buf, "(%s = 0)", col.data);
						break;
					case IS_NOT_TRUE:
						appendStringInfo(buf, "(%s = 0 OR %s IS NULL)", col.data, col.data);
						break;
					case IS_NOT_FALSE:
						appendStringInfo(buf, "(%s <> 0 OR %s IS NULL)", col.data, col.data);
						break;
					case IS_UNKNOWN:
						appendStringInfo(buf, "(%s IS NULL)", col.data);
						break;
					case IS_NOT_UNKNOWN:
						appendStringInfo(buf, "(%s IS NOT NULL)", col.data);
						break;
				}
				return;
			}
		case T_Var:
			Assert(boolctx);
			deparse_bool_test((Var *) node, true, cxt);
			return;
		default:
			elog(ERROR, "unexpected node type %d in remote expression",
				 (int) nodeTag(node));
	}
}

/* [schema].[table], or (query) AS [q] */
void
mssql_deparse_table_name(StringInfo buf, MssqlTableOptions *topts)
{
	if (topts->query)
	{
		int			len = strlen(topts->query);

		/* a statement terminator cannot stay inside the parentheses */
		while (len > 0 && (topts->query[len - 1] == ';' ||
						   isspace((unsigned char) topts->query[len - 1])))
			len--;
		appendStringInfoChar(buf, '(');
		appendBinaryStringInfo(buf, topts->query, len);
		appendStringInfoString(buf, ") AS ");
		mssql_append_ident(buf, "q");
		return;
	}
	mssql_append_ident(buf, topts->schema_name);
	appendStringInfoChar(buf, '.');
	mssql_append_ident(buf, topts->table_name);
}

/* ------------------------------------------------------------------------
 * Aggregates
 *
 * Only aggregates SQL Server computes exactly as PostgreSQL does, over a
 * plain column of the foreign table:
 *
 *	count(*), count(c)	 COUNT_BIG(*), COUNT_BIG([c]): bigint, as count's
 *						 (a text or other column: COUNT_BIG(CASE WHEN [c]
 *						 IS NOT NULL THEN 1 END), see deparse_aggref)
 *	min(c), max(c)		 MIN([c]), MAX([c]) for numbers and date/times:
 *						 the same order, and rounding the 7th digit of a
 *						 datetime2 keeps the order, so the extreme rounds
 *						 to the local extreme
 *	sum(c) of smallint	 SUM(CAST([c] AS bigint)): PostgreSQL sums these
 *	  and integer		 into a bigint, and so fails where SQL Server does
 *	sum(c) of numeric(p,s) SUM(CAST([c] AS decimal(38, s))): exact, a
 *						 money column included (SUM(money) would overflow
 *						 at money's range)
 *
 * Not avg() (T-SQL's AVG of integers truncates, of decimals has another
 * scale), not sums of floats (order-dependent rounding), bigint (numeric in
 * PostgreSQL, overflows at 2^63 in T-SQL) or unconstrained numeric, not
 * DISTINCT, ORDER BY or FILTER in aggregates.
 * ------------------------------------------------------------------------
 */
typedef enum MssqlAggKind
{
	AGG_NONE,
	AGG_COUNT_STAR,
	AGG_COUNT,
	AGG_MIN,
	AGG_MAX,
	AGG_SUM_INT,
	AGG_SUM_NUMERIC
} MssqlAggKind;

/* The kind of a pushable aggregate, and its column (NULL for count(*)) */
static MssqlAggKind
agg_kind(Aggref *agg, DeparseCxt *cxt, Var **var)
{
	HeapTuple	tuple;
	Form_pg_proc proc;
	char		name[NAMEDATALEN];
	Node	   *arg;
	Oid			argtype;
	TypeClass	tc;

	*var = NULL;
	if (!is_builtin(agg->aggfnoid) || agg->aggkind != AGGKIND_NORMAL ||
		agg->aggdistinct != NIL || agg->aggorder != NIL ||
		agg->aggfilter != NULL || agg->aggvariadic ||
		agg->agglevelsup != 0 || agg->aggsplit != AGGSPLIT_SIMPLE)
		return AGG_NONE;
	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(agg->aggfnoid));
	if (!HeapTupleIsValid(tuple))
		return AGG_NONE;
	proc = (Form_pg_proc) GETSTRUCT(tuple);
	strlcpy(name, NameStr(proc->proname), sizeof(name));
	ReleaseSysCache(tuple);

	if (agg->aggstar)
		return strcmp(name, "count") == 0 ? AGG_COUNT_STAR : AGG_NONE;
	if (list_length(agg->args) != 1)
		return AGG_NONE;
	arg = (Node *) ((TargetEntry *) linitial(agg->args))->expr;
	while (arg && IsA(arg, RelabelType))
		arg = (Node *) ((RelabelType *) arg)->arg;
	if (!IsA(arg, Var) || !is_own_var(arg, cxt) || ((Var *) arg)->varattno <= 0)
		return AGG_NONE;
	*var = (Var *) arg;
	argtype = exprType(arg);
	tc = type_class(argtype);

	if (strcmp(name, "count") == 0)
		return AGG_COUNT;
	if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0)
	{
		if (tc != TC_NUMBER && tc != TC_DATE && tc != TC_TIMESTAMP &&
			tc != TC_TIMESTAMPTZ && tc != TC_TIME)
			return AGG_NONE;
		return name[1] == 'i' ? AGG_MIN : AGG_MAX;
	}
	if (strcmp(name, "sum") == 0)
	{
		if (argtype == INT2OID || argtype == INT4OID)
			return AGG_SUM_INT;
		if (argtype == NUMERICOID && (*var)->vartypmod >= (int32) VARHDRSZ)
			return AGG_SUM_NUMERIC;
	}
	return AGG_NONE;
}

/*
 * Can the aggregate run on SQL Server (see above)?  baserel is the foreign
 * table it reads.
 */
bool
mssql_agg_pushable(PlannerInfo *root, RelOptInfo *baserel, Aggref *agg)
{
	DeparseCxt	cxt;
	Var		   *var;

	init_cxt(&cxt, root, baserel);
	return agg_kind(agg, &cxt, &var) != AGG_NONE;
}

static bool
aggref_pushable(Aggref *agg, DeparseCxt *cxt)
{
	Var		   *var;

	return agg_kind(agg, cxt, &var) != AGG_NONE;
}

/*
 * Can a HAVING condition run on SQL Server?  Comparisons of pushable
 * aggregates and grouping columns with constants, as in WHERE (no
 * parameters: a value SQL Server cannot represent would need a column to
 * write its condition with).
 */
bool
mssql_having_pushable(PlannerInfo *root, RelOptInfo *baserel, Expr *expr)
{
	DeparseCxt	cxt;

	init_cxt(&cxt, root, baserel);
	cxt.having = true;
	return classify((Node *) expr, &cxt, false, true) == MSSQL_PUSH_EXACT;
}

/*
 * Can SQL Server group by this expression exactly as PostgreSQL does?  A
 * plain column of a number, date or uuid: text groups by collation,
 * date/times with fractions by values that may round together locally, a
 * boolean read from an integer column by more values than true and false.
 */
bool
mssql_group_pushable(PlannerInfo *root, RelOptInfo *baserel, Expr *expr)
{
	Node	   *e = (Node *) expr;
	TypeClass	tc;

	while (e && IsA(e, RelabelType))
		e = (Node *) ((RelabelType *) e)->arg;
	if (e == NULL || !IsA(e, Var) || ((Var *) e)->varattno <= 0 ||
		!bms_is_member(((Var *) e)->varno, baserel->relids) ||
		((Var *) e)->varlevelsup != 0)
		return false;
	tc = type_class(exprType(e));
	return tc == TC_NUMBER || tc == TC_DATE || tc == TC_UUID;
}

static void
deparse_aggref(Aggref *agg, DeparseCxt *cxt)
{
	Var		   *var;
	StringInfo	buf = cxt->buf;

	switch (agg_kind(agg, cxt, &var))
	{
		case AGG_COUNT_STAR:
			appendStringInfoString(buf, "COUNT_BIG(*)");
			break;
		case AGG_COUNT:
			{
				TypeClass	tc = type_class(exprType((Node *) var));

				/*
				 * T-SQL's COUNT refuses text, ntext and image columns, which
				 * a local text or bytea column may read: count those
				 * through IS NOT NULL, which accepts every type.
				 */
				if (tc == TC_TEXT || tc == TC_NONE)
				{
					appendStringInfoString(buf, "COUNT_BIG(CASE WHEN ");
					deparse_column(var, cxt);
					appendStringInfoString(buf, " IS NOT NULL THEN 1 END)");
				}
				else
				{
					appendStringInfoString(buf, "COUNT_BIG(");
					deparse_column(var, cxt);
					appendStringInfoChar(buf, ')');
				}
				break;
			}
		case AGG_MIN:
		case AGG_MAX:
			appendStringInfoString(buf, agg_kind(agg, cxt, &var) == AGG_MIN ? "MIN(" : "MAX(");
			deparse_column(var, cxt);
			appendStringInfoChar(buf, ')');
			break;
		case AGG_SUM_INT:
			appendStringInfoString(buf, "SUM(CAST(");
			deparse_column(var, cxt);
			appendStringInfoString(buf, " AS bigint))");
			break;
		case AGG_SUM_NUMERIC:
			appendStringInfoString(buf, "SUM(CAST(");
			deparse_column(var, cxt);
			appendStringInfo(buf, " AS decimal(38, %d)))",
							 (var->vartypmod - VARHDRSZ) & 0xffff);
			break;
		case AGG_NONE:
			elog(ERROR, "aggregate cannot be sent to SQL Server");
	}
}

/*
 * Can SQL Server produce this ordering exactly?  Only for columns of
 * numbers and date/time types.
 */
bool
mssql_pathkeys_pushable(PlannerInfo *root, RelOptInfo *baserel, List *pathkeys)
{
	ListCell   *lc;

	if (pathkeys == NIL)
		return false;
	foreach(lc, pathkeys)
	{
		PathKey    *pk = (PathKey *) lfirst(lc);
		EquivalenceClass *ec = pk->pk_eclass;
		ListCell   *lm;
		bool		found = false;

		if (ec->ec_has_volatile)
			return false;
		foreach(lm, ec->ec_members)
		{
			EquivalenceMember *em = (EquivalenceMember *) lfirst(lm);
			Node	   *e = (Node *) em->em_expr;
			TypeClass	tc;
			Oid			opclass;

			while (e && IsA(e, RelabelType))
				e = (Node *) ((RelabelType *) e)->arg;
			if (!IsA(e, Var) || !bms_equal(em->em_relids, baserel->relids) ||
				((Var *) e)->varattno <= 0)
				continue;
			tc = type_class(exprType(e));

			/*
			 * Not text (collations), uuid (SQL Server's own order), nor
			 * boolean: one read from an integer column is true for -1,
			 * which SQL Server sorts before 0.
			 */
			if (tc == TC_TEXT || tc == TC_UUID || tc == TC_BOOL || tc == TC_NONE)
				continue;
			/* only the default btree ordering of the type */
			opclass = GetDefaultOpClass(exprType(e), BTREE_AM_OID);
			if (!OidIsValid(opclass) || get_opclass_family(opclass) != pk->pk_opfamily)
				continue;
			found = true;
			break;
		}
		if (!found)
			return false;
	}
	return true;
}

/* the Var of baserel a pathkey sorts by (mssql_pathkeys_pushable said yes) */
static Var *
pathkey_var(PathKey *pk, RelOptInfo *baserel)
{
	ListCell   *lm;

	foreach(lm, pk->pk_eclass->ec_members)
	{
		EquivalenceMember *em = (EquivalenceMember *) lfirst(lm);
		Node	   *e = (Node *) em->em_expr;

		while (e && IsA(e, RelabelType))
			e = (Node *) ((RelabelType *) e)->arg;
		if (IsA(e, Var) && bms_equal(em->em_relids, baserel->relids) &&
			((Var *) e)->varattno > 0)
		{
			TypeClass	tc = type_class(exprType(e));

			if (tc != TC_TEXT && tc != TC_UUID && tc != TC_BOOL && tc != TC_NONE)
				return (Var *) e;
		}
	}
	elog(ERROR, "could not find the column of a pushed-down sort key");
	return NULL;
}

/*
 * Write conds (clauses, or RestrictInfos of them) to cxt->buf joined by
 * " AND ", with first_sep before the first.  Returns false, having written
 * nothing, when conds is empty.
 */
static bool
deparse_conds(List *conds, const char *first_sep, DeparseCxt *cxt)
{
	ListCell   *lc;
	bool		first = true;

	foreach(lc, conds)
	{
		Node	   *clause = lfirst(lc);

		if (IsA(clause, RestrictInfo))
			clause = (Node *) ((RestrictInfo *) clause)->clause;
		appendStringInfoString(cxt->buf, first ? first_sep : " AND ");
		first = false;
		deparse_expr(clause, cxt, true);
	}
	return !first;
}

/*
 * Write the remote SELECT.
 *
 * For a base relation scan, tlist_vars is NIL and attrs_used says which
 * columns to fetch; *retrieved_attrs receives their attnums.  For an upper
 * relation (LIMIT pushdown), tlist_vars lists the Vars of the scan tuple in
 * order and *retrieved_attrs receives 1..n.  conds are RestrictInfos or
 * bare clauses to put in WHERE.  limit < 0 means no limit.  *sorted_cols
 * receives the positions (0-based, in retrieved order) of the columns the
 * remote ORDER BY sorts by.
 */
void
mssql_deparse_select(StringInfo buf, PlannerInfo *root, RelOptInfo *baserel,
					 List *tlist_vars, Bitmapset *attrs_used, List *conds,
					 List *pathkeys, int64 limit, int64 offset,
					 List **retrieved_attrs, List **sorted_cols,
					 List **params_list, List **param_offsets,
					 List **param_cmps, List *group_exprs, List *having)
{
	DeparseCxt	cxt;
	RangeTblEntry *rte = planner_rt_fetch(baserel->relid, root);
	Relation	rel;
	TupleDesc	tupdesc;
	MssqlTableOptions topts;
	bool		first = true;
	ListCell   *lc;
	ListCell   *lm;
	int			i;

	init_cxt(&cxt, root, baserel);
	cxt.buf = buf;
	cxt.params_list = params_list;
	cxt.param_offsets = param_offsets;
	cxt.param_cmps = param_cmps;

	mssql_get_table_options(rte->relid, &topts);
	rel = table_open(rte->relid, NoLock);
	tupdesc = RelationGetDescr(rel);

	*retrieved_attrs = NIL;
	*sorted_cols = NIL;
	appendStringInfoString(buf, "SELECT ");
	if (limit >= 0 && offset <= 0)
		appendStringInfo(buf, "TOP (" INT64_FORMAT ") ", limit);

	if (tlist_vars != NIL)
	{
		i = 0;
		foreach(lc, tlist_vars)
		{
			Node	   *item = (Node *) lfirst(lc);

			if (!first)
				appendStringInfoString(buf, ", ");
			first = false;
			while (IsA(item, RelabelType))
				item = (Node *) ((RelabelType *) item)->arg;
			if (IsA(item, Aggref))
				deparse_aggref((Aggref *) item, &cxt);
			else
				deparse_column((Var *) item, &cxt);
			*retrieved_attrs = lappend_int(*retrieved_attrs, ++i);
		}
	}
	else
	{
		bool		whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber,
											  attrs_used);

		for (i = 1; i <= tupdesc->natts; i++)
		{
			Form_pg_attribute attr = TupleDescAttr(tupdesc, i - 1);
			Var			v;

			if (attr->attisdropped)
				continue;
			if (!whole_row &&
				!bms_is_member(i - FirstLowInvalidHeapAttributeNumber, attrs_used))
				continue;
			if (!first)
				appendStringInfoString(buf, ", ");
			first = false;
			memset(&v, 0, sizeof(v));
			v.varattno = i;
			deparse_column(&v, &cxt);
			*retrieved_attrs = lappend_int(*retrieved_attrs, i);
		}
	}
	if (first)
		appendStringInfoString(buf, "1");

	appendStringInfoString(buf, " FROM ");
	mssql_deparse_table_name(buf, &topts);

	deparse_conds(conds, " WHERE ", &cxt);

	first = true;
	foreach(lc, group_exprs)
	{
		Node	   *e = (Node *) lfirst(lc);

		while (IsA(e, RelabelType))
			e = (Node *) ((RelabelType *) e)->arg;
		appendStringInfoString(buf, first ? " GROUP BY " : ", ");
		first = false;
		deparse_column((Var *) e, &cxt);
	}
	first = true;
	cxt.having = true;
	foreach(lc, having)
	{
		appendStringInfoString(buf, first ? " HAVING " : " AND ");
		first = false;
		deparse_expr((Node *) lfirst(lc), &cxt, true);
	}
	cxt.having = false;

	if (pathkeys != NIL)
	{
		first = true;
		appendStringInfoString(buf, " ORDER BY ");
		foreach(lc, pathkeys)
		{
			PathKey    *pk = (PathKey *) lfirst(lc);
			Var		   *var = pathkey_var(pk, baserel);
			bool		desc = (pk->pk_strategy == BTGreaterStrategyNumber);
			Form_pg_attribute attr = TupleDescAttr(tupdesc, var->varattno - 1);

			if (!first)
				appendStringInfoString(buf, ", ");
			first = false;

			/* SQL Server sorts NULLs first in ascending order, last in descending */
			if (!attr->attnotnull && pk->pk_nulls_first == desc)
			{
				appendStringInfoString(buf, "CASE WHEN ");
				deparse_column(var, &cxt);
				appendStringInfo(buf, " IS NULL THEN %d ELSE %d END, ",
								 desc ? 0 : 1, desc ? 1 : 0);
			}
			deparse_column(var, &cxt);
			appendStringInfoString(buf, desc ? " DESC" : " ASC");

			/* which retrieved column it is, for scan.c to check its type */
			i = 0;
			if (tlist_vars != NIL)
			{
				foreach(lm, tlist_vars)
				{
					Var		   *tv = (Var *) lfirst(lm);

					if (tv->varno == var->varno && tv->varattno == var->varattno)
						break;
					i++;
				}
			}
			else
			{
				foreach(lm, *retrieved_attrs)
				{
					if (lfirst_int(lm) == var->varattno)
						break;
					i++;
				}
			}
			if (i < list_length(*retrieved_attrs))
				*sorted_cols = lappend_int(*sorted_cols, i);
		}
	}
	if (offset > 0)
	{
		if (pathkeys == NIL)
			appendStringInfoString(buf, " ORDER BY (SELECT NULL)");
		appendStringInfo(buf, " OFFSET " INT64_FORMAT " ROWS", offset);
		if (limit >= 0)
			appendStringInfo(buf, " FETCH NEXT " INT64_FORMAT " ROWS ONLY", limit);
	}

	table_close(rel, NoLock);
}

/* [schema].[table] AS [r<n>], or (query) AS [r<n>] */
static void
deparse_join_side(StringInfo buf, PlannerInfo *root, RelOptInfo *rel)
{
	Oid			relid = planner_rt_fetch(rel->relid, root)->relid;
	MssqlTableOptions topts;
	char		alias[32];

	mssql_get_table_options(relid, &topts);
	snprintf(alias, sizeof(alias), "r%d", (int) rel->relid);
	if (topts.query)
	{
		int			len = strlen(topts.query);

		while (len > 0 && (topts.query[len - 1] == ';' ||
						   isspace((unsigned char) topts.query[len - 1])))
			len--;
		appendStringInfoChar(buf, '(');
		appendBinaryStringInfo(buf, topts.query, len);
		appendStringInfoChar(buf, ')');
	}
	else
	{
		mssql_append_ident(buf, topts.schema_name);
		appendStringInfoChar(buf, '.');
		mssql_append_ident(buf, topts.table_name);
	}
	appendStringInfoString(buf, " AS ");
	mssql_append_ident(buf, alias);
}

/*
 * The remote SELECT of a join of two foreign tables: the Vars of
 * tlist_vars (qualified as [r<varno>]), FROM outerrel <join_kind> JOIN
 * innerrel ON join_conds, WHERE where_conds; join_kind is "INNER", "LEFT"
 * or "FULL".  Conditions are RestrictInfos or bare clauses.
 * *retrieved_attrs receives 1..n.
 */
void
mssql_deparse_join(StringInfo buf, PlannerInfo *root, RelOptInfo *joinrel,
				   RelOptInfo *outerrel, RelOptInfo *innerrel, const char *join_kind,
				   List *tlist_vars, List *join_conds, List *where_conds,
				   List **retrieved_attrs, List **params_list,
				   List **param_offsets, List **param_cmps)
{
	DeparseCxt	cxt;
	ListCell   *lc;
	bool		first = true;
	int			i = 0;

	init_cxt(&cxt, root, joinrel);
	cxt.buf = buf;
	cxt.params_list = params_list;
	cxt.param_offsets = param_offsets;
	cxt.param_cmps = param_cmps;

	*retrieved_attrs = NIL;
	appendStringInfoString(buf, "SELECT ");
	foreach(lc, tlist_vars)
	{
		if (!first)
			appendStringInfoString(buf, ", ");
		first = false;
		deparse_column((Var *) lfirst(lc), &cxt);
		*retrieved_attrs = lappend_int(*retrieved_attrs, ++i);
	}
	if (first)
		appendStringInfoString(buf, "1");
	appendStringInfoString(buf, " FROM ");
	deparse_join_side(buf, root, outerrel);
	appendStringInfo(buf, " %s JOIN ", join_kind);
	deparse_join_side(buf, root, innerrel);
	appendStringInfoString(buf, " ON ");
	if (!deparse_conds(join_conds, "", &cxt))
		appendStringInfoString(buf, "(1 = 1)");
	deparse_conds(where_conds, " WHERE ", &cxt);
}

/*
 * SELECT of every column, for ANALYZE.  With sample_below > 0 only a
 * random part of the rows is asked for: each row is kept when a fresh
 * random number in 0 .. 2^31 - 1 is below sample_below, so about
 * sample_below / 2^31 of the rows come back (see analyze.c for why this
 * filter rather than TABLESAMPLE).  The filter applies to the rows of the
 * table, view or query alike: for the query option it stands in the WHERE
 * of the outer SELECT over the derived table.
 *
 * CHECKSUM(NEWID()) is an int of any sign; "& 2147483647" keeps its low 31
 * bits, never negative.  (ABS(CHECKSUM(NEWID())), the usual spelling,
 * fails with error 8115 when the checksum is -2147483648.)
 */
void
mssql_deparse_analyze(StringInfo buf, Relation rel, MssqlTableOptions *topts,
					  uint32 sample_below, List **retrieved_attrs)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	bool		first = true;
	int			i;

	*retrieved_attrs = NIL;
	appendStringInfoString(buf, "SELECT ");
	for (i = 1; i <= tupdesc->natts; i++)
	{
		if (TupleDescAttr(tupdesc, i - 1)->attisdropped)
			continue;
		if (!first)
			appendStringInfoString(buf, ", ");
		first = false;
		mssql_append_ident(buf, mssql_column_name(RelationGetRelid(rel), i));
		*retrieved_attrs = lappend_int(*retrieved_attrs, i);
	}
	if (first)
		appendStringInfoString(buf, "1");
	appendStringInfoString(buf, " FROM ");
	mssql_deparse_table_name(buf, topts);
	if (sample_below > 0)
		appendStringInfo(buf, " WHERE (CHECKSUM(NEWID()) & 2147483647) < %u",
						 sample_below);
}

/* The number of rows of a table, view or query, counted by SQL Server */
void
mssql_deparse_count(StringInfo buf, MssqlTableOptions *topts)
{
	appendStringInfoString(buf, "SELECT COUNT_BIG(*) FROM ");
	mssql_deparse_table_name(buf, topts);
}

/* Row count of a remote table from the catalog (heap or clustered index) */
void
mssql_deparse_rowcount(StringInfo buf, MssqlTableOptions *topts)
{
	StringInfoData name;

	initStringInfo(&name);
	mssql_append_ident(&name, topts->schema_name);
	appendStringInfoChar(&name, '.');
	mssql_append_ident(&name, topts->table_name);

	appendStringInfoString(buf,
						   "SELECT CAST(SUM(p.rows) AS bigint) FROM sys.partitions AS p"
						   " WHERE p.object_id = OBJECT_ID(");
	mssql_append_nstring(buf, name.data);
	appendStringInfoString(buf, ") AND p.index_id IN (0, 1)");
}

/* The catalog query of IMPORT FOREIGN SCHEMA */
void
mssql_deparse_import(StringInfo buf, const char *schema, ImportForeignSchemaStmt *stmt)
{
	ListCell   *lc;
	bool		first = true;

	appendStringInfoString(buf,
						   "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE,"
						   " c.CHARACTER_MAXIMUM_LENGTH, c.NUMERIC_PRECISION,"
						   " c.NUMERIC_SCALE, c.DATETIME_PRECISION, c.IS_NULLABLE"
						   " FROM INFORMATION_SCHEMA.COLUMNS AS c"
						   " JOIN INFORMATION_SCHEMA.TABLES AS t"
						   " ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME"
						   " WHERE t.TABLE_TYPE IN (N'BASE TABLE', N'VIEW') AND c.TABLE_SCHEMA = ");
	mssql_append_nstring(buf, schema);

	if (stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO ||
		stmt->list_type == FDW_IMPORT_SCHEMA_EXCEPT)
	{
		appendStringInfoString(buf, stmt->list_type == FDW_IMPORT_SCHEMA_EXCEPT
							   ? " AND c.TABLE_NAME NOT IN (" : " AND c.TABLE_NAME IN (");
		foreach(lc, stmt->table_list)
		{
			RangeVar   *rv = (RangeVar *) lfirst(lc);

			if (!first)
				appendStringInfoString(buf, ", ");
			first = false;
			mssql_append_nstring(buf, rv->relname);
		}
		appendStringInfoChar(buf, ')');
	}
	appendStringInfoString(buf, " ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION");
}
