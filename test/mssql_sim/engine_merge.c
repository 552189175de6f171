/*
 * engine_merge.c
 *		MERGE.
 *
 *	MERGE [INTO] target [WITH (hints)] [[AS] t]
 *	USING {table | (query)} [AS] s
 *	ON condition
 *	WHEN MATCHED [AND cond] THEN {UPDATE SET col = expr, ... | DELETE}   (up to 2)
 *	WHEN NOT MATCHED [BY TARGET] [AND cond] THEN INSERT [(cols)] VALUES (exprs)
 *	WHEN NOT MATCHED BY SOURCE [AND cond] THEN {UPDATE SET ... | DELETE} (up to 2)
 *	;
 *
 * SQL Server decides what happens to every row from the state before the
 * statement, then applies it, atomically.  Here, in one statement
 * transaction:
 *   1. the source is materialized as a #temp table (SELECT ... INTO), with
 *      a "matched" flag and its rowid as columns;
 *   2. the pairs (target rowid, source rowid) that satisfy ON go to a TEMP
 *      table, each with the number of the first WHEN MATCHED clause whose
 *      condition holds (a target row matched twice is error 8672), and the
 *      unmatched target rows with the first applicable BY SOURCE clause;
 *   3. the actions run: UPDATE ... FROM and DELETE on the decided rows,
 *      then INSERT ... SELECT of the unmatched source rows through the
 *      engine's INSERT (conversions, IDENTITY, DEFAULT, key errors).
 * One DONE carries the total row count.  OUTPUT (with $action) works as
 * for the other statements (engine_output.c), with a collecting trigger
 * per event.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"

#define MERGE_SRC "#__sim_merge_src"
#define MAX_CLAUSES 8

typedef enum
{
	MC_MATCHED,
	MC_NOT_MATCHED,				/* BY TARGET */
	MC_NOT_MATCHED_BY_SOURCE
} MergeKind;

typedef struct MergeClause
{
	MergeKind	kind;
	int			cond_from,		/* AND condition, or cond_from == cond_to */
				cond_to;
	char		action;			/* 'U', 'D', 'I' */
	int			act_from,		/* UPDATE: the SET list; INSERT: from '(' or VALUES */
				act_to;
} MergeClause;

typedef struct Merge
{
	SimSession *s;
	const EngineStmt *st;
	EngineTable *target;
	EngineTable *source;		/* the #temp copy */
	char	   *target_text;	/* as written */
	char		talias[ENGINE_NAME_LEN];
	char		salias[ENGINE_NAME_LEN];
	int			on_from,
				on_to;
	MergeClause clauses[MAX_CLAUSES];
	int			nclauses;
	EngineOutput out;			/* OUTPUT clause (out.present) */
} Merge;

/* Index after the CASE ... END starting at i. */
static int
skip_case(const EngineStmt *st, int i, int to)
{
	int			depth = 0;

	for (; i < to; i++)
	{
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i) - 1;
		else if (word_is(st, i, "CASE"))
			depth++;
		else if (word_is(st, i, "END") && --depth == 0)
			return i + 1;
	}
	return to;
}

/* First top-level occurrence of one of the words at or after i, or to. */
static int
find_word(const EngineStmt *st, int i, int to, const char **words)
{
	int			k;

	for (; i < to; i++)
	{
		if (op_is(st, i, "("))
		{
			i = engine_skip_parens(st, i) - 1;
			continue;
		}
		if (word_is(st, i, "CASE"))
		{
			i = skip_case(st, i, to) - 1;
			continue;
		}
		for (k = 0; words[k]; k++)
			if (word_is(st, i, words[k]))
				return i;
		if (op_is(st, i, ";"))
			return i;
	}
	return to;
}

static bool
syntax_error(SimSession *s, const EngineStmt *st, int i)
{
	/* at the end of the statement: near its last token, as SQL Server says */
	if ((i >= st->ntok || st->tok[i].type == TK_EOF || op_is(st, i, ";")) && i > 0)
		i--;
	engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
	return false;
}

/*
 * Translate the expression [a, b) to SQLite with the target and source
 * columns known (so that + on strings concatenates).  Returns malloc'd SQL
 * or NULL after an error; *src (when given) receives the expression's
 * CV_TEXT | CV_UNICODE flags.
 */
