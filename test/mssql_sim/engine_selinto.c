/*
 * engine_selinto.c
 *		SELECT ... INTO new_table: a new table made from a query's result.
 *
 * SQL Server creates the table with the result's column names and types
 * (NOT NULL where the column comes straight from a NOT NULL column or is a
 * literal or ISNULL(x, literal); the IDENTITY property of an identity column selected from a
 * single table without joins, grouping or set operations) and fills it in
 * the same statement.  Here the query, without its INTO clause, is
 * prepared to learn the columns; the table is created with CREATE TABLE
 * (so it gets catalog rows and DDL hooks like any other, or becomes a
 * #temp table), and the rows go in through INSERT INTO new_table (cols)
 * <the query>, with its conversions and errors.  If the INSERT fails the
 * table is dropped again, so that the statement leaves nothing behind, as
 * in SQL Server.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"

typedef struct IntoColumn
{
	char	   *name;
	SimType		type;
	bool		not_null;
	bool		identity;
	int64_t		seed;
	int64_t		incr;
} IntoColumn;

/*
 * Contract in engine_int.h.
 */
int
engine_select_into_pos(const EngineStmt *st, int from, int to)
{
	int			i = from,
				depth = 0;

	/* the first SELECT at the top level (after a WITH list) */
	for (; i < to; i++)
	{
		if (op_is(st, i, "("))
			depth++;
		else if (op_is(st, i, ")"))
			depth--;
		else if (depth == 0 && word_is(st, i, "SELECT"))
			break;
	}
	for (i++; i < to; i++)
	{
		if (op_is(st, i, "("))
			depth++;
		else if (op_is(st, i, ")"))
			depth--;
		else if (depth == 0 && word_is(st, i, "INTO"))
			return i;
		else if (depth == 0 && (word_is(st, i, "FROM") || word_is(st, i, "WHERE") ||
								word_is(st, i, "UNION") || word_is(st, i, "EXCEPT") ||
								word_is(st, i, "INTERSECT") || word_is(st, i, "ORDER") ||
								word_is(st, i, "GROUP") || op_is(st, i, ";")))
			return -1;
	}
	return -1;
}

/* Append a T-SQL identifier in brackets (']' doubled). */
static void
append_bracketed(EngineBuf *b, const char *name)
{
	const char *p;

	ebuf_appendc(b, '[');
	for (p = name; *p; p++)
	{
		if (*p == ']')
			ebuf_appendc(b, ']');
		ebuf_appendc(b, *p);
	}
	ebuf_appendc(b, ']');
}

/*
 * The table column a result column comes from (SQLite's column metadata),
 * or NULL.  *table receives the looked-up table (caller frees it).
 */
static EngineColumn *
origin_column(SimSession *s, sqlite3_stmt *stmt, int i, EngineTable **table)
{
	const char *tab = sqlite3_column_table_name(stmt, i);
	const char *col = sqlite3_column_origin_name(stmt, i);
	const char *db = sqlite3_column_database_name(stmt, i);
	EngineTable *t = NULL;
	int			k;

	*table = NULL;
	if (tab == NULL || col == NULL || db == NULL)
		return NULL;
	if (strcmp(db, "temp") == 0)
	{
		EngineTempTable *tt = engine_temp_find(s, tab);

		if (tt)
			t = engine_table_copy(tt->table);
	}
	else if (strcmp(db, "main") == 0)
	{
		const char *dot = strchr(tab, '.');
		char		schema[ENGINE_NAME_LEN];

		if (dot == NULL || dot - tab >= ENGINE_NAME_LEN)
			return NULL;
		snprintf(schema, sizeof(schema), "%.*s", (int) (dot - tab), tab);
		t = engine_table_lookup(s, schema, dot + 1);
	}
	if (t == NULL)
		return NULL;
	*table = t;
	for (k = 0; k < t->ncols; k++)
		if (engine_strcasecmp(t->cols[k].name, col) == 0)
			return &t->cols[k];
	return NULL;
}

