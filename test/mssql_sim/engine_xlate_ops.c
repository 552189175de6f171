/*
 * engine_xlate_ops.c
 *		The translator's rewrites of operators that SQLite would compute
 *		differently from SQL Server: arithmetic on decimals (exact) and
 *		integers (overflow-checked), numbers mixed with strings (the string
 *		converted), and comparisons whose operands' SQL Server types decide
 *		(SIM_CI for strings, SIM_NUM against decimals, a string column
 *		against an integer).
 *
 * The walk (engine_translate.c) tries these at each token; engine_xlate.h
 * is the interface between the two files.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_xlate.h"

/* ------------------------------------------------------------------------
 * Exact decimal arithmetic
 * ------------------------------------------------------------------------
 *
 * SQLite computes "d * 2" on decimal text through a double.  An arithmetic
 * expression whose SQL Server type is decimal/numeric/money/smallmoney is
 * rewritten into __sim_decop(op, left, right, p, s) calls (engine_decimal.c)
 * carrying the result precision and scale of each operator, so the value
 * is exact and has the type's scale.
 */

bool
is_decimal_type(const SimType *t)
{
	return t->id == SIM_DECIMAL || t->id == SIM_NUMERIC || t->id == SIM_MONEY ||
		t->id == SIM_SMALLMONEY;
}

/* Precision and scale to compute a decimal-family type with. */
static void
decimal_ps(const SimType *t, int *p, int *s)
{
	if (t->id == SIM_MONEY)
		*p = 19, *s = 4;
	else if (t->id == SIM_SMALLMONEY)
		*p = 10, *s = 4;
	else
	{
		*p = t->precision > 0 ? t->precision : 18;
		*s = t->scale;
	}
}

/*
 * Is token i a keyword that arith_end would take for a function name when
 * '(' follows ("SELECT (a) - 1", "WHERE (a) + 1 > 2")?
 */
static bool
is_keyword_tok(const EngineStmt *st, int i)
{
	return st->tok[i].type == TK_WORD &&
		(word_in(st->tok[i].text, not_alias) ||
		 word_in(st->tok[i].text, (const char *[]) {"when", "then", "else", "and", "or", "not",
					 "in", "exists", "values", "top", "return", "print", "distinct", "all",
					 "between", "like", "is", "case", NULL}));
}

/* Can an operand start at token i (nothing before it that ends one)? */
static bool
operand_may_start(const EngineStmt *st, int i, int from)
{
	const EngineToken *p;

	if (i == from)
		return true;
	p = &st->tok[i - 1];
	if (p->type == TK_OP)
		return strcmp(p->text, ")") != 0 && strcmp(p->text, ".") != 0;
	if (p->type == TK_WORD)
		return word_in(p->text, (const char *[]) {
			"select", "where", "and", "or", "not", "when", "then", "else", "on", "by",
				"having", "return", "set", "distinct", "case", "all", "between", "print", NULL
		});
	return false;
}

/*
 * End of the arithmetic expression "operand (op operand)*" starting at i, if
 * it has at least one of + - * / % and no bitwise operator; else i.
 */
static int
arith_end(const EngineStmt *st, int i, int to)
{
	int			start = i;
	int			nops = 0;

	for (;;)
	{
		const EngineToken *t;

		while (i < to && (op_is(st, i, "-") || op_is(st, i, "+") || op_is(st, i, "~")))
			i++;
		if (i >= to)
			return start;
		t = &st->tok[i];
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i);
		else if (word_is(st, i, "CASE"))
		{
			int			depth = 0;

			for (; i < to; i++)
			{
				if (word_is(st, i, "CASE"))
					depth++;
				else if (word_is(st, i, "END") && --depth == 0)
					break;
			}
			if (i >= to)
				return start;
			i++;
		}
		else if (is_name_tok(st, i))
		{
			int			e = engine_name_end(st, i);

			if (t->type == TK_WORD && e == i + 1 && !op_is(st, e, "(") &&
				(word_in(t->text, not_alias) || word_is(st, i, "NULL")))
				return start;
			i = e;
			if (op_is(st, i, "("))
			{
				i = engine_skip_parens(st, i);
				if (word_is(st, i, "OVER") && op_is(st, i + 1, "("))
					i = engine_skip_parens(st, i + 1);
			}
		}
		else if (t->type == TK_NUMBER || t->type == TK_STRING || t->type == TK_NSTRING ||
				 t->type == TK_VAR || t->type == TK_GLOBAL)
			i++;
		else
			return start;
		if (i > to)
			return start;
		if (i < to && (op_is(st, i, "+") || op_is(st, i, "-") || op_is(st, i, "*") ||
					   op_is(st, i, "/") || op_is(st, i, "%")))
		{
			nops++;
			i++;
			continue;
		}
		if (i < to && (op_is(st, i, "&") || op_is(st, i, "|") || op_is(st, i, "^")))
			return start;
		return nops > 0 ? i : start;
	}
}

