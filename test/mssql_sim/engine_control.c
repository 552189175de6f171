/*
 * engine_control.c
 *		T-SQL statements that steer a batch rather than query data:
 *		DECLARE/SET of variables and SET options, USE, PRINT, RAISERROR,
 *		THROW, IF/ELSE, WHILE (BREAK/CONTINUE), BEGIN..END and TRY/CATCH.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_convert.h"

/* Evaluate expr and store it into variable v (converted to v's type). */
static bool
assign_var(SimSession *s, EngineVar *v, const EngineStmt *st, int from, int to)
{
	sqlite3_value *val;
	SimType		h;
	bool		ok;

	if (!engine_eval_expr(s, st, from, to, &val, &h))
		return false;
	ok = engine_var_assign(s, v, val, engine_type_src_flags(&h));
	sqlite3_value_free(val);
	return ok;
}

/* DECLARE @a int [= expr], @b nvarchar(10) ... */
void
engine_exec_declare(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;

	while (i < to)
	{
		const char *name;
		int			j,
					depth = 0;
		char	   *typetext;
		SimType		t;
		char		err[256];
		EngineVar  *v;

		if (st->tok[i].type != TK_VAR)
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			return;
		}
		name = st->tok[i].text;
		i++;
		if (word_is(st, i, "AS"))
			i++;
		if (word_is(st, i, "TABLE") || word_is(st, i, "CURSOR"))
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			return;
		}
		for (j = i; j < to; j++)
		{
			if (op_is(st, j, "("))
				depth++;
			else if (op_is(st, j, ")"))
				depth--;
			else if (depth == 0 && (op_is(st, j, "=") || op_is(st, j, ",") || op_is(st, j, ";")))
				break;
		}
		typetext = engine_tok_text(st, i, j);
		if (!sim_type_parse(typetext, &t, err, sizeof(err)))
		{
			engine_error(s, 2715, "Column, parameter, or variable #1: Cannot find data type %s.", typetext);
			free(typetext);
			return;
		}
		free(typetext);
		v = engine_var_declare(s, name, &t);
		if (v == NULL)
		{
			engine_error(s, 134, "The variable name '%s' has already been declared. Variable names must be unique within a query batch or stored procedure.", name);
			return;
		}
		i = j;
		if (op_is(st, i, "="))
		{
			int			k;

			depth = 0;
			for (k = i + 1; k < to; k++)
			{
				if (op_is(st, k, "("))
					depth++;
				else if (op_is(st, k, ")"))
					depth--;
				else if (depth == 0 && (op_is(st, k, ",") || op_is(st, k, ";")))
					break;
			}
			if (!assign_var(s, v, st, i + 1, k))
				return;
			i = k;
		}
		if (op_is(st, i, ","))
			i++;
		else
			break;
	}
}

static bool
on_off(const EngineStmt *st, int i)
{
	return word_is(st, i, "ON");
}