static char *
xlate_typed(Merge *m, int a, int b, int *src)
{
	EngineXlate x;
	char	   *res = NULL;

	engine_xlate_init(&x, m->s, m->st);
	x.select_seen = true;
	x.tables[x.ntables++] = engine_table_copy(m->target);
	x.tables[x.ntables++] = engine_table_copy(m->source);
	/* the aliases, so that the value's type (for *src) is known */
	if (m->talias[0])
		engine_xlate_add_alias(&x, m->talias, 0);
	if (m->salias[0])
		engine_xlate_add_alias(&x, m->salias, 1);
	if (engine_xlate_range(&x, a, b))
		res = estrdup(x.sql.data);
	if (src)
		*src = res != NULL ? engine_expr_src_flags(&x, a, b) : 0;
	engine_xlate_free(&x);
	return res;
}

static char *
xlate(Merge *m, int a, int b)
{
	return xlate_typed(m, a, b, NULL);
}

/* Run raw SQLite sql with the session's variables bound; false after an error. */
static bool
run_sql(SimSession *s, const char *sql, int64_t *changes)
{
	sqlite3_stmt *stmt = NULL;
	int			rc;

	if (getenv("SIM_DEBUG"))
		fprintf(stderr, "MERGE: %s\n", sql);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		sqlite3_finalize(stmt);
		return false;
	}
	if (!engine_bind_vars(s, stmt))
	{
		sqlite3_finalize(stmt);
		return false;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
	{
		engine_error_sqlite(s, rc);
		sqlite3_finalize(stmt);
		return false;
	}
	if (changes)
		*changes = sqlite3_changes64(s->db);
	sqlite3_finalize(stmt);
	return true;
}

/* "main."<name>"" or "temp."<name>"" of a table. */
static void
append_table(EngineBuf *b, const EngineTable *t)
{
	ebuf_append(b, t->temp ? "temp." : "main.");
	ebuf_append_ident(b, t->sqlite_name);
}

/* ------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------
 */

