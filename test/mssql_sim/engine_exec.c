/*
 * engine_exec.c
 *		Batches: the token stream split into statements, each dispatched
 *		(hooks first) to its file or run here: SELECT (its rows sent by
 *		engine_result.c), transaction statements, RETURN.  Also the entry
 *		points sim_session_exec_batch and engine_exec_internal.
 *
 * With SIM_DEBUG set in the environment, every SQLite statement a query
 * is translated to is printed on stderr.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_convert.h"

static void exec_one(SimSession *s, const EngineStmt *st, int from, int to);

static const char *stmt_starts[] = {
	"select", "insert", "update", "delete", "create", "drop", "alter", "use", "set",
	"declare", "begin", "commit", "rollback", "exec", "execute", "if", "else", "print",
	"raiserror", "throw", "truncate", "while", "return", "save", "merge", "go", "break",
	"continue", "end", "with", "waitfor", "grant", "revoke", "deny", "dbcc", "checkpoint",
	NULL
};

/* Does token i start a new statement (in a generic scan)? */
static bool
starts_statement(const EngineStmt *st, int i)
{
	if (st->tok[i].type != TK_WORD || !word_in(st->tok[i].text, stmt_starts))
		return false;
	/* ALTER TABLE t ALTER COLUMN / DROP COLUMN / DROP CONSTRAINT */
	if ((word_is(st, i, "ALTER") || word_is(st, i, "DROP")) &&
		(word_is(st, i + 1, "COLUMN") || word_is(st, i + 1, "CONSTRAINT") ||
		 (word_is(st, i, "DROP") && i > 0 && st->tok[i - 1].type != TK_OP &&
		  !word_is(st, i + 1, "TABLE") && !word_is(st, i + 1, "VIEW") &&
		  !word_is(st, i + 1, "SCHEMA") && !word_is(st, i + 1, "DATABASE") &&
		  !word_is(st, i + 1, "INDEX") && !word_is(st, i + 1, "PROCEDURE") &&
		  !word_is(st, i + 1, "PROC") && !word_is(st, i + 1, "FUNCTION") &&
		  !word_is(st, i + 1, "TRIGGER") && !word_is(st, i + 1, "TYPE") &&
		  !word_is(st, i + 1, "SYNONYM") && !word_is(st, i + 1, "SEQUENCE") &&
		  !word_is(st, i + 1, "USER") && !word_is(st, i + 1, "LOGIN") &&
		  !word_is(st, i + 1, "ROLE"))))
		return false;
	/* DROP TABLE IF EXISTS ... */
	if (word_is(st, i, "IF") && word_is(st, i + 1, "EXISTS") && i > 0 &&
		st->tok[i - 1].type == TK_WORD && !word_in(st->tok[i - 1].text, stmt_starts) &&
		(word_is(st, i - 1, "TABLE") || word_is(st, i - 1, "VIEW") || word_is(st, i - 1, "SCHEMA") ||
		 word_is(st, i - 1, "DATABASE") || word_is(st, i - 1, "INDEX") ||
		 word_is(st, i - 1, "PROCEDURE") || word_is(st, i - 1, "PROC") ||
		 word_is(st, i - 1, "FUNCTION") || word_is(st, i - 1, "TRIGGER") ||
		 word_is(st, i - 1, "COLUMN") || word_is(st, i - 1, "CONSTRAINT")))
		return false;
	if (word_is(st, i, "WITH"))
		return (st->tok[i + 1].type == TK_WORD || st->tok[i + 1].type == TK_QIDENT) &&
			(word_is(st, i + 2, "AS") || op_is(st, i + 2, "(") ||
			 word_is(st, i + 1, "CHANGE_TRACKING_CONTEXT"));
	return true;
}

static int
line_of(const EngineStmt *st, int i)
{
	int			line = 1;
	int			k;

	for (k = 0; k < st->tok[i].start; k++)
		if (st->src[k] == '\n')
			line++;
	return line;
}