/* SET option ... / SET @v = expr */
void
engine_exec_set(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;
	int			last = to;

	while (last > i && op_is(st, last - 1, ";"))
		last--;
	if (st->tok[i].type == TK_VAR)
	{
		EngineVar  *v = engine_var_find(s, st->tok[i].text);

		if (v == NULL)
		{
			engine_error(s, 137, "Must declare the scalar variable \"%s\".", st->tok[i].text);
			return;
		}
		if (op_is(st, i + 1, "="))
			assign_var(s, v, st, i + 2, last);
		else if (i + 1 < last && st->tok[i + 1].type == TK_OP && strlen(st->tok[i + 1].text) == 2 &&
				 st->tok[i + 1].text[1] == '=')
		{
			/* @v += expr: evaluate "@v + (expr)" by building the tokens' text */
			EngineBuf	b;
			EngineLexed lx;
			int			errnum;
			char		err[256];
			char	   *rhs = engine_tok_text(st, i + 2, last);

			ebuf_init(&b);
			ebuf_printf(&b, "%s %c (%s)", st->tok[i].text, st->tok[i + 1].text[0], rhs);
			free(rhs);
			if (engine_lex(b.data, &lx, &errnum, err, sizeof(err)))
			{
				EngineStmt	sub = {b.data, lx.tok, lx.ntok};

				assign_var(s, v, &sub, 0, lx.ntok);
				engine_lex_free(&lx);
			}
			ebuf_free(&b);
		}
		else
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i + 1].text);
		return;
	}
	if (word_is(st, i, "NOCOUNT"))
		s->nocount = on_off(st, i + 1);
	else if (word_is(st, i, "XACT_ABORT"))
		s->xact_abort = on_off(st, i + 1);
	else if (word_is(st, i, "FMTONLY"))
		s->fmtonly = on_off(st, i + 1);
	else if (word_is(st, i, "SHOWPLAN_ALL") || word_is(st, i, "SHOWPLAN_TEXT"))
		s->showplan_all = on_off(st, i + 1);
	else if (word_is(st, i, "IMPLICIT_TRANSACTIONS"))
		s->implicit_transactions = on_off(st, i + 1);
	else if (word_is(st, i, "ROWCOUNT"))
	{
		sqlite3_value *v;

		if (engine_eval_expr(s, st, i + 1, last, &v, NULL))
		{
			s->rowcount_limit = sqlite3_value_int64(v);
			sqlite3_value_free(v);
		}
	}
	else if (word_is(st, i, "LOCK_TIMEOUT"))
	{
		/* milliseconds; -1 (the default) waits for ever, 0 not at all */
		sqlite3_value *v;

		if (engine_eval_expr(s, st, i + 1, last, &v, NULL))
		{
			int64_t		ms = sqlite3_value_int64(v);

			if (sqlite3_value_type(v) != SQLITE_INTEGER)
				engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i + 1].text);
			else
				s->lock_timeout_ms = ms < 0 ? -1 : ms;
			sqlite3_value_free(v);
		}
	}
	else if (word_is(st, i, "DATEFIRST") && st->tok[i + 1].type == TK_NUMBER)
	{
		int			d = atoi(st->tok[i + 1].text);

		if (d < 1 || d > 7)
			engine_error(s, 1005, "Line %d: Invalid number in SET DATEFIRST statement.", s->cur_line);
		else
			s->datefirst = d;
	}
	else if (word_is(st, i, "DATEFORMAT") &&
			 (st->tok[i + 1].type == TK_WORD || st->tok[i + 1].type == TK_STRING ||
			  st->tok[i + 1].type == TK_VAR))
	{
		/* mdy, dmy, ymd, ydm, myd, dym: the order of month/day/year in literals */
		const char *f = st->tok[i + 1].text;
		sqlite3_value *v = NULL;
		char		low[4];
		int			k;

		if (st->tok[i + 1].type == TK_VAR && engine_eval_expr(s, st, i + 1, i + 2, &v, NULL))
			f = (const char *) sqlite3_value_text(v);
		for (k = 0; k < 3 && f && f[k]; k++)
			low[k] = (char) tolower((unsigned char) f[k]);
		low[k] = '\0';
		if (f == NULL || k != 3 || f[3] != '\0' || !strchr(low, 'm') || !strchr(low, 'd') ||
			!strchr(low, 'y'))
			engine_error(s, 1016, "Line %d: Invalid option given for SET DATEFORMAT statement.", s->cur_line);
		else
		{
			memcpy(s->dateformat, low, 4);
			memcpy(engine_dateformat, low, 4);
		}
		if (v)
			sqlite3_value_free(v);
	}
	else if (word_is(st, i, "TRANSACTION") && word_is(st, i + 1, "ISOLATION") &&
			 word_is(st, i + 2, "LEVEL"))
	{
		if (word_is(st, i + 3, "SNAPSHOT"))
			s->isolation = ENGINE_ISO_SNAPSHOT;
		else if (word_is(st, i + 3, "SERIALIZABLE"))
			s->isolation = ENGINE_ISO_SERIALIZABLE;
		else if (word_is(st, i + 3, "REPEATABLE"))
			s->isolation = ENGINE_ISO_REPEATABLE_READ;
		else if (word_is(st, i + 3, "READ") && word_is(st, i + 4, "UNCOMMITTED"))
			s->isolation = ENGINE_ISO_READ_UNCOMMITTED;
		else if (word_is(st, i + 3, "READ") && word_is(st, i + 4, "COMMITTED"))
			s->isolation = ENGINE_ISO_READ_COMMITTED;
		else
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i + 3].text);
			return;
		}
	}
	else if (word_is(st, i, "IDENTITY_INSERT"))
	{
		int			j = i + 1;
		char		db[ENGINE_NAME_LEN],
					schema[ENGINE_NAME_LEN],
					name[ENGINE_NAME_LEN];
		EngineTable *t;

		if (!engine_parse_name_tokens(st, &j, db, schema, name, sizeof(name)))
		{
			engine_error(s, 102, "Incorrect syntax near 'IDENTITY_INSERT'.");
			return;
		}
		t = engine_table_lookup(s, schema, name);
		if (t == NULL)
		{
			char	   *txt = engine_name_text(st, i + 1, j);

			engine_error(s, 208, "Invalid object name '%s'.", txt);
			free(txt);
			return;
		}
		if (on_off(st, j))
			s->identity_insert_object = (int) t->object_id;
		else if (s->identity_insert_object == (int) t->object_id)
			s->identity_insert_object = 0;
		engine_table_free(t);
	}
	else if (st->tok[i].type != TK_WORD)
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
	/* every other option (ANSI_NULLS, TEXTSIZE, LANGUAGE, ...) is accepted */
}