static bool
parse_merge(Merge *m, int from, int to, int *src_from, int *src_to, bool *src_query,
			int *cols_from, int *cols_to)
{
	SimSession *s = m->s;
	const EngineStmt *st = m->st;
	int			i = from + 1,
				start;
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];

	if (word_is(st, i, "TOP"))
	{
		engine_error(s, 102, "Incorrect syntax near 'TOP': MERGE TOP is not supported by this stand-in.");
		return false;
	}
	if (word_is(st, i, "INTO"))
		i++;
	start = i;
	if (st->tok[i].type == TK_TEMP)
	{
		snprintf(name, sizeof(name), "%s", st->tok[i].text);
		schema[0] = db[0] = '\0';
		i++;
	}
	else if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)))
		return syntax_error(s, st, i);
	m->target_text = engine_tok_text(st, start, i);
	if ((db[0] && engine_strcasecmp(db, s->dbname) != 0) ||
		(m->target = engine_table_lookup(s, schema[0] ? schema : NULL, name)) == NULL)
	{
		char	   *txt = engine_name_text(st, start, i);

		engine_error(s, 208, "Invalid object name '%s'.", txt);
		free(txt);
		return false;
	}
	if (m->target->type[0] == 'V')
	{
		engine_error(s, 4406, "Update or insert of view or function '%s' failed because it contains a derived or constant field.",
					 m->target_text);
		return false;
	}
	snprintf(m->talias, sizeof(m->talias), "%s", m->target->name);
	if (word_is(st, i, "WITH") && op_is(st, i + 1, "("))
		i = engine_skip_parens(st, i + 1);
	if (word_is(st, i, "AS"))
		i++;
	if ((st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT) && !word_is(st, i, "USING"))
		snprintf(m->talias, sizeof(m->talias), "%s", st->tok[i++].text);
	if (!word_is(st, i, "USING"))
		return syntax_error(s, st, i);
	i++;
	/* the source: (query) alias, or a table [alias] */
	*src_from = i;
	if (op_is(st, i, "("))
	{
		*src_query = true;
		i = engine_skip_parens(st, i);
		*src_to = i;
		if (word_is(st, i, "AS"))
			i++;
		if ((st->tok[i].type != TK_WORD && st->tok[i].type != TK_QIDENT) || word_is(st, i, "ON"))
			return syntax_error(s, st, i);
		snprintf(m->salias, sizeof(m->salias), "%s", st->tok[i++].text);
		/* AS s (col, ...): names for the query's columns */
		*cols_from = *cols_to = -1;
		if (op_is(st, i, "("))
		{
			*cols_from = i;
			i = engine_skip_parens(st, i);
			*cols_to = i;
		}
	}
	else
	{
		*src_query = false;
		if (st->tok[i].type == TK_TEMP)
		{
			snprintf(name, sizeof(name), "%s", st->tok[i].text);
			i++;
		}
		else if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)))
			return syntax_error(s, st, i);
		*src_to = i;
		snprintf(m->salias, sizeof(m->salias), "%s", name);
		if (word_is(st, i, "WITH") && op_is(st, i + 1, "("))
			i = engine_skip_parens(st, i + 1);
		if (word_is(st, i, "AS"))
			i++;
		if ((st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT) && !word_is(st, i, "ON"))
			snprintf(m->salias, sizeof(m->salias), "%s", st->tok[i++].text);
	}
	if (!word_is(st, i, "ON"))
		return syntax_error(s, st, i);
	m->on_from = i + 1;
	m->on_to = find_word(st, i + 1, to, (const char *[]) {"WHEN", NULL});
	i = m->on_to;
	if (!word_is(st, i, "WHEN"))
		return syntax_error(s, st, i);
	/* WHEN clauses */
	while (word_is(st, i, "WHEN"))
	{
		MergeClause *c;
		int			then;

		if (m->nclauses >= MAX_CLAUSES)
			return syntax_error(s, st, i);
		c = &m->clauses[m->nclauses++];
		memset(c, 0, sizeof(*c));
		i++;
		if (word_is(st, i, "MATCHED"))
		{
			c->kind = MC_MATCHED;
			i++;
		}
		else if (word_is(st, i, "NOT") && word_is(st, i + 1, "MATCHED"))
		{
			i += 2;
			c->kind = MC_NOT_MATCHED;
			if (word_is(st, i, "BY") && word_is(st, i + 1, "TARGET"))
				i += 2;
			else if (word_is(st, i, "BY") && word_is(st, i + 1, "SOURCE"))
			{
				c->kind = MC_NOT_MATCHED_BY_SOURCE;
				i += 2;
			}
		}
		else
			return syntax_error(s, st, i);
		then = find_word(st, i, to, (const char *[]) {"THEN", NULL});
		if (!word_is(st, then, "THEN"))
			return syntax_error(s, st, then);
		if (word_is(st, i, "AND"))
		{
			c->cond_from = i + 1;
			c->cond_to = then;
		}
		else if (i != then)
			return syntax_error(s, st, i);
		i = then + 1;
		c->act_to = find_word(st, i + 1, to, (const char *[]) {"WHEN", "OUTPUT", "OPTION", NULL});
		if (word_is(st, i, "UPDATE") && word_is(st, i + 1, "SET") && c->kind != MC_NOT_MATCHED)
		{
			c->action = 'U';
			c->act_from = i + 2;
			if (c->act_from >= c->act_to ||
				(!op_is(st, c->act_to - 1, ")") && st->tok[c->act_to - 1].type == TK_OP))
				return syntax_error(s, st, c->act_to);
		}
		else if (word_is(st, i, "DELETE") && c->kind != MC_NOT_MATCHED)
		{
			c->action = 'D';
			c->act_from = i + 1;
			if (c->act_to != c->act_from)
				return syntax_error(s, st, c->act_from);
		}
		else if (word_is(st, i, "INSERT") && c->kind == MC_NOT_MATCHED)
		{
			int			v = i + 1;

			c->action = 'I';
			c->act_from = v;
			if (op_is(st, v, "("))
				v = engine_skip_parens(st, v);
			if (!(word_is(st, v, "DEFAULT") && word_is(st, v + 1, "VALUES")) &&
				!(word_is(st, v, "VALUES") && op_is(st, v + 1, "(") &&
				  engine_skip_parens(st, v + 1) == c->act_to &&
				  op_is(st, c->act_to - 1, ")")))
				return syntax_error(s, st, v < c->act_to ? v : c->act_to);
		}
		else
			return syntax_error(s, st, i);
		i = c->act_to;
	}
	if (word_is(st, i, "OUTPUT") &&
		!engine_output_parse(s, st, i, to, m->target, 'M', (const char *[]) {"OPTION", NULL},
							 &m->out, &i))
		return false;
	if (word_is(st, i, "OPTION") && op_is(st, i + 1, "("))
		i = engine_skip_parens(st, i + 1);
	while (op_is(st, i, ";"))
		i++;
	if (i < to)
		return syntax_error(s, st, i);
	return true;
}

