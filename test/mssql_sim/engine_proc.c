/*
 * engine_proc.c
 *		Stored procedures: T-SQL EXEC (and EXEC (@sql)), RPC requests, the
 *		procedure registry's call path, and the built-in procedures
 *		sp_executesql, sp_prepare, sp_execute, sp_prepexec, sp_unprepare.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_convert.h"

/* SQL Server's limit on the parameters of a procedure call (error 8003) */
#define PROC_MAX_PARAMS 2100

/* ------------------------------------------------------------------------
 * Parameter helpers (engine.h)
 * ------------------------------------------------------------------------
 */

const SimParam *
engine_proc_param(const EngineProcCall *call, const char *name, int position)
{
	int			i;

	if (name)
		for (i = 0; i < call->nparams; i++)
			if (call->params[i].name && engine_strcasecmp(call->params[i].name, name) == 0)
				return &call->params[i];
	if (position >= 0 && position < call->nparams &&
		(call->params[position].name == NULL || call->params[position].name[0] == '\0'))
		return &call->params[position];
	return NULL;
}

const char *
engine_proc_param_text(const EngineProcCall *call, const char *name, int position)
{
	const SimParam *p = engine_proc_param(call, name, position);

	if (p == NULL || p->value == NULL || sqlite3_value_type(p->value) == SQLITE_NULL)
		return NULL;
	return (const char *) sqlite3_value_text(p->value);
}

void
engine_proc_set_output(EngineProcCall *call, int idx, sqlite3_value *v)
{
	if (idx < 0 || idx >= call->nparams || call->outputs == NULL)
		return;
	if (call->outputs[idx])
		sqlite3_value_free(call->outputs[idx]);
	call->outputs[idx] = v ? sqlite3_value_dup(v) : NULL;
}

/* ------------------------------------------------------------------------
 * Calling a procedure
 * ------------------------------------------------------------------------
 */

/*
 * Run procedure name with params.  outputs (nparams slots) receives OUTPUT
 * values.  Returns the return status; *found is false for an unknown
 * procedure (error 2812 reported).
 */
static int
call_proc(SimSession *s, const char *name, const SimParam *params, int nparams,
				 sqlite3_value **outputs, bool *found)
{
	void	   *arg;
	const char *regname;
	EngineProcFn fn = engine_proc_lookup(name, &arg, &regname);
	EngineProcCall call;
	int			status;
	const char *save_proc = s->cur_proc;

	*found = fn != NULL;
	if (fn == NULL)
	{
		engine_error(s, 2812, "Could not find stored procedure '%s'.", name);
		return -6;
	}
	memset(&call, 0, sizeof(call));
	call.session = s;
	call.name = regname;
	call.nparams = nparams;
	call.params = params;
	call.outputs = outputs;
	s->proc_depth++;
	s->cur_proc = regname;
	status = fn(&call, arg);
	s->cur_proc = save_proc;
	s->proc_depth--;
	if (s->stmt_failed && status == 0)
		status = -6;
	return status;
}

/* Type a value that came from T-SQL text (EXEC arguments): the hint, if any. */
static void
value_type(sqlite3_value *v, const SimType *hint, SimType *t)
{
	if (hint && hint->id)
		*t = *hint;
	else
		engine_type_of_value(v, t);
}

/*
 * EXEC [@rc =] proc [args] | EXEC (string-expression)
 */