/*
 * USE db: reopen the session's handle on it, send ENVCHANGE and 5701.
 */
void
engine_exec_use(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			errnum;
	char		err[512];
	char	   *old;
	const char *name;

	(void) to;
	if (st->tok[from + 1].type != TK_WORD && st->tok[from + 1].type != TK_QIDENT)
	{
		engine_error(s, 102, "Incorrect syntax near 'USE'.");
		return;
	}
	name = st->tok[from + 1].text;
	if (s->sqlite_txn)
	{
		engine_error(s, 3906, "USE cannot switch databases while a transaction is open in this stand-in.");
		return;
	}
	old = estrdup(s->dbname);
	if (!engine_session_open_db(s, name, &errnum, err, sizeof(err)))
	{
		if (errnum == 4060)
			engine_error(s, 911, "Database '%s' does not exist. Make sure that the name is entered correctly.", name);
		else
			engine_error(s, errnum, "%s", err);
		free(old);
		return;
	}
	if (!s->internal && s->out)
	{
		char		msg[512];

		sim_out_env_database(s->out, s->dbname, old);
		snprintf(msg, sizeof(msg), "Changed database context to '%s'.", s->dbname);
		sim_out_message(s->out, false, 5701, 1, 0, msg, NULL, s->cur_line);
	}
	free(old);
}

/* Format RAISERROR's message with its arguments (%s, %d, %i, %u, %x). */
static void
raiserror_format(SimSession *s, const EngineStmt *st, char *out, size_t len, const char *fmt,
				 int argfrom, int to)
{
	size_t		n = 0;
	int			i = argfrom;

	while (*fmt && n + 1 < len)
	{
		if (*fmt == '%' && fmt[1] && fmt[1] != '%')
		{
			const char *spec = fmt + 1;
			char		val[512] = "(null)";

			while (*spec && !strchr("sdiuxXo", *spec))
				spec++;
			if (i < to)
			{
				int			k = arg_end(st, i, to);
				sqlite3_value *v;

				if (engine_eval_expr(s, st, i, k, &v, NULL))
				{
					if (sqlite3_value_type(v) != SQLITE_NULL)
						snprintf(val, sizeof(val), "%s", (const char *) sqlite3_value_text(v));
					sqlite3_value_free(v);
				}
				i = k + 1;
			}
			n += (size_t) snprintf(out + n, len - n, "%s", val);
			fmt = *spec ? spec + 1 : spec;
			continue;
		}
		if (*fmt == '%' && fmt[1] == '%')
			fmt++;
		out[n++] = *fmt++;
	}
	out[n < len ? n : len - 1] = '\0';
}

/*
 * Start tokens of the first max arguments in [from, to), separated by
 * commas outside parentheses; returns how many there are (at least 1: the
 * first starts at from, even when empty).
 */
static int
first_args(const EngineStmt *st, int from, int to, int *starts, int max)
{
	int			n = 0;

	starts[n++] = from;
	while (n < max)
	{
		int			comma = arg_end(st, starts[n - 1], to);

		if (comma >= to)
			break;
		starts[n++] = comma + 1;
	}
	return n;
}