/* ------------------------------------------------------------------------
 * Execution
 * ------------------------------------------------------------------------
 */

/*
 * "CASE WHEN c1 THEN 1 WHEN c2 THEN 2 ... ELSE 0 END" over the clauses of
 * kind k (clause numbers are their indexes + 1); NULL after an error.
 */
static char *
decision_sql(Merge *m, MergeKind kind)
{
	EngineBuf	b;
	int			k;

	ebuf_init(&b);
	for (k = 0; k < m->nclauses; k++)
		if (m->clauses[k].kind == kind)
			break;
	if (k == m->nclauses)
	{
		ebuf_append(&b, "0");	/* no clause of this kind: nothing to do */
		return b.data;
	}
	ebuf_append(&b, "CASE");
	for (k = 0; k < m->nclauses; k++)
	{
		MergeClause *c = &m->clauses[k];

		if (c->kind != kind)
			continue;
		if (c->cond_from < c->cond_to)
		{
			char	   *cond = xlate(m, c->cond_from, c->cond_to);

			if (cond == NULL)
			{
				ebuf_free(&b);
				return NULL;
			}
			ebuf_printf(&b, " WHEN (%s) THEN %d", cond, k + 1);
			free(cond);
		}
		else
			ebuf_printf(&b, " WHEN 1 THEN %d", k + 1);
	}
	ebuf_append(&b, " ELSE 0 END");
	return b.data;
}

/* The SET list of an UPDATE clause as SQLite assignments; false after an error. */
static bool
set_list(Merge *m, MergeClause *c, EngineBuf *b)
{
	const EngineStmt *st = m->st;
	const EngineTable *t = m->target;
	int			a = c->act_from;
	bool		first = true;
	int			k;

	while (a < c->act_to)
	{
		int			e = a,
					col = a;
		EngineColumn *ec = NULL;
		char		opch = 0;
		int			src;
		char	   *expr;
		char		qual[ENGINE_NAME_LEN * 3 + 3];

		while (e < c->act_to && !op_is(st, e, ","))
		{
			if (op_is(st, e, "("))
				e = engine_skip_parens(st, e) - 1;
			else if (word_is(st, e, "CASE"))
				e = skip_case(st, e, c->act_to) - 1;
			e++;
		}
		if (op_is(st, col + 1, "."))
			col += 2;
		for (k = 0; k < t->ncols; k++)
			if (engine_strcasecmp(t->cols[k].name, st->tok[col].text) == 0)
				ec = &t->cols[k];
		if (ec == NULL)
		{
			engine_error(m->s, 207, "Invalid column name '%s'.", st->tok[col].text);
			return false;
		}
		if (ec->identity)
		{
			engine_error(m->s, 8102, "Cannot update identity column '%s'.", ec->name);
			return false;
		}
		if (op_is(st, col + 1, "="))
			;
		else if (st->tok[col + 1].type == TK_OP && strlen(st->tok[col + 1].text) == 2 &&
				 st->tok[col + 1].text[1] == '=')
			opch = st->tok[col + 1].text[0];
		else
			return syntax_error(m->s, st, col + 1);
		expr = xlate_typed(m, col + 2, e, &src);
		if (expr == NULL)
			return false;
		if (opch)
			src = engine_type_src_flags(&ec->type);
		if (!first)
			ebuf_append(b, ", ");
		first = false;
		ebuf_append_ident(b, ec->name);
		ebuf_append(b, " = __sim_cv(");
		if (opch)
		{
			bool		str = ec->type.id == SIM_VARCHAR || ec->type.id == SIM_NVARCHAR ||
				ec->type.id == SIM_CHAR || ec->type.id == SIM_NCHAR;

			ebuf_append_ident(b, m->talias);
			ebuf_appendc(b, '.');
			ebuf_append_ident(b, ec->name);
			ebuf_printf(b, str && opch == '+' ? " || " : " %c ", opch);
		}
		snprintf(qual, sizeof(qual), "%s.%s.%s", t->temp ? "tempdb" : m->s->dbname,
				 t->schema, t->name);
		ebuf_printf(b, "(%s), %d, %d, %d, %d, %d, ", expr, (int) ec->type.id, ec->type.length,
					ec->type.precision, ec->type.scale, src);
		ebuf_append_literal(b, qual);
		ebuf_append(b, ", ");
		ebuf_append_literal(b, ec->name);
		ebuf_append(b, ")");
		free(expr);
		a = e + 1;
	}
	for (k = 0; k < t->ncols; k++)
		if (t->cols[k].rowversion)
		{
			ebuf_append(b, ", ");
			ebuf_append_ident(b, t->cols[k].name);
			ebuf_append(b, " = __sim_rowversion()");
		}
	return !first;
}

