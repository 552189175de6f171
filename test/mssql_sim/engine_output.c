/*
 * engine_output.c
 *		The OUTPUT clause of INSERT, UPDATE and DELETE.
 *
 *	INSERT INTO t [(cols)] OUTPUT inserted.*, inserted.id ... VALUES ...
 *	UPDATE t SET ... OUTPUT deleted.v AS old_v, inserted.v AS new_v WHERE ...
 *	DELETE FROM t OUTPUT deleted.* WHERE ...
 *
 * SQL Server returns, as a result set before the statement's DONE, one row
 * per row the statement changed, with the listed expressions over the
 * pseudo tables inserted (the row as written) and deleted (the row as it
 * was).  Here a TEMP trigger on the target, AFTER INSERT/UPDATE/DELETE,
 * evaluates the expressions with NEW and OLD in their place and hands each
 * row to a function that keeps a copy; when the statement has succeeded
 * the rows are sent.  The trigger exists only while the statement runs.
 * OUTPUT ... INTO table [(cols)] inserts the rows into a table or #temp
 * table instead, in the same statement (table variables do not exist in
 * the stand-in).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"

#define OUTPUT_TRIGGER "__sim_output"

/* The events of the pseudo-table rows: the index of EngineOutput.exprs */
#define EV_INSERT 0
#define EV_UPDATE 1
#define EV_DELETE 2

static const char *const event_names[3] = {"INSERT", "UPDATE", "DELETE"};
static const char *const trigger_names[3] = {"__sim_output_i", "__sim_output_u", "__sim_output_d"};

/* Append a column; sql[e] is its SQLite expression for event e. */
static void
add_column(EngineOutput *o, const char *name, const SimType *type, char *sql[3])
{
	int			e;

	o->names = realloc(o->names, sizeof(char *) * (size_t) (o->ncols + 1));
	o->types = realloc(o->types, sizeof(SimType) * (size_t) (o->ncols + 1));
	if (o->names == NULL || o->types == NULL)
		abort();
	for (e = 0; e < 3; e++)
	{
		o->exprs[e] = realloc(o->exprs[e], sizeof(char *) * (size_t) (o->ncols + 1));
		if (o->exprs[e] == NULL)
			abort();
		o->exprs[e][o->ncols] = estrdup(sql[e]);
	}
	o->names[o->ncols] = estrdup(name);
	if (type)
		o->types[o->ncols] = *type;
	else
		memset(&o->types[o->ncols], 0, sizeof(SimType));
	o->ncols++;
}

/* Is token i the pseudo table word ("inserted"/"deleted") before a '.'? */
static int
pseudo_table(const EngineStmt *st, int i)
{
	if ((st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT) && op_is(st, i + 1, "."))
	{
		if (engine_strcasecmp(st->tok[i].text, "inserted") == 0)
			return 'I';
		if (engine_strcasecmp(st->tok[i].text, "deleted") == 0)
			return 'D';
	}
	return 0;
}

/* Is token i MERGE's "$action" (lexed as "$" and "action")? */
static bool
is_action(const EngineStmt *st, int i)
{
	return op_is(st, i, "$") && word_is(st, i + 1, "action") && st->tok[i].end == st->tok[i + 1].start;
}

/*
 * The item [a, b) as T-SQL text for event ev: inserted/deleted become
 * NEW/OLD, or NULL where the event has no such row (deleted in an INSERT,
 * inserted in a DELETE: in MERGE's OUTPUT); $action its literal.
 */
static void
item_text(const EngineStmt *st, int a, int b, int ev, EngineBuf *text)
{
	int			k;

	ebuf_reset(text);
	for (k = a; k < b; k++)
	{
		int			which = pseudo_table(st, k);

		if (k > a)
			ebuf_appendc(text, ' ');
		if (which == 'I' && ev == EV_DELETE)
		{
			ebuf_append(text, "NULL");
			k += 2;				/* inserted . col */
		}
		else if (which == 'D' && ev == EV_INSERT)
		{
			ebuf_append(text, "NULL");
			k += 2;
		}
		else if (which)
			ebuf_append(text, which == 'I' ? "NEW" : "OLD");
		else if (is_action(st, k))
		{
			ebuf_printf(text, "N'%s'", event_names[ev]);
			k++;
		}
		else
		{
			char	   *raw = engine_tok_text(st, k, k + 1);

			ebuf_append(text, raw);
			free(raw);
		}
	}
}