/* RAISERROR(msg, severity, state [, args]) [WITH ...] */
void
engine_exec_raiserror(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			open = from + 1;
	int			close;
	int			args[3];
	int			nargs;
	int			k;
	sqlite3_value *v;
	char		fmt[2048] = "";
	char		msg[2048];
	int			severity = 16,
				state = 1,
				number = 50000;
	bool		with_log = false;

	if (!op_is(st, open, "("))
	{
		engine_error(s, 102, "Incorrect syntax near 'RAISERROR'.");
		return;
	}
	close = engine_skip_parens(st, open) - 1;
	nargs = first_args(st, open + 1, close, args, 3);
	if (nargs < 3)
	{
		engine_error(s, 102, "Incorrect syntax near ')'.");
		return;
	}
	if (engine_eval_expr(s, st, args[0], args[1] - 1, &v, NULL))
	{
		if (sqlite3_value_type(v) == SQLITE_INTEGER)
		{
			number = sqlite3_value_int(v);
			snprintf(fmt, sizeof(fmt), "Error %d", number);
		}
		else
			snprintf(fmt, sizeof(fmt), "%s", (const char *) sqlite3_value_text(v));
		sqlite3_value_free(v);
	}
	if (engine_eval_expr(s, st, args[1], args[2] - 1, &v, NULL))
	{
		severity = sqlite3_value_int(v);
		sqlite3_value_free(v);
	}
	{
		int			e = arg_end(st, args[2], close);

		if (engine_eval_expr(s, st, args[2], e, &v, NULL))
		{
			state = sqlite3_value_int(v);
			sqlite3_value_free(v);
		}
		raiserror_format(s, st, msg, sizeof(msg), fmt, e + 1, close);
	}
	/* WITH LOG [, NOWAIT] [, SETERROR] */
	if (word_is(st, close + 1, "WITH"))
	{
		for (k = close + 2; k < to; k++)
			if (word_is(st, k, "LOG"))
				with_log = true;
	}
	if (severity >= 19 && !with_log)
	{
		engine_error(s, 2754, "Error severity levels greater than 18 can only be specified by members of the sysadmin role, using the WITH LOG option.");
		return;
	}
	if (severity > 25)
		severity = 25;
	if (severity >= 20)
	{
		/*
		 * Fatal: SQL Server sends the message and ends the connection.  The
		 * engine ends the batch and marks the session (engine_errors.c);
		 * the protocol side closes the connection (sim_session_must_close).
		 */
		engine_error_sev(s, number, severity, state, "%s", msg);
		s->batch_abort = true;
		return;
	}
	if (severity <= 10)
		engine_error_sev(s, number, severity, state, "%s", msg);
	else
	{
		bool		save_xa = s->xact_abort;

		/* RAISERROR never aborts the batch by itself */
		engine_error_sev(s, number, severity, state, "%s", msg);
		if (!save_xa && s->try_depth == 0)
			s->batch_abort = false;
	}
}

/* THROW number, message, state */
void
engine_exec_throw(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			args[3],
				nargs;
	sqlite3_value *v;
	int			number = 50000,
				state = 1;
	char		msg[2048] = "";

	if (from + 1 >= to || op_is(st, from + 1, ";"))
	{
		/* re-throw inside CATCH */
		if (s->caught_number)
			engine_error_sev(s, s->caught_number, s->caught_severity, s->caught_state, "%s",
							 s->caught_message);
		s->batch_abort = true;
		return;
	}
	nargs = first_args(st, from + 1, to, args, 3);
	if (nargs < 3)
	{
		engine_error(s, 102, "Incorrect syntax near 'THROW'.");
		return;
	}
	if (engine_eval_expr(s, st, args[0], args[1] - 1, &v, NULL))
	{
		number = sqlite3_value_int(v);
		sqlite3_value_free(v);
	}
	if (engine_eval_expr(s, st, args[1], args[2] - 1, &v, NULL))
	{
		snprintf(msg, sizeof(msg), "%s", (const char *) sqlite3_value_text(v));
		sqlite3_value_free(v);
	}
	{
		int			e = to;

		while (e > args[2] && op_is(st, e - 1, ";"))
			e--;
		if (engine_eval_expr(s, st, args[2], e, &v, NULL))
		{
			state = sqlite3_value_int(v);
			sqlite3_value_free(v);
		}
	}
	engine_error_sev(s, number, 16, state, "%s", msg);
	s->batch_abort = true;
}