/* Is token i the last token of an operand (a following +/- is binary)? */
static bool
ends_operand_tok(const EngineStmt *st, int i)
{
	const EngineToken *t = &st->tok[i];

	if (t->type == TK_OP)
		return strcmp(t->text, ")") == 0;
	if (t->type == TK_WORD)
		return !word_in(t->text, (const char *[]) {"case", "when", "then", "else", "and",
												   "or", "not", NULL});
	return true;
}

/* A numeric literal (optionally signed) at [a, b): emit it as exact text. */
bool
emit_decimal_literal(Walk *w, int a, int b)
{
	const EngineStmt *st = w->x->st;
	bool		neg = false;
	char	   *txt;

	if (b - a == 2 && (op_is(st, a, "-") || op_is(st, a, "+")))
	{
		neg = op_is(st, a, "-");
		a++;
	}
	if (b - a != 1 || st->tok[a].type != TK_NUMBER || strpbrk(st->tok[a].text, "eE"))
		return false;
	txt = emalloc(strlen(st->tok[a].text) + 2);
	sprintf(txt, "%s%s", neg ? "-" : "", st->tok[a].text);
	emit_literal(w, txt);
	free(txt);
	return true;
}

static void decimal_expr(Walk *w, int a, int b);

/* One operand of a decimal operator: a literal as text, else translated. */
static void
decimal_operand(Walk *w, int a, int b)
{
	EngineXlate *x = w->x;
	char	   *sql;

	if (emit_decimal_literal(w, a, b))
		return;
	if (arith_end(x->st, a, b) == b)
	{
		decimal_expr(w, a, b);
		return;
	}
	sql = sub_translate(x, a, b);
	emit(w, "(");
	ebuf_append(&x->sql, sql);
	ebuf_appendc(&x->sql, ')');
	free(sql);
}

/*
 * Split the arithmetic expression [a, b) at its last additive operator
 * (else its last multiplicative one), as T-SQL associates; -1 if none.
 */
static int
arith_split(const EngineStmt *st, int a, int b)
{
	int			i,
				split = -1,
				split_mul = -1;

	for (i = a; i < b; i++)
	{
		if (op_is(st, i, "("))
		{
			i = engine_skip_parens(st, i) - 1;
			continue;
		}
		if (word_is(st, i, "CASE"))
		{
			int			depth = 0;

			for (; i < b; i++)
			{
				if (word_is(st, i, "CASE"))
					depth++;
				else if (word_is(st, i, "END") && --depth == 0)
					break;
			}
			continue;
		}
		if (i == a || st->tok[i].type != TK_OP || !ends_operand_tok(st, i - 1))
			continue;
		if (op_is(st, i, "+") || op_is(st, i, "-"))
			split = i;
		else if (op_is(st, i, "*") || op_is(st, i, "/") || op_is(st, i, "%"))
			split_mul = i;
	}
	return split >= 0 ? split : split_mul;
}

/*
 * The arithmetic expression [a, b) (arith_end(a) == b): split at its last
 * additive operator (else its last multiplicative one), like T-SQL's left
 * associativity; a decimal-typed part becomes __sim_decop(...), any other
 * part is translated as usual.
 */