/* Translate T-SQL expression text to SQLite (malloc'd), NULL after an error. */
static char *
translate_text(SimSession *s, const char *text)
{
	EngineLexed lx;
	EngineBuf	sql;
	int			errnum;
	char		err[256];
	char	   *res = NULL;

	if (!engine_lex(text, &lx, &errnum, err, sizeof(err)))
	{
		engine_error(s, errnum, "%s", err);
		return NULL;
	}
	{
		EngineStmt	sub = {text, lx.tok, lx.ntok};

		ebuf_init(&sql);
		if (engine_translate_expr(s, &sub, 0, lx.ntok, &sql, NULL))
			res = estrdup(sql.data);
		ebuf_free(&sql);
	}
	engine_lex_free(&lx);
	return res;
}

/*
 * One OUTPUT item [a, b) (without its alias): append it to o, translated
 * once per event.  allowed: 'I', 'D', 'B' (both pseudo tables) or 'M'
 * (MERGE: both, and $action).
 */
static bool
add_item(SimSession *s, const EngineStmt *st, int a, int b, const char *alias,
		 const EngineTable *t, char allowed, EngineOutput *o)
{
	EngineBuf	text;
	int			k,
				e;
	SimType		type;
	bool		known;
	const char *name = alias;
	char	   *sql[3] = {NULL, NULL, NULL};
	bool		ok = true;

	/* what the item may name */
	for (k = a; k < b; k++)
	{
		int			which = pseudo_table(st, k);

		if (which && !(k + 2 < b + 1 && k + 2 < st->ntok &&
					   (st->tok[k + 2].type == TK_WORD || st->tok[k + 2].type == TK_QIDENT ||
						op_is(st, k + 2, "*")) && k + 2 < b))
		{
			engine_error(s, 102, "Incorrect syntax near '.'.");
			return false;
		}

		if (which && allowed != 'B' && allowed != 'M' && allowed != which)
			goto unbound;
		if (is_action(st, k) && allowed != 'M')
		{
			engine_error(s, 207, "Invalid column name '$action'.");
			return false;
		}
		if (st->tok[k].type == TK_VAR)
		{
			engine_error(s, 102, "Incorrect syntax near '%s': variables in OUTPUT are not supported by this stand-in.",
						 st->tok[k].text);
			return false;
		}
	}

	/* inserted.* / deleted.* */
	if (b - a == 3 && pseudo_table(st, a) && op_is(st, a + 2, "*"))
	{
		int			which = pseudo_table(st, a);

		for (k = 0; k < t->ncols; k++)
		{
			EngineBuf	col;

			for (e = 0; e < 3; e++)
			{
				ebuf_init(&col);
				if ((which == 'I' && e == EV_DELETE) || (which == 'D' && e == EV_INSERT))
					ebuf_append(&col, "NULL");
				else
				{
					ebuf_append(&col, which == 'I' ? "NEW." : "OLD.");
					ebuf_append_ident(&col, t->cols[k].name);
				}
				sql[e] = col.data;
			}
			add_column(o, t->cols[k].name, &t->cols[k].type, sql);
			for (e = 0; e < 3; e++)
				free(sql[e]);
		}
		return true;
	}

	ebuf_init(&text);
	for (e = 0; e < 3 && ok; e++)
	{
		item_text(st, a, b, e, &text);
		ok = (sql[e] = translate_text(s, text.data)) != NULL;
	}
	if (ok)
	{
		/* the type, from the form with both rows, with the target's columns known */
		EngineLexed lx;
		int			errnum;
		char		err[256];

		item_text(st, a, b, EV_UPDATE, &text);
		known = false;
		if (b - a == 2 && is_action(st, a))
		{
			memset(&type, 0, sizeof(type));
			type.id = SIM_NVARCHAR;
			type.length = 10;
			known = true;
			if (name == NULL)
				name = "$action";
		}
		else if (engine_lex(text.data, &lx, &errnum, err, sizeof(err)))
		{
			EngineStmt	sub = {text.data, lx.tok, lx.ntok};
			EngineXlate x;

			engine_xlate_init(&x, s, &sub);
			x.tables[x.ntables++] = engine_table_copy(t);
			engine_xlate_add_alias(&x, "NEW", 0);
			engine_xlate_add_alias(&x, "OLD", 0);
			known = engine_expr_type(&x, 0, lx.ntok, &type);
			engine_xlate_free(&x);
			engine_lex_free(&lx);
		}
		/* a plain column keeps its name */
		if (name == NULL && b - a == 3 && op_is(st, a + 1, "."))
			name = st->tok[b - 1].text;
		add_column(o, name ? name : "", known ? &type : NULL, sql);
	}
	for (e = 0; e < 3; e++)
		free(sql[e]);
	ebuf_free(&text);
	return ok;

unbound:
	{
		char	   *txt = engine_tok_text(st, a, b);

		engine_error(s, 4104, "The multi-part identifier \"%s\" could not be bound.", txt);
		free(txt);
		return false;
	}
}