/* Apply clause k (UPDATE or DELETE) to the rows decided for it. */
static bool
apply_clause(Merge *m, int k, int64_t *count)
{
	MergeClause *c = &m->clauses[k];
	EngineBuf	b;
	bool		ok;
	int64_t		n = 0;
	const char *decided = c->kind == MC_MATCHED ? "temp.__sim_merge_match" :
		"temp.__sim_merge_nbs";

	ebuf_init(&b);
	if (c->action == 'D')
	{
		ebuf_append(&b, "DELETE FROM ");
		append_table(&b, m->target);
		ebuf_printf(&b, " WHERE rowid IN (SELECT trid FROM %s WHERE act = %d)", decided, k + 1);
		ok = run_sql(m->s, b.data, &n);
	}
	else
	{
		ebuf_append(&b, "UPDATE ");
		append_table(&b, m->target);
		ebuf_append(&b, " AS ");
		ebuf_append_ident(&b, m->talias);
		ebuf_append(&b, " SET ");
		if (!set_list(m, c, &b))
		{
			ebuf_free(&b);
			return false;
		}
		if (c->kind == MC_MATCHED)
		{
			ebuf_append(&b, " FROM ");
			append_table(&b, m->source);
			ebuf_append(&b, " AS ");
			ebuf_append_ident(&b, m->salias);
			ebuf_printf(&b, ", %s AS __m WHERE __m.act = %d AND __m.trid = ", decided, k + 1);
			ebuf_append_ident(&b, m->talias);
			ebuf_append(&b, ".rowid AND __m.srid = ");
			ebuf_append_ident(&b, m->salias);
			ebuf_append(&b, ".__sim_rid");
		}
		else
		{
			ebuf_append(&b, " WHERE ");
			ebuf_append_ident(&b, m->talias);
			ebuf_printf(&b, ".rowid IN (SELECT trid FROM %s WHERE act = %d)", decided, k + 1);
		}
		if (getenv("SIM_DEBUG"))
			fprintf(stderr, "MERGE: %s\n", b.data);
		{
			sqlite3_stmt *stmt = NULL;
			int			rc = sqlite3_prepare_v2(m->s->db, b.data, -1, &stmt, NULL);

			ok = false;
			if (rc != SQLITE_OK)
				engine_error_sqlite(m->s, rc);
			else if (engine_bind_vars(m->s, stmt))
			{
				rc = sqlite3_step(stmt);
				if (rc == SQLITE_DONE)
				{
					n = sqlite3_changes64(m->s->db);
					ok = true;
				}
				else
				{
					sqlite3_reset(stmt);
					engine_report_update_failure(m->s, m->target, rc, b.data);
				}
			}
			sqlite3_finalize(stmt);
		}
	}
	ebuf_free(&b);
	*count += n;
	return ok;
}