static void
decimal_expr(Walk *w, int a, int b)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			split;
	SimType		t;
	int			p,
				s;
	char		buf[64];

	split = arith_split(st, a, b);
	if (split < 0 || !engine_expr_type(x, a, b, &t) || !is_decimal_type(&t))
	{
		char	   *sql;

		/* not a decimal operation: as SQLite would do it */
		if (split < 0 && emit_decimal_literal(w, a, b))
			return;
		sql = sub_translate(x, a, b);
		emit(w, "(");
		ebuf_append(&x->sql, sql);
		ebuf_appendc(&x->sql, ')');
		free(sql);
		return;
	}
	decimal_ps(&t, &p, &s);
	emit(w, "__sim_decop(");
	ebuf_append_literal(&x->sql, st->tok[split].text);
	ebuf_append(&x->sql, ", ");
	decimal_operand(w, a, split);
	ebuf_append(&x->sql, ", ");
	decimal_operand(w, split + 1, b);
	snprintf(buf, sizeof(buf), ", %d, %d)", p, s);
	ebuf_append(&x->sql, buf);
}

/*
 * SUM, AVG, ROUND, ABS at token i (the name) over a decimal argument:
 * exact (engine_decimal.c).  SUM gives decimal(38, s), AVG decimal(38,
 * max(s, 6)), ROUND and ABS the argument's type.  Returns the index after
 * the call, or i when the call is not one of those (left to SQLite).
 */
int
decimal_call(Walk *w, int i, const char *fn)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			close = engine_skip_parens(st, i + 1);
	int			starts[3],
				ends[3];
	int			nargs = 0,
				k,
				depth = 0,
				p,
				s;
	SimType		t;
	char		buf[64];
	bool		window;

	/* split the arguments at top-level commas */
	starts[0] = i + 2;
	for (k = i + 2; k < close - 1; k++)
	{
		if (op_is(st, k, "("))
			depth++;
		else if (op_is(st, k, ")"))
			depth--;
		else if (depth == 0 && op_is(st, k, ","))
		{
			if (nargs >= 2)
				return i;
			ends[nargs++] = k;
			starts[nargs] = k + 1;
		}
	}
	ends[nargs++] = close - 1;
	if (starts[0] >= ends[0] || word_is(st, starts[0], "DISTINCT") || word_is(st, starts[0], "ALL"))
		return i;
	if (!engine_expr_type(x, starts[0], ends[0], &t) || !is_decimal_type(&t))
		return i;
	decimal_ps(&t, &p, &s);
	window = word_is(st, close, "OVER");
	if (strcmp(fn, "sum") == 0 || strcmp(fn, "avg") == 0)
	{
		if (nargs != 1)
			return i;
		emit(w, strcmp(fn, "sum") == 0 ? "__sim_dsum(" : "__sim_davg(");
		decimal_operand(w, starts[0], ends[0]);
		snprintf(buf, sizeof(buf), ", %d)", strcmp(fn, "avg") == 0 && s < 6 &&
				 t.id != SIM_MONEY && t.id != SIM_SMALLMONEY ? 6 : s);
		ebuf_append(&x->sql, buf);
		(void) window;			/* OVER (...) follows and is walked as usual */
		return close;
	}
	if (strcmp(fn, "abs") == 0)
	{
		if (nargs != 1)
			return i;
		emit(w, "__sim_dabs(");
		decimal_operand(w, starts[0], ends[0]);
		snprintf(buf, sizeof(buf), ", %d, %d)", p, s);
		ebuf_append(&x->sql, buf);
		return close;
	}
	/* ROUND(x, n [, f]) */
	if (nargs < 2)
		return i;
	emit(w, "CAST(__sim_dround(");
	decimal_operand(w, starts[0], ends[0]);
	for (k = 1; k < 3; k++)
	{
		ebuf_append(&x->sql, ", ");
		if (k < nargs)
		{
			char	   *a = sub_translate(x, starts[k], ends[k]);

			ebuf_append(&x->sql, a);
			free(a);
		}
		else
			ebuf_append(&x->sql, "0");
	}
	snprintf(buf, sizeof(buf), ", %d, %d) AS TEXT) COLLATE SIM_NUM", p, s);
	ebuf_append(&x->sql, buf);
	return close;
}