/*
 * Contract in engine_int.h.
 */
bool
engine_output_parse(SimSession *s, const EngineStmt *st, int i, int end, const EngineTable *t,
					char allowed, const char **stop_words, EngineOutput *o, int *next)
{
	int			a = i + 1;

	memset(o, 0, sizeof(*o));
	o->present = true;
	if (a >= end || op_is(st, a, ";"))
	{
		engine_error(s, 102, "Incorrect syntax near 'OUTPUT'.");
		return false;
	}
	while (a < end)
	{
		int			b = a,
					depth = 0,
					eb;
		const char *alias = NULL;
		bool		last = false;
		bool		into = false;

		for (; b < end; b++)
		{
			int			k;

			if (op_is(st, b, "("))
				depth++;
			else if (op_is(st, b, ")"))
				depth--;
			else if (depth == 0 && op_is(st, b, ","))
				break;
			else if (depth == 0 && word_is(st, b, "INTO"))
			{
				into = last = true;
				break;
			}
			else if (depth == 0 && st->tok[b].type == TK_WORD)
			{
				for (k = 0; stop_words[k]; k++)
					if (word_is(st, b, stop_words[k]))
						break;
				if (stop_words[k])
				{
					last = true;
					break;
				}
			}
			else if (depth == 0 && (op_is(st, b, "(") || op_is(st, b, ";")))
				break;
		}
		if (b == end)
			last = true;
		if (b == a)
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[b].text);
			return false;
		}
		eb = b;
		if (eb - a >= 3 && word_is(st, eb - 2, "AS"))
		{
			alias = st->tok[eb - 1].text;
			eb -= 2;
		}
		else if (eb - a >= 2 && (st->tok[eb - 1].type == TK_QIDENT ||
								 (st->tok[eb - 1].type == TK_WORD && !op_is(st, eb - 2, "."))) &&
				 (st->tok[eb - 2].type != TK_OP || op_is(st, eb - 2, ")")))
		{
			alias = st->tok[eb - 1].text;
			eb -= 1;
		}
		if (!add_item(s, st, a, eb, alias, t, allowed, o))
			return false;
		if (into)
		{
			/* INTO table [(col, ...)] */
			int			j = b + 1;
			char		db[ENGINE_NAME_LEN],
						schema[ENGINE_NAME_LEN],
						name[ENGINE_NAME_LEN];

			if (st->tok[j].type == TK_VAR)
			{
				engine_error(s, 102, "Incorrect syntax near '%s': table variables are not supported by this stand-in.",
							 st->tok[j].text);
				return false;
			}
			if (st->tok[j].type == TK_TEMP)
				j++;
			else if (!engine_parse_name_tokens(st, &j, db, schema, name, sizeof(name)))
			{
				engine_error(s, 102, "Incorrect syntax near 'INTO'.");
				return false;
			}
			o->into_text = engine_tok_text(st, b + 1, j);
			if (op_is(st, j, "("))
			{
				o->into_cols = engine_tok_text(st, j, engine_skip_parens(st, j));
				j = engine_skip_parens(st, j);
			}
			*next = j;
			return true;
		}
		if (last || !op_is(st, b, ","))
		{
			*next = b;
			return true;
		}
		a = b + 1;
		if (a >= end)
		{
			engine_error(s, 102, "Incorrect syntax near ','.");
			return false;
		}
	}
	*next = end;
	return true;
}

/* __sim_output_row(v1, ...): keep a copy of one output row */
static void
fn_output_row(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	EngineOutput *o = sqlite3_user_data(ctx);
	int			k;

	if ((o->nrows + 1) * (int64_t) argc > o->cap)
	{
		o->cap = o->cap ? o->cap * 2 : 64 * (int64_t) argc;
		o->rows = realloc(o->rows, sizeof(sqlite3_value *) * (size_t) o->cap);
		if (o->rows == NULL)
			abort();
	}
	for (k = 0; k < argc; k++)
		o->rows[o->nrows * argc + k] = sqlite3_value_dup(argv[k]);
	o->nrows++;
	sqlite3_result_null(ctx);
}