bool
engine_exec_exec(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;
	const char *rc_var = NULL;
	char		name[ENGINE_NAME_LEN * 4] = "";
	SimParam   *params;
	sqlite3_value **outputs;
	const char **outvars;
	int			nparams = 0;
	int			k;
	bool		found;
	int			status;
	int			end = to;

	s->cur_cmd = SIM_CMD_EXECUTE;
	while (end > from && op_is(st, end - 1, ";"))
		end--;
	if (op_is(st, i, "("))
	{
		int			close = engine_skip_parens(st, i);
		sqlite3_value *v;

		if (engine_eval_expr(s, st, i + 1, close - 1, &v, NULL))
		{
			if (sqlite3_value_type(v) != SQLITE_NULL)
			{
				char	   *sql = estrdup((const char *) sqlite3_value_text(v));

				engine_exec_nested_text(s, sql);
				free(sql);
			}
			sqlite3_value_free(v);
		}
		return !s->stmt_failed;
	}
	if (st->tok[i].type == TK_VAR && op_is(st, i + 1, "="))
	{
		rc_var = st->tok[i].text;
		i += 2;
	}
	/* procedure name: dotted */
	{
		int			e = engine_name_end(st, i);

		if (e == i)
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			engine_done(s, SIM_CMD_EXECUTE, false, 0);
			return false;
		}
		for (k = i; k < e; k++)
			strncat(name, st->tok[k].text, sizeof(name) - strlen(name) - 1);
		i = e;
	}
	/* arguments */
	params = emalloc(sizeof(SimParam) * PROC_MAX_PARAMS);
	outputs = emalloc(sizeof(sqlite3_value *) * PROC_MAX_PARAMS);
	outvars = emalloc(sizeof(const char *) * PROC_MAX_PARAMS);
	memset(outputs, 0, sizeof(sqlite3_value *) * PROC_MAX_PARAMS);
	while (i < end)
	{
		int			a = i,
					b;
		SimParam   *p = &params[nparams];
		SimType		hint;
		int			vend;

		if (nparams >= PROC_MAX_PARAMS)
		{
			engine_error(s, 8003, "The incoming request has too many parameters. The server supports a maximum of %d parameters. Reduce the number of parameters and resend the request.",
						 PROC_MAX_PARAMS);
			for (k = 0; k < nparams; k++)
				sqlite3_value_free(params[k].value);
			free(params);
			free(outputs);
			free(outvars);
			engine_done(s, SIM_CMD_EXECUTE, false, 0);
			return false;
		}
		i = arg_end(st, i, end);
		b = i;
		if (i < end)
			i++;
		memset(p, 0, sizeof(*p));
		p->name = "";
		if (st->tok[a].type == TK_VAR && op_is(st, a + 1, "="))
		{
			p->name = st->tok[a].text;
			a += 2;
		}
		vend = b;
		if (vend > a && (word_is(st, vend - 1, "OUTPUT") || word_is(st, vend - 1, "OUT")))
		{
			p->output = true;
			vend--;
		}
		outvars[nparams] = (p->output && st->tok[a].type == TK_VAR) ? st->tok[a].text : NULL;
		memset(&hint, 0, sizeof(hint));
		if (vend == a + 1 && word_is(st, a, "DEFAULT"))
		{
			/* DEFAULT: leave the parameter out */
			continue;
		}
		if (vend == a + 1 && (st->tok[a].type == TK_QIDENT ||
							  (st->tok[a].type == TK_WORD && !word_is(st, a, "NULL"))))
		{
			/* EXEC p orders: an identifier argument is the string 'orders' */
			sqlite3_stmt *tmp;

			p->value = NULL;
			if (sqlite3_prepare_v2(s->db, "SELECT ?1", -1, &tmp, NULL) == SQLITE_OK)
			{
				sqlite3_bind_text(tmp, 1, st->tok[a].text, -1, SQLITE_TRANSIENT);
				if (sqlite3_step(tmp) == SQLITE_ROW)
					p->value = sqlite3_value_dup(sqlite3_column_value(tmp, 0));
				sqlite3_finalize(tmp);
			}
			if (p->value != NULL)
			{
				hint.id = SIM_NVARCHAR;
				hint.length = 128;
				value_type(p->value, &hint, &p->type);
				nparams++;
				continue;
			}
		}
		if (!engine_eval_expr(s, st, a, vend, &p->value, &hint))
		{
			for (k = 0; k < nparams; k++)
				sqlite3_value_free(params[k].value);
			free(params);
			free(outputs);
			free(outvars);
			engine_done(s, SIM_CMD_EXECUTE, false, 0);
			return false;
		}
		value_type(p->value, &hint, &p->type);
		nparams++;
	}
	status = call_proc(s, name, params, nparams, outputs, &found);
	/* OUTPUT parameters go back into the caller's variables */
	for (k = 0; k < nparams; k++)
	{
		if (outvars[k] && outputs[k])
		{
			EngineVar  *v = engine_var_find(s, outvars[k]);

			if (v)
				engine_var_set(v, outputs[k]);
		}
		if (outputs[k])
			sqlite3_value_free(outputs[k]);
		sqlite3_value_free(params[k].value);
	}
	free(params);
	free(outputs);
	free(outvars);
	if (rc_var)
	{
		EngineVar  *v = engine_var_find(s, rc_var);

		if (v)
			engine_var_set_int(s, v, status);
	}
	if (found && !s->internal && s->out)
	{
		sim_out_return_status(s->out, status);
		sim_out_done(s->out, s->proc_depth > 0 ? SIM_DONEINPROC : SIM_DONEPROC,
					 (uint16_t) ((s->stmt_failed ? SIM_DONE_ERROR : 0) |
								 (s->trancount > 0 ? SIM_DONE_INXACT : 0)),
					 SIM_CMD_EXECUTE, 0);
	}
	else if (!found)
		engine_done(s, SIM_CMD_EXECUTE, false, 0);
	return found && !s->stmt_failed;
}