/*
 * If an arithmetic expression whose type the text tells starts at token i
 * (walk range [from, to)), its end, with its type in *t; else -1.
 */
static int
typed_arith_at(EngineXlate *x, int i, int from, int to, SimType *t)
{
	const EngineStmt *st = x->st;
	int			e;

	if (!operand_may_start(st, i, from) || is_keyword_tok(st, i))
		return -1;
	e = arith_end(st, i, to);
	if (e == i || !engine_expr_type(x, i, e, t))
		return -1;
	return e;
}

/*
 * At token i of the walk: if an arithmetic expression of a decimal type
 * starts here, emit it exactly and return the index after it; else i.
 */
int
decimal_arith(Walk *w, int i, int from, int to)
{
	EngineXlate *x = w->x;
	SimType		t;
	int			e = typed_arith_at(x, i, from, to, &t);

	if (e < 0 || !is_decimal_type(&t))
		return i;
	/* TEXT affinity and SIM_NUM: compares by value, like a decimal column */
	emit(w, "CAST(");
	decimal_expr(w, i, e);
	ebuf_append(&x->sql, " AS TEXT) COLLATE SIM_NUM");
	w->last_string = false;
	return e;
}

/* ------------------------------------------------------------------------
 * Numbers and strings mixed in arithmetic
 * ------------------------------------------------------------------------
 *
 * "s + 1" with s a string is an addition in T-SQL: int has a higher data
 * type precedence than the strings, so the string is converted to int
 * (error 245 when it holds no number).  Only "string + string" concatenates.
 */

static bool
is_number_type(SimTypeId id)
{
	return id == SIM_BIT || id == SIM_TINYINT || id == SIM_SMALLINT || id == SIM_INT ||
		id == SIM_BIGINT || id == SIM_FLOAT || id == SIM_REAL;
}

/* Has the arithmetic expression [a, b) an operand of a string type? */
static bool
has_string_operand(EngineXlate *x, int a, int b)
{
	int			split = arith_split(x->st, a, b);
	SimType		t;

	if (split < 0)
		return engine_expr_type(x, a, b, &t) && is_string_type(t.id);
	return has_string_operand(x, a, split) || has_string_operand(x, split + 1, b);
}

static bool
is_integer_type(SimTypeId id)
{
	return id == SIM_TINYINT || id == SIM_SMALLINT || id == SIM_INT || id == SIM_BIGINT;
}

/*
 * Emit the arithmetic expression [a, b) of number type t with each string
 * operand (or string-typed part, "'a' + 'b' + 1") converted to t, and each
 * operation of an integer type checked for overflow (8115), as SQL Server
 * does (SQLite computes in 64 bits).
 */
static void
number_expr(Walk *w, int a, int b, const SimType *t)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			split = arith_split(st, a, b);
	SimType		ot;
	char	   *sql;
	char		buf[96];

	if (split < 0 || (engine_expr_type(x, a, b, &ot) && is_string_type(ot.id)))
	{
		sql = sub_translate(x, a, b);
		if (split < 0 && !(engine_expr_type(x, a, b, &ot) && is_string_type(ot.id)))
		{
			emit(w, "(");
			ebuf_append(&x->sql, sql);
			ebuf_appendc(&x->sql, ')');
		}
		else
		{
			emit(w, "__sim_cv((");
			ebuf_append(&x->sql, sql);
			snprintf(buf, sizeof(buf), "), %d, %d, %d, %d, %d)", (int) t->id, t->length,
					 t->precision, t->scale,
					 engine_expr_src_flags(x, a, b));
			ebuf_append(&x->sql, buf);
		}
		free(sql);
		return;
	}
	/* the operation's own type: tinyint + int is checked as int */
	if (!engine_expr_type(x, a, b, &ot))
		ot = *t;
	if (is_integer_type(ot.id))
		emit(w, "__sim_ichk(");
	emit(w, "(");
	number_expr(w, a, split, t);
	if (op_is(st, split, "/") || op_is(st, split, "%"))
	{
		/* SQL Server raises 8134 where SQLite gives NULL */
		emit(w, st->tok[split].text);
		emit(w, "__sim_nz(");
		number_expr(w, split + 1, b, t);
		ebuf_appendc(&x->sql, ')');
	}
	else
	{
		emit(w, st->tok[split].text);
		number_expr(w, split + 1, b, t);
	}
	ebuf_appendc(&x->sql, ')');
	if (is_integer_type(ot.id))
	{
		snprintf(buf, sizeof(buf), ", %d)", (int) ot.id);
		ebuf_append(&x->sql, buf);
	}
}