/* The INSERT clause: the unmatched source rows through the engine's INSERT. */
static bool
apply_insert(Merge *m, MergeClause *c, int64_t *count)
{
	const EngineStmt *st = m->st;
	EngineBuf	b;
	EngineLexed lx;
	int			errnum,
				i = c->act_from;
	char		err[256];
	bool		ok;

	ebuf_init(&b);
	ebuf_append(&b, "INSERT INTO ");
	ebuf_append(&b, m->target_text);
	ebuf_appendc(&b, ' ');
	if (op_is(st, i, "("))
	{
		char	   *cols = engine_tok_text(st, i, engine_skip_parens(st, i));

		ebuf_append(&b, cols);
		ebuf_appendc(&b, ' ');
		free(cols);
		i = engine_skip_parens(st, i);
	}
	if (word_is(st, i, "DEFAULT") && word_is(st, i + 1, "VALUES"))
	{
		engine_error(m->s, 102, "Incorrect syntax near 'DEFAULT': INSERT DEFAULT VALUES in MERGE is not supported by this stand-in.");
		ebuf_free(&b);
		return false;
	}
	if (!word_is(st, i, "VALUES") || !op_is(st, i + 1, "(") ||
		engine_skip_parens(st, i + 1) != c->act_to)
	{
		ebuf_free(&b);
		return syntax_error(m->s, st, i);
	}
	{
		char	   *vals = engine_tok_text(st, i + 2, c->act_to - 1);

		ebuf_printf(&b, "SELECT %s FROM " MERGE_SRC " AS [", vals);
		free(vals);
	}
	ebuf_append(&b, m->salias);
	ebuf_append(&b, "] WHERE [");
	ebuf_append(&b, m->salias);
	ebuf_append(&b, "].__sim_matched IS NULL");
	if (c->cond_from < c->cond_to)
	{
		char	   *cond = engine_tok_text(st, c->cond_from, c->cond_to);

		ebuf_printf(&b, " AND (%s)", cond);
		free(cond);
	}
	if (getenv("SIM_DEBUG"))
		fprintf(stderr, "MERGE: %s\n", b.data);
	if (!engine_lex(b.data, &lx, &errnum, err, sizeof(err)))
	{
		engine_error(m->s, errnum, "%s", err);
		ebuf_free(&b);
		return false;
	}
	{
		EngineStmt	sub = {b.data, lx.tok, lx.ntok};

		ok = engine_exec_insert(m->s, &sub, 0, lx.ntok);
	}
	if (ok)
		*count += m->s->last_rowcount;
	engine_lex_free(&lx);
	ebuf_free(&b);
	return ok;
}