/* Create the collecting trigger AFTER event ev on t, named name. */
static bool
create_trigger(SimSession *s, const EngineTable *t, int ev, const char *name, EngineOutput *o)
{
	EngineBuf	b;
	int			k;
	bool		ok;

	ebuf_init(&b);
	ebuf_printf(&b, "CREATE TEMP TRIGGER \"%s\" AFTER %s ON %s", name, event_names[ev],
				t->temp ? "temp." : "main.");
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " BEGIN SELECT __sim_output_row(");
	for (k = 0; k < o->ncols; k++)
		ebuf_printf(&b, "%s%s", k ? ", " : "", o->exprs[ev][k]);
	ebuf_append(&b, "); END");
	if (getenv("SIM_DEBUG"))
		fprintf(stderr, "OUTPUT: %s\n", b.data);
	ok = sqlite3_exec(s->db, b.data, NULL, NULL, NULL) == SQLITE_OK;
	if (!ok)
		engine_error_sqlite(s, SQLITE_ERROR);
	ebuf_free(&b);
	return ok;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_output_begin(SimSession *s, const EngineTable *t, const char *event, EngineOutput *o)
{
	bool		ok = true;
	int			ev;

	if (!o->present)
		return true;
	if (sqlite3_create_function_v2(s->db, "__sim_output_row", o->ncols, SQLITE_UTF8, o,
								   fn_output_row, NULL, NULL, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		return false;
	}
	if (strcmp(event, "MERGE") == 0)
	{
		for (ev = 0; ev < 3 && ok; ev++)
			ok = create_trigger(s, t, ev, trigger_names[ev], o);
	}
	else
	{
		ev = strcmp(event, "INSERT") == 0 ? EV_INSERT :
			strcmp(event, "UPDATE") == 0 ? EV_UPDATE : EV_DELETE;
		ok = create_trigger(s, t, ev, OUTPUT_TRIGGER, o);
	}
	o->trigger = ok;
	return ok;
}

/*
 * Contract in engine_int.h.
 */
void
engine_output_end(SimSession *s, EngineOutput *o)
{
	int			ev;

	if (!o->present)
		return;
	sqlite3_exec(s->db, "DROP TRIGGER IF EXISTS temp.\"" OUTPUT_TRIGGER "\"", NULL, NULL, NULL);
	for (ev = 0; ev < 3; ev++)
	{
		char		sql[128];

		snprintf(sql, sizeof(sql), "DROP TRIGGER IF EXISTS temp.\"%s\"", trigger_names[ev]);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
	o->trigger = false;
	sqlite3_create_function_v2(s->db, "__sim_output_row", o->ncols, SQLITE_UTF8, NULL, NULL,
							   NULL, NULL, NULL);
}

/* Give untyped expressions the type their first non-NULL value suggests. */
static void
resolve_types(EngineOutput *o)
{
	int			k;
	int64_t		r;

	for (k = 0; k < o->ncols; k++)
	{
		SimType    *t = &o->types[k];
		sqlite3_value *v = NULL;

		if (t->id != 0)
			continue;
		for (r = 0; r < o->nrows && v == NULL; r++)
			if (sqlite3_value_type(o->rows[r * o->ncols + k]) != SQLITE_NULL)
				v = o->rows[r * o->ncols + k];
		memset(t, 0, sizeof(*t));
		switch (v ? sqlite3_value_type(v) : SQLITE_TEXT)
		{
			case SQLITE_INTEGER:
				t->id = SIM_BIGINT;
				break;
			case SQLITE_FLOAT:
				t->id = SIM_FLOAT;
				t->precision = 53;
				break;
			case SQLITE_BLOB:
				t->id = SIM_VARBINARY;
				t->length = SIM_MAX_LENGTH;
				break;
			default:
				t->id = SIM_NVARCHAR;
				t->length = SIM_MAX_LENGTH;
				break;
		}
	}
}

#define OUTPUT_HOLDER "#__sim_output"

/*
 * Contract in engine_int.h.
 *
 * The rows go through a #temp holder table, typed like the OUTPUT list, so
 * that the engine's own INSERT ... SELECT moves them into the target (with
 * its conversions, IDENTITY, DEFAULT and errors).
 */
bool
engine_output_into(SimSession *s, EngineOutput *o)
{
	EngineBuf	b;
	char		err[512];
	EngineTempTable *holder;
	sqlite3_stmt *ins = NULL;
	int			k;
	int64_t		r;
	bool		ok = true;
	bool		save_quiet = s->quiet_done;
	int64_t		save_rowcount = s->last_rowcount;

	resolve_types(o);
	engine_temp_drop(s, OUTPUT_HOLDER);
	ebuf_init(&b);
	ebuf_append(&b, "CREATE TABLE " OUTPUT_HOLDER " (");
	for (k = 0; k < o->ncols; k++)
	{
		char		tbuf[64];

		sim_type_format(&o->types[k], tbuf, sizeof(tbuf));
		ebuf_printf(&b, "%sc%d %s NULL", k ? ", " : "", k + 1, tbuf);
	}
	ebuf_append(&b, ")");
	if (!engine_exec_internal(s, b.data, err, sizeof(err)) ||
		(holder = engine_temp_find(s, OUTPUT_HOLDER)) == NULL)
	{
		engine_error(s, 50000, "OUTPUT INTO: %s", err);
		ebuf_free(&b);
		return false;
	}
	/* the rows, as they are */
	ebuf_reset(&b);
	ebuf_append(&b, "INSERT INTO temp.");
	ebuf_append_ident(&b, holder->table->sqlite_name);
	ebuf_append(&b, " VALUES (");
	for (k = 0; k < o->ncols; k++)
		ebuf_printf(&b, "%s?%d", k ? ", " : "", k + 1);
	ebuf_append(&b, ")");
	if (sqlite3_prepare_v2(s->db, b.data, -1, &ins, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		ok = false;
	}
	for (r = 0; ok && r < o->nrows; r++)
	{
		sqlite3_reset(ins);
		for (k = 0; k < o->ncols; k++)
			sqlite3_bind_value(ins, k + 1, o->rows[r * o->ncols + k]);
		if (sqlite3_step(ins) != SQLITE_DONE)
		{
			engine_error_sqlite(s, sqlite3_errcode(s->db));
			ok = false;
		}
	}
	sqlite3_finalize(ins);
	/* INSERT INTO target [(cols)] SELECT c1, ... FROM the holder */
	if (ok)
	{
		EngineLexed lx;
		int			errnum;

		ebuf_reset(&b);
		ebuf_printf(&b, "INSERT INTO %s %s SELECT ", o->into_text,
					o->into_cols ? o->into_cols : "");
		for (k = 0; k < o->ncols; k++)
			ebuf_printf(&b, "%sc%d", k ? ", " : "", k + 1);
		ebuf_append(&b, " FROM " OUTPUT_HOLDER);
		if (!engine_lex(b.data, &lx, &errnum, err, sizeof(err)))
		{
			engine_error(s, errnum, "%s", err);
			ok = false;
		}
		else
		{
			EngineStmt	sub = {b.data, lx.tok, lx.ntok};

			s->quiet_done = true;
			ok = engine_exec_insert(s, &sub, 0, lx.ntok);
			s->quiet_done = save_quiet;
			engine_lex_free(&lx);
		}
	}
	engine_temp_drop(s, OUTPUT_HOLDER);
	ebuf_free(&b);
	s->last_rowcount = save_rowcount;
	return ok;
}

/*
 * Contract in engine_int.h.
 */
void
engine_output_send(SimSession *s, EngineOutput *o)
{
	SimColumn  *cols;
	int			k;
	int64_t		r;

	if (!o->present || s->internal || s->out == NULL)
		return;
	if (o->into_text)
		return;					/* OUTPUT ... INTO: the rows went there */
	resolve_types(o);
	cols = calloc((size_t) o->ncols + 1, sizeof(SimColumn));
	if (cols == NULL)
		abort();
	for (k = 0; k < o->ncols; k++)
	{
		cols[k].name = o->names[k];
		cols[k].nullable = true;
		cols[k].type = o->types[k];
	}
	sim_out_colmetadata(s->out, o->ncols, cols);
	for (r = 0; r < o->nrows; r++)
		if (sim_out_row(s->out, &o->rows[r * o->ncols]) != SIM_ROW_OK)
		{
			s->cancelled = true;
			s->batch_abort = true;
			break;
		}
	free(cols);
}

/*
 * Contract in engine_int.h.
 */
void
engine_output_free(EngineOutput *o)
{
	int64_t		k;

	for (k = 0; k < o->nrows * o->ncols; k++)
		sqlite3_value_free(o->rows[k]);
	free(o->rows);
	for (k = 0; k < o->ncols; k++)
	{
		int			e;

		free(o->names[k]);
		for (e = 0; e < 3; e++)
			free(o->exprs[e][k]);
	}
	free(o->names);
	free(o->types);
	free(o->exprs[0]);
	free(o->exprs[1]);
	free(o->exprs[2]);
	free(o->into_text);
	free(o->into_cols);
	memset(o, 0, sizeof(*o));
}

/*
 * Contract in engine_int.h.
 */
void
engine_output_discard_rows(EngineOutput *o)
{
	int64_t		k;

	for (k = 0; k < o->nrows * o->ncols; k++)
		sqlite3_value_free(o->rows[k]);
	o->nrows = 0;
}