/*
 * One RPC: run the procedure, then RETURNVALUEs for OUTPUT parameters,
 * RETURNSTATUS and DONEPROC (contract in sim.h).
 */
void
sim_session_exec_rpc(SimSession *s, const SimRpc *rpc, SimOutput *o)
{
	sqlite3_value **outputs;
	bool		found;
	int			status;
	int			k;

	s->out = o;
	memcpy(engine_dateformat, s->dateformat, sizeof(engine_dateformat));
	s->in_rpc = true;
	s->batch_abort = false;
	s->returned = false;
	s->cancelled = false;
	s->stmt_failed = false;
	engine_clear_name_map(s);
	outputs = calloc((size_t) rpc->nparams + 1, sizeof(sqlite3_value *));
	status = call_proc(s, rpc->proc_name ? rpc->proc_name : "", rpc->params,
							  rpc->nparams, outputs, &found);
	if (found)
	{
		for (k = 0; k < rpc->nparams; k++)
			if (rpc->params[k].output)
				sim_out_return_value(o, k, rpc->params[k].name, &rpc->params[k].type,
									 outputs[k] ? outputs[k] : rpc->params[k].value);
		sim_out_return_status(o, status);
	}
	for (k = 0; k < rpc->nparams; k++)
		if (outputs[k])
			sqlite3_value_free(outputs[k]);
	free(outputs);
	sim_out_done(o, SIM_DONEPROC, (uint16_t) ((s->stmt_failed ? SIM_DONE_ERROR : 0) |
											 (s->trancount > 0 ? SIM_DONE_INXACT : 0)),
				 SIM_CMD_EXECUTE, 0);
	if (s->trancount == 0 && s->sqlite_txn && !s->autocommit_txn)
	{
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
		s->sqlite_txn = false;
	}
	engine_clear_name_map(s);
	s->in_rpc = false;
	s->out = NULL;
}

/* ------------------------------------------------------------------------
 * sp_executesql and the prepare family
 * ------------------------------------------------------------------------
 */

/*
 * Run sql with parameters declared by decl ("@a int, @b varchar(10)
 * OUTPUT") and values from params[first..] (by name or position), in a
 * variable scope of its own.  OUTPUT values are stored into call outputs.
 */
