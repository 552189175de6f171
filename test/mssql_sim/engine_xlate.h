/*
 * engine_xlate.h
 *		Private to the translator: the walk's state and the functions that
 *		engine_translate.c (the walk) and engine_xlate_ops.c (operator
 *		rewrites) call in each other.  Nothing else includes it.
 */
#ifndef ENGINE_XLATE_H
#define ENGINE_XLATE_H

#include "engine_int.h"

#define MAX_DEPTH 64

typedef struct Level
{
	bool		in_from;		/* inside a FROM list (',' starts a table) */
	bool		opener_string;	/* the '(' belonged to a string function */
	char	   *limit;			/* translated TOP / FETCH expression */
	char	   *offset;			/* translated OFFSET expression */
} Level;

typedef struct Walk
{
	EngineXlate *x;
	Level		lv[MAX_DEPTH];
	int			depth;
	bool		expect_table;
	bool		apply_pending;	/* the table expected follows CROSS/OUTER APPLY */
	bool		last_string;	/* the operand just emitted is a string */
} Walk;

/* Words that cannot be a table alias (engine_translate.c). */
extern const char *not_alias[];

/* ---------------- engine_translate.c ---------------- */

/* Append SQL text s to the walk's statement, separated from what precedes. */
extern void emit(Walk *w, const char *s);
/* Append s as a SQLite string literal. */
extern void emit_literal(Walk *w, const char *s);
/* Translate [from, to) into a new string (malloc'd; same translator state). */
extern char *sub_translate(EngineXlate *x, int from, int to);
/* A column of the statement's tables by name (first match), or NULL. */
extern EngineColumn *find_column(EngineXlate *x, const char *name);
extern bool is_string_type(SimTypeId id);

/* ---------------- engine_xlate_ops.c ---------------- */

/*
 * Each rewrite is tried at token i of the walk (range [from, to)); it
 * returns the index after what it emitted, or i when it does not apply.
 */
extern int	decimal_arith(Walk *w, int i, int from, int to);
extern int	mixed_arith(Walk *w, int i, int from, int to);
extern int	string_vs_integer(Walk *w, int i, int from, int to);
/* SUM/AVG/ROUND/ABS over decimals; SUM/AVG over integers (fn: lower case). */
extern int	decimal_call(Walk *w, int i, const char *fn);
extern int	integer_aggregate(Walk *w, int i, const char *fn);
/* A decimal literal [a, b) emitted as exact decimal text; false if it is none. */
extern bool emit_decimal_literal(Walk *w, int a, int b);
/* After a string literal or variable at i: make its comparison use SIM_CI. */
extern void ci_compare(Walk *w, int i, int from);
/* Is the number at token i compared with a decimal expression? */
extern bool number_compared_with_decimal(Walk *w, int i, int from);
/* decimal, numeric, money, smallmoney */
extern bool is_decimal_type(const SimType *t);

#endif							/* ENGINE_XLATE_H */