/*
 * SUM(x) / AVG(x) [DISTINCT] of an integer x at token i (the name), not as a
 * window function: SQL Server computes them in the result type (int, or
 * bigint for bigint), so AVG truncates (AVG of 1 and 2 is 1, SQLite's avg
 * gives 1.5) and both overflow with 8115 when the sum does.  Returns the index after the
 * call, or i when it is not such a call.
 */
int
integer_aggregate(Walk *w, int i, const char *fn)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			close = engine_skip_parens(st, i + 1);
	int			a = i + 2,
				b = close - 1,
				k,
				depth = 0;
	bool		distinct = false;
	SimType		t;
	SimTypeId	rt;
	char	   *arg;
	char		buf[32];

	if (word_is(st, close, "OVER"))
		return i;
	if (word_is(st, a, "DISTINCT") || word_is(st, a, "ALL"))
	{
		distinct = word_is(st, a, "DISTINCT");
		a++;
	}
	for (k = a; k < b; k++)
	{
		if (op_is(st, k, "("))
			depth++;
		else if (op_is(st, k, ")"))
			depth--;
		else if (depth == 0 && op_is(st, k, ","))
			return i;
	}
	if (a >= b || !engine_expr_type(x, a, b, &t))
		return i;
	if (t.id == SIM_BIT)
	{
		/* SQL Server refuses bit here (8117); CAST it to int first */
		engine_error(x->s, 8117, "Operand data type bit is invalid for %s operator.", fn);
		x->failed = true;
		return close;
	}
	if (!is_integer_type(t.id))
		return i;
	rt = t.id == SIM_BIGINT ? SIM_BIGINT : SIM_INT;
	arg = sub_translate(x, a, b);
	emit(w, "__sim_ichk(");
	if (strcmp(fn, "avg") == 0)
		ebuf_printf(&x->sql, "__sim_ichk(sum(%s%s), %d) / count(%s%s)",
					distinct ? "DISTINCT " : "", arg, (int) rt, distinct ? "DISTINCT " : "", arg);
	else
		ebuf_printf(&x->sql, "sum(%s%s)", distinct ? "DISTINCT " : "", arg);
	snprintf(buf, sizeof(buf), ", %d)", (int) rt);
	ebuf_append(&x->sql, buf);
	free(arg);
	w->last_string = false;
	return close;
}

/*
 * At token i of the walk: if an arithmetic expression of an integer type,
 * or of a number type with a string operand, starts here, emit it as SQL
 * Server computes it and return the index after it; else i.
 */
int
mixed_arith(Walk *w, int i, int from, int to)
{
	EngineXlate *x = w->x;
	SimType		t;
	int			e = typed_arith_at(x, i, from, to, &t);

	if (e < 0 || !is_number_type(t.id) ||
		!(is_integer_type(t.id) || has_string_operand(x, i, e)))
		return i;
	number_expr(w, i, e, &t);
	w->last_string = false;
	return e;
}

static bool
is_compare_op(const EngineStmt *st, int i)
{
	return st->tok[i].type == TK_OP &&
		(op_is(st, i, "=") || op_is(st, i, "<>") || op_is(st, i, "!=") || op_is(st, i, "<") ||
		 op_is(st, i, ">") || op_is(st, i, "<=") || op_is(st, i, ">=") || op_is(st, i, "!<") ||
		 op_is(st, i, "!>"));
}