static void
run_with_params(EngineProcCall *call, const char *sql, const char *decl, int first)
{
	SimSession *s = call->session;
	EngineVar  *save_vars = s->vars;
	int			save_n = s->nvars,
				save_cap = s->capvars;
	EngineLexed lx;
	int			errnum;
	char		err[512];
	int			ndecl = 0;
	char	   *declnames[PROC_MAX_PARAMS];
	bool		declout[PROC_MAX_PARAMS];
	int			k;

	s->vars = NULL;
	s->nvars = s->capvars = 0;
	if (decl && decl[0])
	{
		if (!engine_lex(decl, &lx, &errnum, err, sizeof(err)))
		{
			engine_error(s, errnum, "%s", err);
			goto restore;
		}
		{
			EngineStmt	st = {decl, lx.tok, lx.ntok};
			int			i = 0;

			while (i < lx.ntok && ndecl < PROC_MAX_PARAMS)
			{
				int			j,
							depth = 0;
				char	   *typetext;
				SimType		t;
				const char *vname;
				bool		out = false;

				if (lx.tok[i].type != TK_VAR)
				{
					engine_error(s, 102, "Incorrect syntax near '%s'.", lx.tok[i].text);
					engine_lex_free(&lx);
					goto restore;
				}
				vname = lx.tok[i].text;
				i++;
				if (engine_tok_is(&st, i, "AS"))
					i++;
				for (j = i; j < lx.ntok; j++)
				{
					if (engine_tok_op(&st, j, "("))
						depth++;
					else if (engine_tok_op(&st, j, ")"))
						depth--;
					else if (depth == 0 && (engine_tok_op(&st, j, ",") || engine_tok_op(&st, j, "=") ||
											engine_tok_is(&st, j, "OUTPUT") ||
											engine_tok_is(&st, j, "OUT") ||
											engine_tok_is(&st, j, "READONLY")))
						break;
				}
				typetext = engine_tok_text(&st, i, j);
				if (!sim_type_parse(typetext, &t, err, sizeof(err)))
				{
					engine_error(s, 2715, "Column, parameter, or variable #%d: Cannot find data type %s.",
								 ndecl + 1, typetext);
					free(typetext);
					engine_lex_free(&lx);
					goto restore;
				}
				free(typetext);
				while (j < lx.ntok && !engine_tok_op(&st, j, ","))
				{
					if (engine_tok_is(&st, j, "OUTPUT") || engine_tok_is(&st, j, "OUT"))
						out = true;
					j++;
				}
				engine_var_declare(s, vname, &t);
				declnames[ndecl] = estrdup(vname);
				declout[ndecl] = out;
				ndecl++;
				i = j + 1;
			}
			engine_lex_free(&lx);
		}
	}
	/* values: by name, else by position after the fixed arguments */
	for (k = first; k < call->nparams; k++)
	{
		const SimParam *p = &call->params[k];
		EngineVar  *v = NULL;

		if (p->name && p->name[0])
			v = engine_var_find(s, p->name);
		else if (k - first < ndecl)
			v = engine_var_find(s, declnames[k - first]);
		if (v == NULL)
		{
			if (p->name && p->name[0])
				engine_error(s, 8145, "%s is not a parameter for procedure %s.", p->name, call->name);
			else
				engine_error(s, 8144, "Procedure or function %s has too many arguments specified.", call->name);
			goto cleanup;
		}
		if (p->value && sqlite3_value_type(p->value) != SQLITE_NULL &&
			!engine_var_assign_param(s, v, p->value, &p->type))
			goto cleanup;
	}
	engine_exec_nested_text(s, sql);
	/* OUTPUT parameters */
	for (k = first; k < call->nparams; k++)
	{
		const SimParam *p = &call->params[k];
		EngineVar  *v = NULL;

		if (!p->output)
			continue;
		if (p->name && p->name[0])
			v = engine_var_find(s, p->name);
		else if (k - first < ndecl)
			v = engine_var_find(s, declnames[k - first]);
		if (v && v->value)
			engine_proc_set_output(call, k, v->value);
	}
cleanup:
	for (k = 0; k < ndecl; k++)
		free(declnames[k]);
	(void) declout;
restore:
	engine_vars_clear(s);
	free(s->vars);
	s->vars = save_vars;
	s->nvars = save_n;
	s->capvars = save_cap;
}

/*
 * sp_executesql @stmt [, @params, values...]: the statement first, whatever
 * its parameter name; the declaration second when it is text.
 */