/* Build the decision tables (step 2); false after an error. */
static bool
decide(Merge *m)
{
	SimSession *s = m->s;
	EngineBuf	b;
	char	   *on,
			   *dec;
	bool		ok,
				any_matched = false,
				any_by_source = false;
	int			k;

	for (k = 0; k < m->nclauses; k++)
	{
		any_matched |= m->clauses[k].kind == MC_MATCHED;
		any_by_source |= m->clauses[k].kind == MC_NOT_MATCHED_BY_SOURCE;
	}
	if (!run_sql(s, "CREATE TEMP TABLE IF NOT EXISTS __sim_merge_match (trid INTEGER, srid INTEGER, act INTEGER)", NULL) ||
		!run_sql(s, "CREATE TEMP TABLE IF NOT EXISTS __sim_merge_nbs (trid INTEGER, act INTEGER)", NULL) ||
		!run_sql(s, "DELETE FROM temp.__sim_merge_match", NULL) ||
		!run_sql(s, "DELETE FROM temp.__sim_merge_nbs", NULL))
		return false;

	/* matched pairs, each with its WHEN MATCHED clause */
	on = xlate(m, m->on_from, m->on_to);
	dec = decision_sql(m, MC_MATCHED);
	if (on == NULL || dec == NULL)
	{
		free(on);
		free(dec);
		return false;
	}
	ebuf_init(&b);
	ebuf_printf(&b, "INSERT INTO temp.__sim_merge_match (trid, srid, act) SELECT ");
	ebuf_append_ident(&b, m->talias);
	ebuf_append(&b, ".rowid, ");
	ebuf_append_ident(&b, m->salias);
	ebuf_printf(&b, ".__sim_rid, %s FROM ", dec);
	append_table(&b, m->target);
	ebuf_append(&b, " AS ");
	ebuf_append_ident(&b, m->talias);
	ebuf_append(&b, " JOIN ");
	append_table(&b, m->source);
	ebuf_append(&b, " AS ");
	ebuf_append_ident(&b, m->salias);
	ebuf_printf(&b, " ON (%s)", on);
	free(on);
	free(dec);
	ok = run_sql(s, b.data, NULL);
	ebuf_free(&b);
	if (!ok)
		return false;

	/* a target row may be updated or deleted once only */
	if (any_matched)
	{
		sqlite3_stmt *q;
		bool		twice = false;

		if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM temp.__sim_merge_match WHERE act > 0"
							   " GROUP BY trid HAVING count(*) > 1 LIMIT 1", -1, &q, NULL) == SQLITE_OK)
		{
			twice = sqlite3_step(q) == SQLITE_ROW;
			sqlite3_finalize(q);
		}
		if (twice)
		{
			engine_error(s, 8672, "The MERGE statement attempted to UPDATE or DELETE the same row more than once. This happens when a target row matches more than one source row. A MERGE statement cannot UPDATE/DELETE the same row of the target table multiple times. Refine the ON clause to ensure a target row matches at most one source row, or use the GROUP BY clause to group the source rows.");
			return false;
		}
	}

	/* the source rows that found a target row */
	ebuf_init(&b);
	ebuf_append(&b, "UPDATE ");
	append_table(&b, m->source);
	ebuf_append(&b, " SET __sim_matched = 1 WHERE __sim_rid IN (SELECT srid FROM temp.__sim_merge_match)");
	ok = run_sql(s, b.data, NULL);
	ebuf_free(&b);
	if (!ok || !any_by_source)
		return ok;

	/* the target rows that found no source row, with their BY SOURCE clause */
	dec = decision_sql(m, MC_NOT_MATCHED_BY_SOURCE);
	if (dec == NULL)
		return false;
	ebuf_init(&b);
	ebuf_append(&b, "INSERT INTO temp.__sim_merge_nbs (trid, act) SELECT ");
	ebuf_append_ident(&b, m->talias);
	ebuf_printf(&b, ".rowid, %s FROM ", dec);
	append_table(&b, m->target);
	ebuf_append(&b, " AS ");
	ebuf_append_ident(&b, m->talias);
	ebuf_append(&b, " WHERE ");
	ebuf_append_ident(&b, m->talias);
	ebuf_append(&b, ".rowid NOT IN (SELECT trid FROM temp.__sim_merge_match)");
	free(dec);
	ok = run_sql(s, b.data, NULL);
	ebuf_free(&b);
	return ok;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_exec_merge(SimSession *s, const EngineStmt *st, int from, int to)
{
	Merge		m;
	int			src_from = 0,
				src_to = 0,
				cols_from = -1,
				cols_to = -1,
				k;
	bool		src_query = false;
	bool		ok = false,
				began = false,
				have_src = false;
	int64_t		count = 0;
	bool		save_quiet = s->quiet_done;

	memset(&m, 0, sizeof(m));
	m.s = s;
	m.st = st;
	s->cur_cmd = SIM_CMD_OTHER;
	while (to > from && op_is(st, to - 1, ";"))
		to--;
	if (!parse_merge(&m, from, to, &src_from, &src_to, &src_query, &cols_from, &cols_to))
		goto out;
	if (!engine_stmt_begin(s))
		goto out;
	began = true;
	s->quiet_done = true;

	/* 1. the source, as a #temp table with a "matched" flag */
	{
		EngineBuf	b;
		char	   *src = engine_tok_text(st, src_from, src_to);
		char		err[256];

		engine_temp_drop(s, MERGE_SRC);
		ebuf_init(&b);
		if (src_query && cols_from >= 0)
		{
			/* a derived column list: name the columns through a CTE */
			char	   *cols = engine_tok_text(st, cols_from, cols_to);

			ebuf_printf(&b, "WITH __src %s AS %s SELECT * INTO " MERGE_SRC " FROM __src",
						cols, src);
			free(cols);
		}
		else if (src_query)
			ebuf_printf(&b, "SELECT * INTO " MERGE_SRC " FROM %s AS __src", src);
		else
			ebuf_printf(&b, "SELECT * INTO " MERGE_SRC " FROM %s", src);
		free(src);
		{
			EngineLexed lx;
			int			errnum;

			if (!engine_lex(b.data, &lx, &errnum, err, sizeof(err)))
			{
				engine_error(s, errnum, "%s", err);
				ebuf_free(&b);
				goto out;
			}
			{
				EngineStmt	sub = {b.data, lx.tok, lx.ntok};

				have_src = engine_run_query(s, &sub, 0, lx.ntok);
			}
			engine_lex_free(&lx);
		}
		ebuf_free(&b);
		if (!have_src || engine_temp_find(s, MERGE_SRC) == NULL)
			goto out;
		m.source = engine_table_copy(engine_temp_find(s, MERGE_SRC)->table);
		ebuf_init(&b);
		ebuf_append(&b, "ALTER TABLE temp.");
		ebuf_append_ident(&b, m.source->sqlite_name);
		ebuf_append(&b, " ADD COLUMN __sim_matched INTEGER");
		if (!run_sql(s, b.data, NULL))
		{
			ebuf_free(&b);
			goto out;
		}
		/* its rowid as a column: UPDATE ... FROM cannot see a FROM table's rowid */
		ebuf_reset(&b);
		ebuf_append(&b, "ALTER TABLE temp.");
		ebuf_append_ident(&b, m.source->sqlite_name);
		ebuf_append(&b, " ADD COLUMN __sim_rid INTEGER");
		if (!run_sql(s, b.data, NULL))
		{
			ebuf_free(&b);
			goto out;
		}
		ebuf_reset(&b);
		ebuf_append(&b, "UPDATE temp.");
		ebuf_append_ident(&b, m.source->sqlite_name);
		ebuf_append(&b, " SET __sim_rid = rowid");
		if (!run_sql(s, b.data, NULL))
		{
			ebuf_free(&b);
			goto out;
		}
		ebuf_free(&b);
	}

	/* the SET lists name real columns (checked before anything runs) */
	for (k = 0; k < m.nclauses; k++)
		if (m.clauses[k].action == 'U')
		{
			EngineBuf	b;
			bool		set_ok;

			ebuf_init(&b);
			set_ok = set_list(&m, &m.clauses[k], &b);
			ebuf_free(&b);
			if (!set_ok)
				goto out;
		}

	/* 2. what happens to every row, from the state before the statement */
	if (!decide(&m))
		goto out;

	/* 3. the actions: matched, not matched by source, then inserts */
	if (!engine_output_begin(s, m.target, "MERGE", &m.out))
		goto out;
	for (k = 0; k < m.nclauses; k++)
		if (m.clauses[k].kind != MC_NOT_MATCHED && !apply_clause(&m, k, &count))
			goto out;
	for (k = 0; k < m.nclauses; k++)
		if (m.clauses[k].kind == MC_NOT_MATCHED && !apply_insert(&m, &m.clauses[k], &count))
			goto out;
	ok = !s->stmt_failed;
	if (ok && m.out.into_text)
	{
		/* OUTPUT ... INTO: part of the statement */
		engine_output_end(s, &m.out);
		ok = engine_output_into(s, &m.out);
	}

out:
	s->quiet_done = save_quiet;
	if (began)
		engine_stmt_end(s, ok);
	engine_output_end(s, &m.out);
	if (ok)
		engine_output_send(s, &m.out);
	engine_output_free(&m.out);
	if (have_src)
		engine_temp_drop(s, MERGE_SRC);
	if (ok)
		s->last_rowcount = count;
	else
		count = 0;
	engine_table_free(m.target);
	engine_table_free(m.source);
	free(m.target_text);
	engine_done(s, SIM_CMD_OTHER, ok, (uint64_t) count);
	return ok;
}