/*
 * Is the expression [a, b) one SQL Server knows cannot be NULL (so that
 * SELECT INTO and views make its column NOT NULL)?  A literal other than
 * NULL, or ISNULL(x, such an expression).
 */
bool
engine_expr_never_null(const EngineStmt *st, int a, int b)
{
	while (b - a >= 2 && op_is(st, a, "(") && engine_skip_parens(st, a) == b)
	{
		a++;
		b--;
	}
	if (b - a == 2 && op_is(st, a, "-") && st->tok[a + 1].type == TK_NUMBER)
		return true;
	if (b - a == 1)
		return st->tok[a].type == TK_NUMBER || st->tok[a].type == TK_STRING ||
			st->tok[a].type == TK_NSTRING || st->tok[a].type == TK_BINARY;
	if (word_is(st, a, "ISNULL") && op_is(st, a + 1, "(") && engine_skip_parens(st, a + 1) == b)
	{
		int			k,
					depth = 0;

		for (k = a + 2; k < b - 1; k++)
		{
			if (op_is(st, k, "("))
				depth++;
			else if (op_is(st, k, ")"))
				depth--;
			else if (depth == 0 && op_is(st, k, ","))
				return engine_expr_never_null(st, k + 1, b - 1);
		}
	}
	return false;
}

/* Do the tokens [from, to) contain one of the words? */
static bool
has_word(const EngineStmt *st, int from, int to, const char **words)
{
	int			i,
				k;

	for (i = from; i < to; i++)
		for (k = 0; words[k]; k++)
			if (word_is(st, i, words[k]))
				return true;
	return false;
}

/*
 * Describe the result columns of the query text sql (T-SQL, no INTO) into
 * *cols (malloc'd, *ncols entries).  False after reporting an error.
 */
static bool
describe_query(SimSession *s, const char *sql, IntoColumn **cols, int *ncols,
			   const char *target)
{
	EngineLexed lx;
	EngineXlate x;
	sqlite3_stmt *stmt = NULL;
	int			errnum,
				n,
				i,
				k,
				rc;
	char		err[256];
	bool		ok = false;
	bool		identity_ok;
	EngineStmt	sub;

	*cols = NULL;
	*ncols = 0;
	if (!engine_lex(sql, &lx, &errnum, err, sizeof(err)))
	{
		engine_error(s, errnum, "%s", err);
		return false;
	}
	sub.src = sql;
	sub.tok = lx.tok;
	sub.ntok = lx.ntok;
	engine_xlate_init(&x, s, &sub);
	if (!engine_xlate_range(&x, 0, lx.ntok))
		goto out;
	if (x.touches_catalog)
		engine_catalog_refresh(s);
	rc = sqlite3_prepare_v2(s->db, x.sql.data, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		goto out;
	}
	if (!engine_bind_vars(s, stmt))
		goto out;
	identity_ok = x.ntables == 1 && !x.may_null &&
		!has_word(&sub, 0, lx.ntok, (const char *[]) {"JOIN", "GROUP", "UNION", "DISTINCT",
			"EXCEPT", "INTERSECT", NULL});
	n = sqlite3_column_count(stmt);
	*cols = calloc((size_t) n + 1, sizeof(IntoColumn));
	if (*cols == NULL)
		abort();
	rc = SQLITE_DONE;
	for (i = 0; i < n; i++)
	{
		IntoColumn *c = &(*cols)[i];
		const char *decl = sqlite3_column_decltype(stmt, i);
		const char *name = NULL;
		EngineTable *ot;
		EngineColumn *oc;

		if (i < x.nitems && x.items[i].name)
			name = x.items[i].name;
		else if (!(i < x.nitems && x.items[i].unnamed))
			name = sqlite3_column_name(stmt, i);
		if (name == NULL || name[0] == '\0')
		{
			engine_error(s, 1038, "An object or column name is missing or empty. For SELECT INTO statements, verify each column has a name. For other statements, look for empty alias names. Aliases defined as \"\" or [] are not allowed. Change the alias to a valid name.");
			*ncols = i;
			goto out;
		}
		c->name = estrdup(name);
		*ncols = i + 1;
		for (k = 0; k < i; k++)
			if (engine_strcasecmp((*cols)[k].name, name) == 0)
			{
				engine_error(s, 2705, "Column names in each table must be unique. Column name '%s' in table '%s' is specified more than once.",
							 name, target);
				goto out;
			}
		if (decl && engine_decltype_parse(decl, &c->type))
			;
		else if (i < x.nitems && x.items[i].hint.id != 0)
			c->type = x.items[i].hint;
		else
		{
			/* only the values can tell: look at the first row */
			if (rc == SQLITE_DONE && i == 0)
				rc = sqlite3_step(stmt);
			engine_type_of_value(rc == SQLITE_ROW ? sqlite3_column_value(stmt, i) : NULL, &c->type);
		}
		if (c->type.id == SIM_ROWVERSION)
			c->type.id = SIM_BINARY, c->type.length = 8;
		oc = origin_column(s, stmt, i, &ot);
		if (oc)
		{
			c->not_null = !oc->nullable && !x.may_null;
			if (oc->identity && identity_ok)
			{
				c->identity = true;
				c->not_null = true;
				c->seed = oc->ident_seed;
				c->incr = oc->ident_incr;
			}
			if (oc->type.id == SIM_ROWVERSION)
				c->not_null = !x.may_null;
		}
		else if (i < x.nitems)
			c->not_null = engine_expr_never_null(&sub, x.items[i].expr_from, x.items[i].expr_to);
		engine_table_free(ot);
	}
	/* identity: at most one column keeps the property */
	for (i = 0, k = 0; i < *ncols; i++)
		if ((*cols)[i].identity && k++ > 0)
			(*cols)[i].identity = false;
	ok = true;
out:
	sqlite3_finalize(stmt);
	engine_xlate_free(&x);
	engine_lex_free(&lx);
	return ok;
}