static int
proc_executesql(EngineProcCall *call, void *arg)
{
	const char *sql = NULL;
	const char *decl = NULL;
	int			first = 1;

	(void) arg;
	/* the statement comes first, whatever its name (@stmt, @statement, none) */
	if (call->nparams > 0 && call->params[0].value &&
		sqlite3_value_type(call->params[0].value) != SQLITE_NULL)
		sql = (const char *) sqlite3_value_text(call->params[0].value);
	if (sql == NULL)
	{
		engine_error(call->session, 201, "Procedure or function 'sp_executesql' expects parameter '@statement', which was not supplied.");
		return -1;
	}
	if (call->nparams > 1)
	{
		const SimParam *p = &call->params[1];

		if ((p->name == NULL || p->name[0] == '\0' || engine_strcasecmp(p->name, "@params") == 0 ||
			 engine_strcasecmp(p->name, "params") == 0) &&
			(p->type.id == SIM_NVARCHAR || p->type.id == SIM_NCHAR || p->type.id == SIM_NTEXT ||
			 p->type.id == SIM_VARCHAR))
		{
			decl = p->value && sqlite3_value_type(p->value) != SQLITE_NULL ?
				(const char *) sqlite3_value_text(p->value) : NULL;
			first = 2;
		}
	}
	{
		char	   *sqlcopy = estrdup(sql);
		char	   *declcopy = decl ? estrdup(decl) : NULL;

		run_with_params(call, sqlcopy, declcopy, first);
		free(sqlcopy);
		free(declcopy);
	}
	return call->session->stmt_failed ? -6 : 0;
}

static int
store_prepared(SimSession *s, const char *decl, const char *sql)
{
	EnginePrepared *p;

	s->prepared = realloc(s->prepared, sizeof(EnginePrepared) * (size_t) (s->nprepared + 1));
	if (s->prepared == NULL)
		abort();
	p = &s->prepared[s->nprepared++];
	p->handle = s->next_handle++;
	p->params_decl = decl ? estrdup(decl) : NULL;
	p->sql = estrdup(sql);
	return p->handle;
}

static EnginePrepared *
find_prepared(SimSession *s, int handle)
{
	int			i;

	for (i = 0; i < s->nprepared; i++)
		if (s->prepared[i].handle == handle)
			return &s->prepared[i];
	return NULL;
}