/*
 * An integer literal operand at [a, ...): its end (after an optional sign)
 * and type, or -1 when there is none or it is part of a larger expression.
 */
static int
integer_literal_end(const EngineStmt *st, int a, SimType *t)
{
	int			k = a;
	const char *p;

	if (op_is(st, k, "-") || op_is(st, k, "+"))
		k++;
	if (k >= st->ntok || st->tok[k].type != TK_NUMBER)
		return -1;
	for (p = st->tok[k].text; *p; p++)
		if (!isdigit((unsigned char) *p))
			return -1;
	k++;
	if (k < st->ntok && (op_is(st, k, "+") || op_is(st, k, "-") || op_is(st, k, "*") ||
						 op_is(st, k, "/") || op_is(st, k, "%") || op_is(st, k, "(") ||
						 op_is(st, k, ".")))
		return -1;
	memset(t, 0, sizeof(*t));
	t->id = strlen(st->tok[k - 1].text) > 9 ? SIM_BIGINT : SIM_INT;
	return k;
}

/*
 * At token i of the walk: a string column compared with an integer literal
 * ("s = 5", "5 < t.s").  int outranks the strings in data type precedence,
 * so SQL Server converts the column to int (245 for a value that is no
 * number), while SQLite would compare the literal as text ('05' = 5 is
 * true there, false here).  Emit the column converted and return the index
 * after it; else i.
 */
int
string_vs_integer(Walk *w, int i, int from, int to)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			e;
	SimType		ct,
				lt;
	char	   *sql;
	char		buf[96];

	if (st->tok[i].type != TK_WORD && st->tok[i].type != TK_QIDENT)
		return i;
	if (is_keyword_tok(st, i) || !operand_may_start(st, i, from))
		return i;
	e = engine_name_end(st, i);
	if (op_is(st, e, "(") || op_is(st, e, ".") || !engine_expr_type(x, i, e, &ct) ||
		!(engine_type_src_flags(&ct) & CV_TEXT) || find_column(x, st->tok[e - 1].text) == NULL)
		return i;
	/* (e < to: not when translating the column alone, below) */
	if (!(e < to && is_compare_op(st, e) && integer_literal_end(st, e + 1, &lt) > 0 &&
		  integer_literal_end(st, e + 1, &lt) <= to))
	{
		/* the literal on the left: "5 = s" */
		int			k = i - 1;

		if (k < from + 1 || !is_compare_op(st, k))
			return i;
		k--;
		if (k > from && (op_is(st, k - 1, "-") || op_is(st, k - 1, "+")))
			k--;
		if (integer_literal_end(st, k, &lt) != i - 1 || !operand_may_start(st, k, from))
			return i;
		if (e < to && (op_is(st, e, "+") || op_is(st, e, "-") || op_is(st, e, "*") ||
					   op_is(st, e, "/") || op_is(st, e, "%")))
			return i;
	}
	sql = sub_translate(x, i, e);
	emit(w, "__sim_cv(");
	ebuf_append(&x->sql, sql);
	snprintf(buf, sizeof(buf), ", %d, 0, 0, 0, %d)", (int) lt.id, engine_type_src_flags(&ct));
	ebuf_append(&x->sql, buf);
	free(sql);
	w->last_string = false;
	return e;
}

/*
 * If token i is the right-hand operand of a comparison (=, <>, !=, <, >,
 * <=, >=) whose left-hand operand is an expression (literal, variable,
 * function or aggregate result; not a column, which carries its own
 * collation), set *left to that expression's type and return true.
 * A single-token right operand only.
 */