/* Skip a CTE list "WITH a AS (...), b AS (...)" or CHANGE_TRACKING_CONTEXT(..). */
static int
skip_with(const EngineStmt *st, int i, int to)
{
	i++;
	if (word_is(st, i, "CHANGE_TRACKING_CONTEXT"))
		return engine_skip_parens(st, i + 1);
	while (i < to)
	{
		i++;					/* name */
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i);
		if (word_is(st, i, "AS"))
			i++;
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i);
		if (!op_is(st, i, ","))
			break;
		i++;
	}
	return i;
}

/*
 * End of the IF/WHILE condition that starts at i: the first statement start
 * outside parentheses (not END or ELSE), or to.
 */
int
engine_condition_end(const EngineStmt *st, int i, int to)
{
	while (i < to)
	{
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i);
		else if (starts_statement(st, i) && !word_is(st, i, "END") && !word_is(st, i, "ELSE"))
			break;
		else
			i++;
	}
	return i;
}

/*
 * End (exclusive) of the statement that starts at token from; never past
 * to.  Control-flow statements include their bodies.
 */
int
engine_stmt_extent(const EngineStmt *st, int from, int to)
{
	int			i = from;
	int			depth = 0;
	int			case_depth = 0;
	const char *first;
	bool		owns_select = false;	/* INSERT/CREATE VIEW: next SELECT belongs */
	bool		owns_set = false;	/* UPDATE/ALTER: next SET belongs */
	bool		owns_exec = false;

	if (from >= to)
		return to;
	if (op_is(st, from, ";"))
		return from + 1;
	first = st->tok[from].text;
	if (word_is(st, from, "IF") || word_is(st, from, "WHILE"))
	{
		i = engine_stmt_extent(st, engine_condition_end(st, from + 1, to), to);
		while (i < to && op_is(st, i, ";"))
			i++;
		if (word_is(st, from, "IF") && word_is(st, i, "ELSE"))
			i = engine_stmt_extent(st, i + 1, to);
		return i;
	}
	if (word_is(st, from, "BEGIN") && !word_is(st, from + 1, "TRAN") &&
		!word_is(st, from + 1, "TRANSACTION") && !word_is(st, from + 1, "DISTRIBUTED"))
	{
		bool		is_try = word_is(st, from + 1, "TRY");
		bool		is_catch = word_is(st, from + 1, "CATCH");

		i = from + 1 + (is_try || is_catch ? 1 : 0);
		while (i < to && !word_is(st, i, "END"))
			i = engine_stmt_extent(st, i, to);
		if (i < to)
			i++;				/* END */
		if ((is_try || is_catch) && (word_is(st, i, "TRY") || word_is(st, i, "CATCH")))
			i++;
		if (is_try)
		{
			while (i < to && op_is(st, i, ";"))
				i++;
			if (word_is(st, i, "BEGIN") && word_is(st, i + 1, "CATCH"))
				i = engine_stmt_extent(st, i, to);
		}
		return i;
	}
	if ((word_is(st, from, "CREATE") || word_is(st, from, "ALTER")) &&
		(word_is(st, from + 1, "PROCEDURE") || word_is(st, from + 1, "PROC") ||
		 word_is(st, from + 1, "FUNCTION") || word_is(st, from + 1, "TRIGGER")))
		return to;				/* must be alone in its batch */
	if (word_is(st, from, "WITH"))
	{
		i = skip_with(st, from, to);
		if (i >= to)
			return to;
		/* the statement the CTEs belong to */
		return engine_stmt_extent(st, i, to);
	}
	if (engine_strcasecmp(first, "MERGE") == 0)
	{
		/* its WHEN ... THEN UPDATE/INSERT/DELETE are its own: it ends at ';' */
		for (i = from + 1; i < to; i++)
		{
			if (op_is(st, i, "("))
				depth++;
			else if (op_is(st, i, ")"))
				depth--;
			else if (depth == 0 && op_is(st, i, ";"))
				return i + 1;
		}
		return to;
	}
	if (engine_strcasecmp(first, "INSERT") == 0)
		owns_select = owns_exec = true;
	if (engine_strcasecmp(first, "UPDATE") == 0 || engine_strcasecmp(first, "ALTER") == 0)
		owns_set = true;
	if (engine_strcasecmp(first, "CREATE") == 0 && (word_is(st, from + 1, "VIEW") ||
													(word_is(st, from + 1, "OR") && word_is(st, from + 3, "VIEW"))))
		owns_select = true;
	i = from + 1;
	while (i < to)
	{
		if (op_is(st, i, "("))
			depth++;
		else if (op_is(st, i, ")"))
			depth--;
		else if (depth == 0 && op_is(st, i, ";"))
			return i + 1;
		else if (depth <= 0 && word_is(st, i, "CASE"))
			case_depth++;
		else if (depth <= 0 && case_depth > 0 && word_is(st, i, "END"))
			case_depth--;
		else if (depth <= 0 && case_depth == 0 && starts_statement(st, i))
		{
			if (word_is(st, i, "SELECT") &&
				(owns_select || word_is(st, i - 1, "UNION") || word_is(st, i - 1, "ALL") ||
				 word_is(st, i - 1, "EXCEPT") || word_is(st, i - 1, "INTERSECT")))
			{
				owns_select = false;
				owns_exec = false;
			}
			else if ((word_is(st, i, "EXEC") || word_is(st, i, "EXECUTE")) && owns_exec)
			{
				owns_select = false;
				owns_exec = false;
			}
			else if (word_is(st, i, "SET") && owns_set)
				owns_set = false;
			else if (word_is(st, i, "WITH") && owns_select)
				;				/* INSERT ... WITH cte SELECT: rare, keep it */
			else
				return i;
		}
		else if (depth <= 0 && word_is(st, i, "VALUES"))
			owns_select = owns_exec = false;
		i++;
	}
	return to;
}