static void
set_int_output(EngineProcCall *call, int idx, int value)
{
	sqlite3_stmt *tmp;

	if (sqlite3_prepare_v2(call->session->db, "SELECT ?1", -1, &tmp, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int(tmp, 1, value);
		if (sqlite3_step(tmp) == SQLITE_ROW)
			engine_proc_set_output(call, idx, sqlite3_column_value(tmp, 0));
		sqlite3_finalize(tmp);
	}
}

/*
 * The common part of sp_prepare and sp_prepexec (named procname in the
 * error): store "@handle OUTPUT, @params, @stmt" as a prepared statement and
 * return @handle through the OUTPUT parameter.  False after error 201 when
 * @stmt is missing; *decl and *sql are the call's own strings.
 */
static bool
prepare_from_call(EngineProcCall *call, const char *procname, const char **decl,
				  const char **sql)
{
	*decl = engine_proc_param_text(call, "@params", 1);
	*sql = engine_proc_param_text(call, "@stmt", 2);
	if (*sql == NULL)
	{
		engine_error(call->session, 201, "Procedure or function '%s' expects parameter '@stmt', which was not supplied.",
					 procname);
		return false;
	}
	set_int_output(call, 0, store_prepared(call->session, *decl, *sql));
	return true;
}

/*
 * Run sql with the parameters declared in decl (may be NULL), their values
 * from call's argument first on; works on copies, so the prepared
 * statement sql came from may go meanwhile.  The procedure's status.
 */
static int
run_prepared_text(EngineProcCall *call, const char *sql, const char *decl, int first)
{
	char	   *sqlcopy = estrdup(sql);
	char	   *declcopy = decl ? estrdup(decl) : NULL;

	run_with_params(call, sqlcopy, declcopy, first);
	free(sqlcopy);
	free(declcopy);
	return call->session->stmt_failed ? -6 : 0;
}

/* sp_prepare @handle OUTPUT, @params, @stmt [, @options] */
static int
proc_prepare(EngineProcCall *call, void *arg)
{
	const char *decl;
	const char *sql;

	(void) arg;
	return prepare_from_call(call, "sp_prepare", &decl, &sql) ? 0 : -1;
}

/* sp_prepexec @handle OUTPUT, @params, @stmt, values... */
static int
proc_prepexec(EngineProcCall *call, void *arg)
{
	const char *decl;
	const char *sql;

	(void) arg;
	if (!prepare_from_call(call, "sp_prepexec", &decl, &sql))
		return -1;
	return run_prepared_text(call, sql, decl, 3);
}

/* sp_execute @handle, values... */
static int
proc_execute(EngineProcCall *call, void *arg)
{
	const SimParam *hp = engine_proc_param(call, "@handle", 0);
	EnginePrepared *p;

	(void) arg;
	if (hp == NULL || hp->value == NULL ||
		(p = find_prepared(call->session, sqlite3_value_int(hp->value))) == NULL)
	{
		engine_error(call->session, 8179, "Could not find prepared statement with handle %d.",
					 hp && hp->value ? sqlite3_value_int(hp->value) : 0);
		return -1;
	}
	return run_prepared_text(call, p->sql, p->params_decl, 1);
}

/*
 * sp_unprepare @handle: forgets the prepared statement (an unknown handle
 * is no error).
 */
static int
proc_unprepare(EngineProcCall *call, void *arg)
{
	const SimParam *hp = engine_proc_param(call, "@handle", 0);
	SimSession *s = call->session;
	int			i;

	(void) arg;
	if (hp == NULL || hp->value == NULL)
		return 0;
	for (i = 0; i < s->nprepared; i++)
		if (s->prepared[i].handle == sqlite3_value_int(hp->value))
		{
			free(s->prepared[i].params_decl);
			free(s->prepared[i].sql);
			s->prepared[i] = s->prepared[--s->nprepared];
			break;
		}
	return 0;
}

/* sp_reset_connection: what RESETCONNECTION does */
static int
proc_reset_connection(EngineProcCall *call, void *arg)
{
	(void) arg;
	sim_session_reset(call->session, call->session->out);
	return 0;
}

/* GENERATE_SERIES(start, stop [, step]) (SQL Server 2022), column "value" */
static bool
tvf_generate_series(EngineTvfCall *call, EngineBuf *out, void *arg)
{
	(void) arg;
	if (call->nargs < 2 || call->nargs > 3 || call->arg_sql[0] == NULL ||
		call->arg_sql[1] == NULL || (call->nargs == 3 && call->arg_sql[2] == NULL))
	{
		engine_error(call->session, 174, "The generate_series function requires 2 to 3 arguments.");
		return false;
	}
	ebuf_printf(out, "(WITH RECURSIVE __gs(value) AS (SELECT CAST((%s) AS INTEGER)"
				" UNION ALL SELECT value + (%s) FROM __gs WHERE value + (%s) <= (%s))"
				" SELECT value FROM __gs)", call->arg_sql[0],
				call->nargs == 3 ? call->arg_sql[2] : "1",
				call->nargs == 3 ? call->arg_sql[2] : "1", call->arg_sql[1]);
	return true;
}

void
engine_builtin_procs_register(void)
{
	engine_register_tvf("generate_series", tvf_generate_series, NULL);
	engine_register_proc("sys.sp_executesql", proc_executesql, NULL);
	engine_register_proc("sys.sp_prepare", proc_prepare, NULL);
	engine_register_proc("sys.sp_prepexec", proc_prepexec, NULL);
	engine_register_proc("sys.sp_execute", proc_execute, NULL);
	engine_register_proc("sys.sp_unprepare", proc_unprepare, NULL);
	engine_register_proc("sys.sp_reset_connection", proc_reset_connection, NULL);
}
