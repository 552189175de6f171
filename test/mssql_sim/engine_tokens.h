/*
 * engine_tokens.h
 *		Short token and word predicates and the argument scanner of the
 *		statement parsers in the engine core (engine_exec.c, engine_control.c,
 *		engine_translate.c, ...), so each file need not define its own.
 *
 * word_is and op_is are false for an index outside [0, st->ntok);
 * is_name_tok is false from st->ntok on.
 */
#ifndef ENGINE_TOKENS_H
#define ENGINE_TOKENS_H

#include "engine_int.h"

/* Token i is the word kw (case-insensitive; not a [quoted] identifier). */
static inline bool
word_is(const EngineStmt *st, int i, const char *kw)
{
	return engine_tok_is(st, i, kw);
}

/* Token i is the operator or punctuation op. */
static inline bool
op_is(const EngineStmt *st, int i, const char *op)
{
	return engine_tok_op(st, i, op);
}

/* Token i can be one part of a name: a word or a [quoted] identifier. */
static inline bool
is_name_tok(const EngineStmt *st, int i)
{
	return i < st->ntok && (st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT);
}

/* Is w (any case) one of the words of the NULL-terminated list? */
static inline bool
word_in(const char *w, const char **list)
{
	int			i;

	for (i = 0; list[i]; i++)
		if (engine_strcasecmp(w, list[i]) == 0)
			return true;
	return false;
}

/*
 * End of the argument that starts at from: the first comma in [from, to)
 * outside the parentheses opened after from, or to.
 */
static inline int
arg_end(const EngineStmt *st, int from, int to)
{
	int			depth = 0;

	while (from < to && !(depth == 0 && op_is(st, from, ",")))
	{
		if (op_is(st, from, "("))
			depth++;
		else if (op_is(st, from, ")"))
			depth--;
		from++;
	}
	return from;
}

#endif							/* ENGINE_TOKENS_H */