/* Send DONE for the current statement (DONEINPROC inside a procedure). */
void
engine_done(SimSession *s, uint16_t curcmd, bool count, uint64_t rowcount)
{
	uint16_t	status = 0;

	if (s->internal || s->out == NULL || s->quiet_done)
		return;
	if (count && !s->nocount)
		status |= SIM_DONE_COUNT;
	if (s->stmt_failed)
		status |= SIM_DONE_ERROR;
	if (s->trancount > 0)
		status |= SIM_DONE_INXACT;
	sim_out_done(s->out, s->proc_depth > 0 ? SIM_DONEINPROC : SIM_DONE, status, curcmd,
				 count ? rowcount : 0);
}

/* Bind every @parameter of stmt from the session's variables. */
bool
engine_bind_vars(SimSession *s, sqlite3_stmt *stmt)
{
	int			n = sqlite3_bind_parameter_count(stmt);
	int			i;

	for (i = 1; i <= n; i++)
	{
		const char *name = sqlite3_bind_parameter_name(stmt, i);
		EngineVar  *v;

		if (name == NULL)
			continue;
		v = engine_var_find(s, name);
		if (v == NULL)
		{
			engine_error(s, 137, "Must declare the scalar variable \"%s\".", name);
			return false;
		}
		if (v->value)
			sqlite3_bind_value(stmt, i, v->value);
		else
			sqlite3_bind_null(stmt, i);
	}
	return true;
}

/*
 * The select items of x with each '*' (or 't.*') expanded into the columns
 * of the query's one table, so that a view's computed columns (which have
 * no declared type in SQLite) get their catalog types as hints; NULL when
 * there is no '*', more than one table, or the count does not come to
 * ncols.  The array (malloc'd, caller frees) shares x's strings.
 */