static bool
comparison_left_type(Walk *w, int i, int from, SimType *left)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			l,
				k = i - 1;

	if (k <= from || st->tok[k].type != TK_OP ||
		!(op_is(st, k, "=") || op_is(st, k, "<>") || op_is(st, k, "!=") ||
		  op_is(st, k, "<") || op_is(st, k, ">") || op_is(st, k, "<=") ||
		  op_is(st, k, ">=")))
		return false;
	if (op_is(st, i + 1, ".") || op_is(st, i + 1, "(") || op_is(st, i + 1, "+"))
		return false;
	/* the left operand: one token, or a parenthesised group / function call */
	l = k - 1;
	if (op_is(st, l, ")"))
	{
		int			depth = 0;

		for (; l >= from; l--)
		{
			if (op_is(st, l, ")"))
				depth++;
			else if (op_is(st, l, "(") && --depth == 0)
				break;
		}
		if (l < from)
			return false;
		if (l > from && st->tok[l - 1].type == TK_WORD)
			l--;
	}
	else if (l > from && op_is(st, l - 1, "."))
		return false;			/* a qualified column: its collation */
	return l >= from && engine_expr_type(x, l, k, left);
}

/*
 * The string literal or variable at token i was just emitted.  If it is the
 * right operand of a comparison whose left operand is a string expression
 * (literal, variable, function result: anything SQLite would compare with
 * BINARY), make the comparison use SIM_CI, the database collation's rules
 * (case-insensitive, trailing spaces ignored): N'a' = N'A', 'a ' = 'a'.
 * Columns carry SIM_CI already.
 */
void
ci_compare(Walk *w, int i, int from)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			k = i - 1;
	SimType		t;

	if (k > from && word_is(st, k, "WHEN") &&
		!op_is(st, i + 1, ".") && !op_is(st, i + 1, "(") && !op_is(st, i + 1, "+"))
	{
		/* CASE operand WHEN 'x': the operand's type decides */
		int			depth = 0,
					c,
					w1;

		for (c = k - 1; c >= from; c--)
		{
			if (op_is(st, c, ")"))
				depth++;
			else if (op_is(st, c, "("))
				depth--;
			else if (depth == 0 && word_is(st, c, "END"))
				depth += 1000;
			else if (word_is(st, c, "CASE"))
			{
				if (depth >= 1000)
					depth -= 1000;
				else if (depth == 0)
					break;
			}
		}
		if (c < from || word_is(st, c + 1, "WHEN"))
			return;				/* searched CASE */
		for (w1 = c + 1, depth = 0; w1 < k; w1++)
		{
			if (op_is(st, w1, "("))
				depth++;
			else if (op_is(st, w1, ")"))
				depth--;
			else if (depth == 0 && (word_is(st, w1, "WHEN") || word_is(st, w1, "CASE")))
				break;
		}
		if (w1 > c + 1 && engine_expr_type(x, c + 1, w1, &t) &&
			(t.id == SIM_CHAR || t.id == SIM_VARCHAR || t.id == SIM_NCHAR ||
			 t.id == SIM_NVARCHAR || t.id == SIM_TEXT || t.id == SIM_NTEXT || t.id == SIM_SYSNAME))
			ebuf_append(&x->sql, " COLLATE SIM_CI");
		return;
	}
	if (!comparison_left_type(w, i, from, &t))
		return;
	if (t.id == SIM_CHAR || t.id == SIM_VARCHAR || t.id == SIM_NCHAR ||
		t.id == SIM_NVARCHAR || t.id == SIM_TEXT || t.id == SIM_NTEXT || t.id == SIM_SYSNAME)
		ebuf_append(&x->sql, " COLLATE SIM_CI");
}

/*
 * Is the number at token i compared with a decimal expression (an aggregate
 * or function of decimal/money type, e.g. HAVING SUM(amount) > 10)?  Such
 * expressions hold their exact value as text, and SQLite orders any text
 * after any number, so the number must be compared as decimal text under
 * SIM_NUM instead.
 */
bool
number_compared_with_decimal(Walk *w, int i, int from)
{
	SimType		t;

	if (!comparison_left_type(w, i, from, &t))
		return false;
	return t.id == SIM_DECIMAL || t.id == SIM_NUMERIC ||
		t.id == SIM_MONEY || t.id == SIM_SMALLMONEY;
}