void
engine_exec_print(SimSession *s, const EngineStmt *st, int from, int to)
{
	sqlite3_value *v;
	int			e = to;

	while (e > from + 1 && op_is(st, e - 1, ";"))
		e--;
	if (engine_eval_expr(s, st, from + 1, e, &v, NULL))
	{
		engine_info(s, 0, sqlite3_value_type(v) == SQLITE_NULL ? "" :
					(const char *) sqlite3_value_text(v));
		sqlite3_value_free(v);
	}
}

/*
 * Evaluate the IF/WHILE condition [from, to) into *result (NULL is false).
 * False after reporting an error.
 */
static bool
eval_condition(SimSession *s, const EngineStmt *st, int from, int to, bool *result)
{
	EngineXlate x;
	sqlite3_value *v;
	bool		ok;

	engine_xlate_init(&x, s, st);
	x.select_seen = true;
	ebuf_append(&x.sql, "SELECT CASE WHEN (");
	if (!engine_xlate_range(&x, from, to) ||
		(x.touches_catalog && !engine_catalog_refresh(s)))
	{
		engine_xlate_free(&x);
		return false;
	}
	ebuf_append(&x.sql, ") THEN 1 ELSE 0 END");
	ok = engine_query_value(s, x.sql.data, &v);
	engine_xlate_free(&x);
	if (ok)
	{
		*result = sqlite3_value_int(v) != 0;
		sqlite3_value_free(v);
	}
	return ok;
}

/*
 * IF condition statement [ELSE statement]: runs one branch; a failed
 * condition (error reported) runs neither.
 */
void
engine_exec_if(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			cend = engine_condition_end(st, from + 1, to);
	int			body_end = engine_stmt_extent(st, cend, to);
	int			k = body_end;
	bool		cond;

	while (k < to && op_is(st, k, ";"))
		k++;
	if (!eval_condition(s, st, from + 1, cend, &cond))
		return;
	if (cond)
		engine_exec_tokens(s, st, cend, body_end);
	else if (word_is(st, k, "ELSE"))
		engine_exec_tokens(s, st, k + 1, to);
}

/*
 * WHILE condition statement: until the condition is false or fails, BREAK,
 * RETURN or a batch abort; CONTINUE just starts the next round.
 */
void
engine_exec_while(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			cend = engine_condition_end(st, from + 1, to);
	long		guard = 0;
	bool		cond;

	while (!s->batch_abort && !s->returned && guard++ < 100000000L)
	{
		s->stmt_failed = false;
		if (!eval_condition(s, st, from + 1, cend, &cond) || !cond)
			break;
		engine_exec_tokens(s, st, cend, to);
		if (s->loop_ctl == 1)
		{
			s->loop_ctl = 0;
			break;
		}
		s->loop_ctl = 0;
	}
}

/* BEGIN ... END, BEGIN TRY ... END TRY BEGIN CATCH ... END CATCH */
void
engine_exec_block(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i;
	int			end;

	if (word_is(st, from + 1, "TRY"))
	{
		int			tend,
					catch_from = -1,
					catch_end = -1;

		i = from + 2;
		while (i < to && !word_is(st, i, "END"))
			i = engine_stmt_extent(st, i, to);
		tend = i;
		i += 2;					/* END TRY */
		while (i < to && op_is(st, i, ";"))
			i++;
		if (word_is(st, i, "BEGIN") && word_is(st, i + 1, "CATCH"))
		{
			catch_from = i + 2;
			i = catch_from;
			while (i < to && !word_is(st, i, "END"))
				i = engine_stmt_extent(st, i, to);
			catch_end = i;
		}
		s->try_depth++;
		engine_exec_tokens(s, st, from + 2, tend);
		s->try_depth--;
		if (s->try_failed && s->try_depth == 0)
		{
			s->try_failed = false;
			s->batch_abort = false;
			s->stmt_failed = false;
			if (catch_from >= 0)
			{
				s->catch_depth++;
				engine_exec_tokens(s, st, catch_from, catch_end);
				s->catch_depth--;
			}
		}
		else if (s->try_failed)
		{
			/* nested TRY: handled by this level's CATCH */
			s->try_failed = false;
			s->batch_abort = false;
			if (catch_from >= 0)
			{
				s->catch_depth++;
				engine_exec_tokens(s, st, catch_from, catch_end);
				s->catch_depth--;
			}
		}
		return;
	}
	i = from + 1;
	end = to;
	while (end > i && !word_is(st, end - 1, "END"))
		end--;
	if (end > i)
		end--;
	engine_exec_tokens(s, st, i, end);
}