static EngineSelectItem *
star_items(const EngineXlate *x, int ncols)
{
	const EngineStmt *st = x->st;
	const EngineTable *t;
	EngineSelectItem *out;
	int			i,
				k,
				n = 0;
	bool		star = false;

	if (x->ntables != 1 || x->nitems == 0)
		return NULL;
	t = x->tables[0];
	for (i = 0; i < x->nitems; i++)
		if (x->items[i].expr_to > x->items[i].expr_from &&
			engine_tok_op(st, x->items[i].expr_to - 1, "*"))
			star = true;
	if (!star)
		return NULL;
	out = calloc((size_t) ncols + 1, sizeof(EngineSelectItem));
	if (out == NULL)
		abort();
	for (i = 0; i < x->nitems; i++)
	{
		const EngineSelectItem *it = &x->items[i];

		if (it->expr_to > it->expr_from && engine_tok_op(st, it->expr_to - 1, "*"))
		{
			for (k = 0; k < t->ncols && n < ncols; k++)
			{
				memset(&out[n], 0, sizeof(out[n]));
				out[n++].hint = t->cols[k].type;
			}
			if (k < t->ncols)
				n = ncols + 1;	/* does not fit */
		}
		else if (n < ncols)
			out[n++] = *it;
		else
			n = ncols + 1;
	}
	if (n != ncols)
	{
		free(out);
		return NULL;
	}
	return out;
}