static void
free_columns(IntoColumn *cols, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		free(cols[i].name);
	free(cols);
}

/*
 * Contract in engine_int.h.
 */
bool
engine_exec_select_into(SimSession *s, const EngineStmt *st, int from, int into, int to)
{
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	int			after = into + 1;
	bool		temp = st->tok[into + 1].type == TK_TEMP;
	char	   *target_text;
	char	   *head,
			   *tail;
	EngineBuf	query,
				ddl,
				ins;
	IntoColumn *cols = NULL;
	int			ncols = 0,
				i,
				ins_at;
	EngineTable *t;
	char		err[512];
	bool		ok = false;
	int			save_identity = s->identity_insert_object;

	s->cur_cmd = SIM_CMD_SELECT;
	while (to > from && op_is(st, to - 1, ";"))
		to--;
	if (temp)
	{
		snprintf(name, sizeof(name), "%s", st->tok[after].text);
		schema[0] = db[0] = '\0';
		after++;
	}
	else if (word_is(st, after, "FROM") || word_is(st, after, "WHERE") ||
			 !engine_parse_name_tokens(st, &after, db, schema, name, sizeof(name)))
	{
		engine_error(s, 102, "Incorrect syntax near 'INTO'.");
		engine_done(s, SIM_CMD_SELECT, false, 0);
		return false;
	}
	target_text = engine_tok_text(st, into + 1, after);
	if (db[0] && engine_strcasecmp(db, s->dbname) != 0)
	{
		engine_error(s, 40515, "Reference to database and/or server name in '%s' is not supported in this version of SQL Server.",
					 target_text);
		goto done;
	}
	if ((t = engine_table_lookup(s, temp ? NULL : (schema[0] ? schema : NULL), name)) != NULL)
	{
		engine_table_free(t);
		engine_error(s, 2714, "There is already an object named '%s' in the database.", name);
		goto done;
	}

	/* the query without its INTO clause */
	head = engine_tok_text(st, from, into);
	tail = after < to ? engine_tok_text(st, after, to) : estrdup("");
	ebuf_init(&query);
	ebuf_printf(&query, "%s %s", head, tail);
	if (!describe_query(s, query.data, &cols, &ncols, target_text))
	{
		free(head);
		free(tail);
		ebuf_free(&query);
		goto done;
	}

	/* CREATE TABLE */
	ebuf_init(&ddl);
	ebuf_append(&ddl, "CREATE TABLE ");
	ebuf_append(&ddl, target_text);
	ebuf_append(&ddl, " (");
	for (i = 0; i < ncols; i++)
	{
		char		tbuf[64];

		sim_type_format(&cols[i].type, tbuf, sizeof(tbuf));
		if (i > 0)
			ebuf_append(&ddl, ", ");
		append_bracketed(&ddl, cols[i].name);
		ebuf_printf(&ddl, " %s", tbuf);
		if (cols[i].identity)
			ebuf_printf(&ddl, " IDENTITY(%lld, %lld)", (long long) cols[i].seed,
						(long long) cols[i].incr);
		ebuf_append(&ddl, cols[i].not_null ? " NOT NULL" : " NULL");
	}
	ebuf_append(&ddl, ")");
	if (getenv("SIM_DEBUG"))
		fprintf(stderr, "SELECT INTO: %s\n", ddl.data);
	if (!engine_exec_internal(s, ddl.data, err, sizeof(err)))
	{
		engine_error(s, 2760, "%s", err);
		ebuf_free(&ddl);
		free(head);
		free(tail);
		ebuf_free(&query);
		goto done;
	}
	ebuf_free(&ddl);

	/* INSERT INTO target (cols) <query>, keeping a WITH prefix in front */
	ebuf_init(&ins);
	{
		int			sel = from;

		while (sel < into && !word_is(st, sel, "SELECT"))
			sel++;
		if (sel > from)
		{
			char	   *with = engine_tok_text(st, from, sel);

			ebuf_append(&ins, with);
			ebuf_appendc(&ins, ' ');
			free(with);
		}
		ins_at = (int) ins.len;
		ebuf_append(&ins, "INSERT INTO ");
		ebuf_append(&ins, target_text);
		ebuf_append(&ins, " (");
		for (i = 0; i < ncols; i++)
		{
			if (i > 0)
				ebuf_append(&ins, ", ");
			append_bracketed(&ins, cols[i].name);
		}
		ebuf_append(&ins, ") ");
		{
			char	   *sel_text = engine_tok_text(st, sel, into);

			ebuf_append(&ins, sel_text);
			free(sel_text);
		}
		ebuf_appendc(&ins, ' ');
		ebuf_append(&ins, tail);
	}
	free(head);
	free(tail);
	ebuf_free(&query);
	{
		EngineLexed lx;
		int			errnum;
		int			k;

		if (!engine_lex(ins.data, &lx, &errnum, err, sizeof(err)))
		{
			engine_error(s, errnum, "%s", err);
			ebuf_free(&ins);
			goto drop;
		}
		for (k = 0; k < lx.ntok && lx.tok[k].start < ins_at; k++)
			;
		t = engine_table_lookup(s, temp ? NULL : (schema[0] ? schema : NULL), name);
		for (i = 0; t && i < ncols; i++)
			if (cols[i].identity)
				s->identity_insert_object = (int) t->object_id;
		engine_table_free(t);
		{
			EngineStmt	sub = {ins.data, lx.tok, lx.ntok};

			ok = engine_exec_insert_cte(s, &sub, k > 0 ? 0 : -1, k, lx.ntok);
		}
		s->identity_insert_object = save_identity;
		engine_lex_free(&lx);
	}
	ebuf_free(&ins);
drop:
	if (!ok)
	{
		/* the statement leaves nothing behind */
		EngineBuf	b;

		ebuf_init(&b);
		ebuf_printf(&b, "DROP TABLE IF EXISTS %s", target_text);
		engine_exec_internal(s, b.data, NULL, 0);
		ebuf_free(&b);
	}
	free_columns(cols, ncols);
	free(target_text);
	return ok;

done:
	free_columns(cols, ncols);
	free(target_text);
	engine_done(s, SIM_CMD_SELECT, false, 0);
	return false;
}