/* Prepare SQLite SQL, reporting errors. */
static sqlite3_stmt *
prepare(SimSession *s, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int			rc;

	if (getenv("SIM_DEBUG"))
		fprintf(stderr, "SQLITE: %s\n", sql);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* SHOWPLAN_ALL: one plan row with the estimate (the row count). */
static void
send_showplan(SimSession *s, const EngineStmt *st, int from, int to, const char *sql)
{
	EngineBuf	b;
	sqlite3_stmt *stmt;
	char	   *text = engine_tok_text(st, from, to);

	ebuf_init(&b);
	ebuf_append(&b, "SELECT ");
	ebuf_append_literal(&b, text);
	ebuf_append(&b, " AS StmtText, 1 AS StmtId, 1 AS NodeId, 0 AS Parent,"
				" NULL AS PhysicalOp, NULL AS LogicalOp, NULL AS Argument, NULL AS DefinedValues,"
				" CAST((SELECT count(*) FROM (");
	ebuf_append(&b, sql);
	ebuf_append(&b, ")) AS REAL) AS EstimateRows, NULL AS EstimateIO, NULL AS EstimateCPU,"
				" NULL AS AvgRowSize, 0.0 AS TotalSubtreeCost, NULL AS OutputList,"
				" NULL AS Warnings, 'SELECT' AS Type, 0 AS Parallel,"
				" NULL AS EstimateExecutions");
	free(text);
	stmt = prepare(s, b.data);
	if (stmt)
	{
		static const SimType hints[] = {
			{SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0}, {SIM_INT, 0, 0, 0}, {SIM_INT, 0, 0, 0},
			{SIM_INT, 0, 0, 0}, {SIM_NVARCHAR, 30, 0, 0}, {SIM_NVARCHAR, 30, 0, 0},
			{SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0}, {SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0},
			{SIM_FLOAT, 0, 53, 0}, {SIM_REAL, 0, 24, 0}, {SIM_REAL, 0, 24, 0},
			{SIM_INT, 0, 0, 0}, {SIM_REAL, 0, 24, 0}, {SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0},
			{SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0}, {SIM_NVARCHAR, 30, 0, 0}, {SIM_BIT, 0, 0, 0},
			{SIM_REAL, 0, 24, 0}
		};

		if (engine_bind_vars(s, stmt))
			engine_stream(s, stmt, NULL, 0, hints, 18);
		sqlite3_finalize(stmt);
	}
	ebuf_free(&b);
}

/* SELECT (or WITH ... SELECT): translate, run, stream or assign. */
bool
engine_run_query(SimSession *s, const EngineStmt *st, int from, int to)
{
	EngineXlate x;
	sqlite3_stmt *stmt;
	bool		ok = false;
	int			into;

	s->cur_cmd = SIM_CMD_SELECT;
	if ((into = engine_select_into_pos(st, from, to)) >= 0)
		return engine_exec_select_into(s, st, from, into, to);
	engine_xlate_init(&x, s, st);
	if (!engine_xlate_range(&x, from, to))
		goto fail;
	if (x.touches_catalog && !engine_catalog_refresh(s))
		goto fail;
	if (s->trancount > 0 && !engine_txn_ensure(s, false))
		goto fail;
	if (s->showplan_all && !x.has_assign)
	{
		send_showplan(s, st, from, to, x.sql.data);
		engine_xlate_free(&x);
		return !s->stmt_failed;
	}
	stmt = prepare(s, x.sql.data);
	if (stmt == NULL)
		goto fail;
	if (!engine_bind_vars(s, stmt))
	{
		sqlite3_finalize(stmt);
		goto fail;
	}
	if (x.has_assign)
	{
		int			rc;
		int64_t		n = 0;

		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		{
			int			i;

			n++;
			for (i = 0; i < x.nitems && i < sqlite3_column_count(stmt); i++)
			{
				EngineVar  *v;

				if (x.items[i].assign_var == NULL)
					continue;
				v = engine_var_find(s, x.items[i].assign_var);
				if (v == NULL)
				{
					engine_error(s, 137, "Must declare the scalar variable \"%s\".",
								 x.items[i].assign_var);
					break;
				}
				if (!engine_var_assign(s, v, sqlite3_column_value(stmt, i), 0))
					break;
			}
			if (s->stmt_failed)
				break;
		}
		if (!s->stmt_failed && rc != SQLITE_DONE && rc != SQLITE_ROW)
			engine_error_sqlite(s, rc);
		s->last_rowcount = n;
		engine_done(s, SIM_CMD_SELECT, true, (uint64_t) n);
		ok = !s->stmt_failed;
	}
	else
	{
		EngineSelectItem *items = star_items(&x, sqlite3_column_count(stmt));

		s->origin_not_null = !x.may_null;
		if (items)
			ok = engine_stream(s, stmt, items, sqlite3_column_count(stmt), NULL, 0);
		else
			ok = engine_stream(s, stmt, x.items, x.nitems, NULL, 0);
		s->origin_not_null = false;
		free(items);
	}
	sqlite3_finalize(stmt);
	engine_xlate_free(&x);
	return ok;

fail:
	engine_xlate_free(&x);
	engine_done(s, SIM_CMD_SELECT, false, 0);
	return false;
}

/*
 * Run sql, a SQLite SELECT that yields one row (variables bound), and set
 * *out to a copy of its first value (caller frees with sqlite3_value_free).
 * False after reporting an error (also when there is no row).
 */
bool
engine_query_value(SimSession *s, const char *sql, sqlite3_value **out)
{
	sqlite3_stmt *stmt = prepare(s, sql);
	int			rc;
	bool		ok = false;

	if (stmt == NULL)
		return false;
	if (engine_bind_vars(s, stmt))
	{
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
		{
			*out = sqlite3_value_dup(sqlite3_column_value(stmt, 0));
			ok = true;
		}
		else
			engine_error_sqlite(s, rc);
	}
	sqlite3_finalize(stmt);
	return ok;
}

/*
 * Evaluate a T-SQL expression [from, to) to a value (caller frees with
 * sqlite3_value_free; NULL pointer never returned on success).  hint gets
 * the expression's type when one is known (id 0 otherwise).
 */
bool
engine_eval_expr(SimSession *s, const EngineStmt *st, int from, int to, sqlite3_value **out,
				 SimType *hint)
{
	EngineBuf	b;
	SimType		h;
	bool		ok;

	ebuf_init(&b);
	ebuf_append(&b, "SELECT ");
	memset(&h, 0, sizeof(h));
	if (!engine_translate_expr(s, st, from, to, &b, &h))
	{
		ebuf_free(&b);
		return false;
	}
	if (hint)
		*hint = h;
	ok = engine_query_value(s, b.data, out);
	ebuf_free(&b);
	return ok;
}

static bool
is_tran_word(const EngineStmt *st, int i)
{
	return word_is(st, i, "TRAN") || word_is(st, i, "TRANSACTION") || word_is(st, i, "WORK");
}

/* ROLLBACK [TRAN [name]] */
static void
exec_rollback(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;

	if (is_tran_word(st, i))
		i++;
	if (i < to && (st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT) && s->trancount > 0)
	{
		char		sql[600];

		snprintf(sql, sizeof(sql), "ROLLBACK TO \"%s\"", st->tok[i].text);
		if (s->sqlite_txn && sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		{
			engine_done(s, SIM_CMD_ROLLBACK, false, 0);
			return;
		}
	}
	engine_rollback_tran(s, true);
	engine_done(s, SIM_CMD_ROLLBACK, false, 0);
}

/*
 * Run the statement hooks on [from, to), shown to them as a statement of
 * its own (with EOF sentinels after it); *skip gets the number of leading
 * tokens a hook consumed.
 */
static EngineHookResult
run_hooks_on(SimSession *s, const EngineStmt *st, int from, int to, int *skip)
{
	EngineStmt	sub;
	EngineToken *copy = emalloc(sizeof(EngineToken) * (size_t) (to - from + ENGINE_LEX_PAD));
	EngineHookResult hr;

	memcpy(copy, st->tok + from, sizeof(EngineToken) * (size_t) (to - from));
	for (int k = 0; k < ENGINE_LEX_PAD; k++)
	{
		copy[to - from + k].type = TK_EOF;
		copy[to - from + k].text = "";
		copy[to - from + k].start = copy[to - from + k].end = st->tok[to - 1].end;
	}
	sub.src = st->src;
	sub.tok = copy;
	sub.ntok = to - from;
	hr = engine_run_stmt_hooks(s, &sub, skip);
	free(copy);
	return hr;
}

/* Statements that start with a word and run by one call (they send their DONE). */
typedef bool (*DataStmtFn) (SimSession *s, const EngineStmt *st, int from, int to);
typedef void (*ControlStmtFn) (SimSession *s, const EngineStmt *st, int from, int to);

static const struct
{
	const char *word;
	DataStmtFn	run;
}			data_statements[] =
{
	{"INSERT", engine_exec_insert},
	{"MERGE", engine_exec_merge},
	{"UPDATE", engine_exec_update},
	{"DELETE", engine_exec_delete},
	{"CREATE", engine_exec_create},
	{"DROP", engine_exec_drop},
	{"ALTER", engine_exec_alter},
	{"TRUNCATE", engine_exec_truncate},
	{"EXEC", engine_exec_exec},
	{"EXECUTE", engine_exec_exec},
};

static const struct
{
	const char *word;
	ControlStmtFn run;
}			control_statements[] =
{
	{"DECLARE", engine_exec_declare},
	{"SET", engine_exec_set},
	{"IF", engine_exec_if},
	{"WHILE", engine_exec_while},
	{"PRINT", engine_exec_print},
	{"RAISERROR", engine_exec_raiserror},
	{"THROW", engine_exec_throw},
};

/* SAVE TRAN[SACTION] name */
static void
exec_save_tran(SimSession *s, const EngineStmt *st, int from)
{
	char		sql[600];

	if (s->trancount == 0)
		engine_error(s, 628, "Cannot issue SAVE TRANSACTION when there is no active transaction.");
	else if (engine_txn_ensure(s, true))
	{
		snprintf(sql, sizeof(sql), "SAVEPOINT \"%s\"", st->tok[from + 2].text);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
	engine_done(s, SIM_CMD_OTHER, false, 0);
}

/* RETURN [expr]: ends the batch or procedure, setting its status. */
static void
exec_return(SimSession *s, const EngineStmt *st, int from, int to)
{
	if (from + 1 < to && !op_is(st, from + 1, ";"))
	{
		sqlite3_value *v;

		if (engine_eval_expr(s, st, from + 1, to, &v, NULL))
		{
			s->return_status = sqlite3_value_int(v);
			sqlite3_value_free(v);
		}
	}
	s->returned = true;
}

/* One statement [from, to): hooks first, then the engine's dispatch. */
static void
exec_one(SimSession *s, const EngineStmt *st, int from, int to)
{
	const EngineToken *t;
	EngineHookResult hr;
	int			skip = 0;
	size_t		k;

	while (from < to && op_is(st, from, ";"))
		from++;
	if (from >= to)
		return;
	s->stmt_failed = false;
	s->cur_line = line_of(st, from);
	s->cur_last_token = st->tok[to - 1].text;
	engine_clear_name_map(s);
	hr = run_hooks_on(s, st, from, to, &skip);
	if (hr == ENGINE_HOOK_DONE)
	{
		engine_done(s, SIM_CMD_OTHER, false, 0);
		return;
	}
	if (hr == ENGINE_HOOK_DONE_SENT)
		return;
	if (hr == ENGINE_HOOK_ERROR)
	{
		s->stmt_failed = true;
		engine_done(s, SIM_CMD_OTHER, false, 0);
		return;
	}
	from += skip;
	if (from >= to)
		return;
	t = &st->tok[from];
	if (t->type != TK_WORD)
	{
		if (t->type == TK_OP && strcmp(t->text, "(") == 0)
		{
			engine_run_query(s, st, from, to);
			return;
		}
		engine_error(s, 102, "Incorrect syntax near '%s'.", t->text);
		engine_done(s, SIM_CMD_OTHER, false, 0);
		return;
	}
	for (k = 0; k < sizeof(data_statements) / sizeof(data_statements[0]); k++)
		if (word_is(st, from, data_statements[k].word))
		{
			data_statements[k].run(s, st, from, to);
			return;
		}
	for (k = 0; k < sizeof(control_statements) / sizeof(control_statements[0]); k++)
		if (word_is(st, from, control_statements[k].word))
		{
			control_statements[k].run(s, st, from, to);
			return;
		}
	if (word_is(st, from, "SELECT"))
		engine_run_query(s, st, from, to);
	else if (word_is(st, from, "WITH"))
	{
		int			after = skip_with(st, from, to);

		if (word_is(st, after, "SELECT"))
			engine_run_query(s, st, from, to);
		else if (word_is(st, after, "INSERT"))
			engine_exec_insert_cte(s, st, from, after, to);
		else
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[after].text);
			engine_done(s, SIM_CMD_OTHER, false, 0);
		}
	}
	else if (word_is(st, from, "USE"))
	{
		engine_exec_use(s, st, from, to);
		engine_done(s, SIM_CMD_OTHER, false, 0);
	}
	else if (word_is(st, from, "BEGIN") &&
			 (is_tran_word(st, from + 1) || word_is(st, from + 1, "DISTRIBUTED")))
	{
		engine_begin_tran(s);
		engine_done(s, SIM_CMD_BEGINTRAN, false, 0);
	}
	else if (word_is(st, from, "BEGIN"))
		engine_exec_block(s, st, from, to);
	else if (word_is(st, from, "COMMIT"))
	{
		engine_commit_tran(s);
		engine_done(s, SIM_CMD_COMMIT, false, 0);
	}
	else if (word_is(st, from, "ROLLBACK"))
		exec_rollback(s, st, from, to);
	else if (word_is(st, from, "SAVE") && is_tran_word(st, from + 1))
		exec_save_tran(s, st, from);
	else if (word_is(st, from, "RETURN"))
		exec_return(s, st, from, to);
	else if (word_is(st, from, "BREAK"))
		s->loop_ctl = 1;
	else if (word_is(st, from, "CONTINUE"))
		s->loop_ctl = 2;
	else if (word_is(st, from, "GO") || word_is(st, from, "CHECKPOINT"))
		;
	else if (word_is(st, from, "WAITFOR"))
		engine_done(s, SIM_CMD_OTHER, false, 0);
	else
	{
		bool		keyword = word_in(t->text, stmt_starts);

		engine_error(s, keyword ? 156 : 102,
					 keyword ? "Incorrect syntax near the keyword '%s'." :
					 "Incorrect syntax near '%s'.", t->text);
		engine_done(s, SIM_CMD_OTHER, false, 0);
	}
}

/* Run statements [from, to) until the end, RETURN, or a batch-aborting error. */
void
engine_exec_tokens(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from;

	while (i < to && !s->batch_abort && !s->returned && s->loop_ctl == 0)
	{
		int			end = engine_stmt_extent(st, i, to);

		if (end <= i)
			end = i + 1;
		exec_one(s, st, i, end);
		if (s->stmt_failed && s->xact_abort && s->trancount > 0 && s->try_depth == 0)
			engine_rollback_tran(s, true);
		i = end;
	}
}

/*
 * Run T-SQL text as a nested batch (dynamic SQL, a procedure's body) in the
 * current output context; a lexing error is reported as a statement error.
 * RETURN inside it ends only the nested text.
 */
void
engine_exec_nested_text(SimSession *s, const char *sql)
{
	EngineLexed lx;
	int			errnum;
	char		err[512];
	EngineStmt	st;
	bool		save_returned = s->returned;

	if (!engine_lex(sql, &lx, &errnum, err, sizeof(err)))
	{
		engine_error(s, errnum, "%s", err);
		return;
	}
	st.src = sql;
	st.tok = lx.tok;
	st.ntok = lx.ntok;
	s->returned = false;
	engine_exec_tokens(s, &st, 0, lx.ntok);
	s->returned = save_returned;
	engine_lex_free(&lx);
}

/* Run a batch of T-SQL text (output to s->out). */
static void
run_batch_text(SimSession *s, const char *sql)
{
	EngineLexed lx;
	int			errnum;
	char		err[512];
	EngineStmt	st;

	s->batch_abort = false;
	s->returned = false;
	s->cancelled = false;
	s->loop_ctl = 0;
	if (!engine_lex(sql, &lx, &errnum, err, sizeof(err)))
	{
		s->stmt_failed = false;
		engine_error(s, errnum, "%s", err);
		engine_done(s, SIM_CMD_OTHER, false, 0);
		return;
	}
	st.src = sql;
	st.tok = lx.tok;
	st.ntok = lx.ntok;
	engine_exec_tokens(s, &st, 0, lx.ntok);
	/* an autocommit statement never leaves a transaction behind */
	if (s->trancount == 0 && s->sqlite_txn && !s->autocommit_txn)
	{
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
		s->sqlite_txn = false;
	}
	engine_clear_name_map(s);
	engine_lex_free(&lx);
}

void
sim_session_exec_batch(SimSession *s, const char *sql, SimOutput *o)
{
	s->out = o;
	memcpy(engine_dateformat, s->dateformat, sizeof(engine_dateformat));
	run_batch_text(s, sql);
	/* variables live for one batch */
	engine_vars_clear(s);
	s->out = NULL;
}

/*
 * Contract in engine.h: run T-SQL for an extension without output; false
 * with the first error's text in errbuf.  The caller's batch_abort and
 * stmt_failed are restored afterwards.
 */
bool
engine_exec_internal(SimSession *s, const char *tsql, char *errbuf, size_t errlen)
{
	bool		save_internal = s->internal;
	bool		save_abort = s->batch_abort;
	bool		save_failed = s->stmt_failed;
	bool		ok;

	s->internal = true;
	s->internal_err[0] = '\0';
	run_batch_text(s, tsql);
	ok = s->internal_err[0] == '\0';
	if (!ok && errbuf)
		snprintf(errbuf, errlen, "%s", s->internal_err);
	s->internal = save_internal;
	s->batch_abort = save_abort;
	s->stmt_failed = save_failed;
	return ok;
}
